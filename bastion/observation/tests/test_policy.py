from datetime import date
from decimal import Decimal

import pytest

from bastion.core.errors import ValidationError
from bastion.observation.models import Policy
from bastion.observation.selectors import policy_for
from bastion.observation.services import policy_create_version
from bastion.observation.tests.conftest import at


def test_defaults_follow_domain_md_without_any_stored_policy(db):
    policy = policy_for(unit_code="430211003016", on=date(2020, 2, 1))
    assert policy.period_days == 14
    assert policy.fever_threshold == Decimal("37.3")
    assert [s["code"] for s in policy.slots] == ["morning", "evening"]
    assert policy.checkins_per_day == 2


def test_a_county_override_wins_and_versions_follow_dates(tree):
    # given
    Policy.objects.create(version=1, name="全市", effective_from=date(2020, 1, 20))
    Policy.objects.create(
        version=2, name="全市 7+3", effective_from=date(2020, 3, 1), period_days=10
    )
    Policy.objects.create(
        version=1,
        name="天元区",
        county=tree.tianyuan,
        effective_from=date(2020, 2, 10),
        fever_threshold=Decimal("37.2"),
    )
    # then
    assert policy_for(unit_code=tree.yuetang.code, on=date(2020, 2, 1)).name == "全市"
    assert policy_for(unit_code=tree.yuetang.code, on=date(2020, 2, 15)).name == "天元区"
    assert policy_for(unit_code=tree.wenhualu.code, on=date(2020, 2, 15)).name == "全市"
    assert policy_for(unit_code=tree.wenhualu.code, on=date(2020, 3, 2)).period_days == 10


# new versions


def _version_fields(**overrides):
    fields = {
        "name": "天元区 7+7",
        "effective_from": date(2020, 2, 10),
        "period_days": 7,
        "start_rule": "arrival",
        "slots": [
            {"code": "morning", "label": "早", "opens": "06:00", "closes": "12:00"},
            {"code": "evening", "label": "晚", "opens": "16:00", "closes": "22:00"},
        ],
        "fever_threshold": Decimal("37.3"),
        "temperature_min": Decimal("34.0"),
        "temperature_max": Decimal("43.0"),
        "symptoms": [{"code": "fever", "label": "发热"}],
        "arrival_window_days": 14,
        "banquet_max_guests": 50,
        "family_gathering_max": 10,
        "escalate_after_minutes": 60,
        "retention_days": 180,
    }
    return fields | overrides


def test_a_county_gets_numbered_versions(tree, personas):
    now = at(date(2020, 2, 9))
    first = policy_create_version(
        actor=personas.county_officer, county=tree.tianyuan, now=now, **_version_fields()
    )
    second = policy_create_version(
        actor=personas.county_officer,
        county=tree.tianyuan,
        now=now,
        **_version_fields(name="天元区 14", period_days=14),
    )
    assert (first.version, second.version) == (1, 2)
    assert policy_for(unit_code=tree.yuetang.code, on=date(2020, 2, 10)).name == "天元区 14"


def test_rejects_a_bad_version_with_field_messages(tree, personas):
    with pytest.raises(ValidationError) as excinfo:
        policy_create_version(
            actor=personas.county_officer,
            county=tree.hetang,
            now=at(date(2020, 2, 9)),
            **_version_fields(
                effective_from=date(2020, 2, 1),
                slots=[{"code": "morning", "label": "早", "opens": "12:00", "closes": "06:00"}],
                fever_threshold=Decimal("44.0"),
            ),
        )
    assert excinfo.value.message_dict == {
        "county": ["只能为本辖区内的县（市、区）制定策略。"],
        "effective_from": ["生效日期不能早于今天：已经过去的日子按原策略计算。"],
        "slots": ["时段“早”的结束时间应晚于开始时间。"],
        "fever_threshold": ["发热阈值应在体温合理范围之内。"],
    }
    with pytest.raises(ValidationError) as excinfo:
        policy_create_version(
            actor=personas.county_officer,
            county=None,
            now=at(date(2020, 2, 9)),
            **_version_fields(),
        )
    assert excinfo.value.message_dict == {
        "county": ["只有市级指挥部可以修改全市默认策略，请选择县（市、区）。"]
    }
