import uuid
from datetime import date

import pytest

from bastion.audit.models import AccessLog, Action
from bastion.community.models import Gathering
from bastion.community.services import (
    gathering_attendees_set,
    gathering_create,
    gathering_update,
)
from bastion.community.tests.conftest import NOW
from bastion.core.errors import StaleVersion, ValidationError
from bastion.observation.models import Policy


def errors_of(excinfo):
    return excinfo.value.message_dict


# gathering_create


def test_records_a_planned_wedding_with_the_policy_limit(tree, personas, record_gathering):
    # when
    gathering = record_gathering()
    # then
    assert gathering.unit_code == tree.yuetang.code
    assert gathering.guest_limit == 50
    assert gathering.is_pending and gathering.over_limit
    assert gathering.created_by == personas.village_worker
    log = AccessLog.objects.get(action=Action.CREATE)
    assert (log.object_type, log.object_id) == ("gathering", str(gathering.pk))


def test_family_gatherings_get_the_family_limit(record_gathering):
    # when
    gathering = record_gathering(kind="birthday", family_only=True, expected_guests=8)
    # then
    assert gathering.guest_limit == 10
    assert not gathering.over_limit


def test_limits_come_from_the_county_policy_of_the_planned_date(tree, record_gathering):
    # given: 天元区 lowered the banquet limit from 2020-02-01
    Policy.objects.create(
        version=2,
        county=tree.tianyuan,
        name="天元区",
        effective_from=date(2020, 2, 1),
        banquet_max_guests=20,
    )
    # when
    before = record_gathering(planned_date=date(2020, 1, 31))
    after = record_gathering(planned_date=date(2020, 2, 2))
    # then
    assert (before.guest_limit, after.guest_limit) == (50, 20)


def test_records_the_article_case_a_wedding_postponed_after_a_visit(record_gathering):
    # when: 龙建忠 visits and the wedding is postponed
    gathering = record_gathering(action="visit", persuaded_by="龙建忠", outcome="postponed")
    # then: the visit is dated today by default
    assert gathering.outcome == "postponed"
    assert gathering.acted_on == NOW.date()
    assert gathering.actual_guests is None


def test_rejects_missing_and_invalid_fields_at_once(tree, personas):
    # when
    with pytest.raises(ValidationError) as excinfo:
        gathering_create(
            actor=personas.village_worker,
            unit=None,
            host_name=" ",
            kind="party",
            planned_date=None,
            expected_guests=0,
            now=NOW,
        )
    # then
    assert errors_of(excinfo) == {
        "unit": ["请选择村（社区）或网格。"],
        "host_name": ["请填写办宴人姓名。"],
        "kind": ["请选择宴席类别。"],
        "planned_date": ["请填写计划日期。"],
        "expected_guests": ["人数须在 1 到 5000 之间。"],
    }


def test_rejects_a_unit_out_of_jurisdiction(tree, personas, record_gathering):
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(unit=tree.liyujuwei)
    assert errors_of(excinfo) == {"unit": ["所属单元不存在或不在您的辖区内。"]}


def test_rejects_a_township_as_the_unit(tree, personas, record_gathering):
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(actor=personas.township_officer, unit=tree.liyu)
    assert errors_of(excinfo) == {"unit": ["酒宴只能登记到村（社区）或网格。"]}


def test_auditor_may_not_record(tree, personas, record_gathering):
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(actor=personas.auditor)
    assert errors_of(excinfo) == {"unit": ["所属单元不存在或不在您的辖区内。"]}


def test_rejects_dates_far_away_and_visits_in_the_future(record_gathering):
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(planned_date=date(2021, 6, 1), action="call", acted_on=date(2020, 1, 31))
    assert errors_of(excinfo) == {
        "planned_date": ["计划日期应在前后一年以内。"],
        "acted_on": ["劝导日期不能晚于今天。"],
    }


def test_held_with_plan_needs_a_plan_an_approval_and_the_limit(record_gathering):
    # when: 80 guests, no plan, no approval
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(outcome="held_with_plan", expected_guests=80)
    # then
    assert errors_of(excinfo) == {
        "has_prevention_plan": ["按防控方案举办的，须有防控方案。"],
        "approved_by": ["按防控方案举办的，请填写审批的指挥部或单位。"],
    }
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(
            outcome="held_with_plan",
            expected_guests=80,
            has_prevention_plan=True,
            approved_by="栗雨街道指挥部",
        )
    assert errors_of(excinfo) == {"expected_guests": ["宴席人数不得超过 50 人（本次 80 人）。"]}


def test_a_funeral_kept_simple_within_the_limit_is_held_with_plan(record_gathering):
    gathering = record_gathering(
        kind="funeral",
        expected_guests=80,
        actual_guests=40,
        outcome="held_with_plan",
        has_prevention_plan=True,
        approved_by="栗雨街道指挥部",
    )
    assert (gathering.guests, gathering.over_limit) == (40, False)


def test_family_gathering_over_ten_is_refused_when_held_with_consent(record_gathering):
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(
            kind="birthday",
            family_only=True,
            expected_guests=15,
            actual_guests=12,
            outcome="downsized",
        )
    assert errors_of(excinfo) == {"actual_guests": ["家庭聚会人数不得超过 10 人（本次 12 人）。"]}


def test_downsized_needs_a_smaller_actual_number(record_gathering):
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(expected_guests=40, outcome="downsized")
    assert errors_of(excinfo) == {"actual_guests": ["缩小规模的，请填写实际人数。"]}
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(expected_guests=40, actual_guests=45, outcome="downsized")
    assert errors_of(excinfo) == {"actual_guests": ["缩小规模后的人数应少于原计划的 40 人。"]}


def test_held_against_advice_is_recorded_over_the_limit(record_gathering):
    gathering = record_gathering(outcome="held_against_advice", actual_guests=150)
    assert gathering.over_limit and gathering.is_held


def test_actual_number_is_dropped_when_not_held(record_gathering):
    gathering = record_gathering(outcome="cancelled", actual_guests=30)
    assert gathering.actual_guests is None


def test_a_replayed_client_uuid_returns_the_first_record(personas, tree):
    # given
    key = uuid.uuid4()
    arguments = {
        "actor": personas.village_worker,
        "unit": tree.yuetang,
        "host_name": "刘建国",
        "kind": "wedding",
        "planned_date": date(2020, 2, 8),
        "expected_guests": 30,
        "client_uuid": key,
        "now": NOW,
    }
    first, created = gathering_create(**arguments)
    # when
    again, created_again = gathering_create(**arguments)
    # then
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Gathering.objects.count() == 1


def test_a_client_uuid_of_another_jurisdiction_is_refused(personas, tree, record_gathering):
    key = uuid.uuid4()
    record_gathering(client_uuid=key)
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(actor=personas.outsider, unit=tree.wenhualu, client_uuid=key)
    assert errors_of(excinfo) == {"client_uuid": ["该 client_uuid 已用于另一条记录。"]}


def test_host_from_the_registry_gives_the_name(record_gathering, villager):
    gathering = record_gathering(host_name="", host=villager)
    assert (gathering.host_name, gathering.host) == ("张三", villager)


def test_host_outside_the_jurisdiction_is_refused(record_gathering, neighbour_villager):
    with pytest.raises(ValidationError) as excinfo:
        record_gathering(host=neighbour_villager)
    assert errors_of(excinfo) == {"host": ["办宴人不在您辖区的人员库中。"]}


# gathering_update


def test_records_the_outcome_later_with_the_version_read(personas, record_gathering):
    # given
    gathering = record_gathering()
    # when
    updated = gathering_update(
        actor=personas.village_worker,
        gathering=gathering,
        version=1,
        action="call",
        persuaded_by="龙建忠",
        outcome="cancelled",
        now=NOW,
    )
    # then
    assert (updated.outcome, updated.version, updated.acted_on) == ("cancelled", 2, NOW.date())
    log = AccessLog.objects.get(action=Action.UPDATE)
    assert log.detail == {"fields": ["acted_on", "action", "outcome", "persuaded_by"]}


def test_a_stale_version_writes_nothing(personas, record_gathering):
    gathering = record_gathering()
    gathering_update(
        actor=personas.township_officer,
        gathering=gathering,
        version=1,
        outcome="postponed",
        now=NOW,
    )
    with pytest.raises(StaleVersion) as excinfo:
        gathering_update(
            actor=personas.village_worker,
            gathering=gathering,
            version=1,
            outcome="cancelled",
            now=NOW,
        )
    assert excinfo.value.current.outcome == "postponed"
    assert Gathering.objects.get().outcome == "postponed"


def test_rejects_unknown_fields(personas, record_gathering):
    with pytest.raises(TypeError):
        gathering_update(
            actor=personas.village_worker, gathering=record_gathering(), version=1, unit_code="x"
        )


def test_moving_the_date_recomputes_the_limit(tree, personas, record_gathering):
    Policy.objects.create(
        version=2,
        county=tree.tianyuan,
        name="天元区",
        effective_from=date(2020, 2, 10),
        banquet_max_guests=30,
    )
    gathering = record_gathering()
    updated = gathering_update(
        actor=personas.village_worker,
        gathering=gathering,
        version=1,
        planned_date=date(2020, 2, 14),
        now=NOW,
    )
    assert updated.guest_limit == 30


# gathering_attendees_set


@pytest.fixture
def held(personas, record_gathering):
    return record_gathering(
        kind="funeral",
        expected_guests=30,
        outcome="held_with_plan",
        has_prevention_plan=True,
        approved_by="栗雨街道指挥部",
    )


def test_registers_attendees_of_a_held_gathering(personas, held, villager):
    # when
    gathering_attendees_set(actor=personas.village_worker, gathering=held, persons=[villager])
    # then
    assert list(held.attendees.all()) == [villager]
    assert Gathering.objects.get().version == 2


def test_refuses_attendees_for_a_gathering_not_held(personas, record_gathering, villager):
    gathering = record_gathering(outcome="postponed")
    with pytest.raises(ValidationError) as excinfo:
        gathering_attendees_set(
            actor=personas.village_worker, gathering=gathering, persons=[villager]
        )
    assert errors_of(excinfo) == {"attendees": ["宴席未举办，不能登记参加人员。"]}


def test_refuses_attendees_outside_the_jurisdiction(personas, held, neighbour_villager):
    with pytest.raises(ValidationError) as excinfo:
        gathering_attendees_set(
            actor=personas.village_worker, gathering=held, persons=[neighbour_villager]
        )
    assert errors_of(excinfo) == {"attendees": ["参加人员不存在或不在您的辖区内。"]}


def test_attendees_added_by_the_township_stay_when_the_village_edits(
    personas, held, villager, neighbour_villager
):
    # given: the township registered someone from the neighbouring village
    gathering_attendees_set(
        actor=personas.township_officer, gathering=held, persons=[neighbour_villager]
    )
    # when: the village adds its own villager, keeping the list
    gathering_attendees_set(
        actor=personas.village_worker, gathering=held, persons=[neighbour_villager, villager]
    )
    # then
    assert set(held.attendees.all()) == {villager, neighbour_villager}


def test_registered_attendees_count_against_the_limit(tree, personas, record_gathering):
    from bastion.people.services import person_create

    gathering = record_gathering(
        kind="birthday",
        family_only=True,
        expected_guests=2,
        outcome="held_with_plan",
        has_prevention_plan=True,
        approved_by="月塘社区",
    )
    family = [
        person_create(actor=personas.commander, unit=tree.yuetang, name=f"家人{i}")
        for i in range(11)
    ]
    with pytest.raises(ValidationError) as excinfo:
        gathering_attendees_set(actor=personas.village_worker, gathering=gathering, persons=family)
    assert errors_of(excinfo) == {"attendees": ["家庭聚会人数不得超过 10 人（本次 11 人）。"]}


def test_a_gathering_with_attendees_cannot_become_not_held(personas, held, villager):
    gathering_attendees_set(actor=personas.village_worker, gathering=held, persons=[villager])
    with pytest.raises(ValidationError) as excinfo:
        gathering_update(
            actor=personas.village_worker, gathering=held, version=2, outcome="cancelled", now=NOW
        )
    assert errors_of(excinfo) == {
        "outcome": ["已登记参加人员的宴席只能记为已举办；请先移除参加人员。"]
    }
