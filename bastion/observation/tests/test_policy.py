from datetime import date
from decimal import Decimal

from bastion.observation.models import Policy
from bastion.observation.selectors import policy_for


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
