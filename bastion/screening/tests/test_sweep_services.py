from datetime import timedelta

import pytest
from django.utils import timezone

from bastion.core.errors import ValidationError
from bastion.observation.models import Policy
from bastion.people.models import Person
from bastion.screening.models import HighRiskArea, HouseholdVisit, Signal, TravelRecord
from bastion.screening.services.sweeps import Arrival, sweep_start, visit_record
from bastion.screening.tests.conftest import journey

TODAY = timezone.localdate()


def test_it_starts_a_sweep_of_a_township_with_a_default_name(tree, personas):
    sweep = sweep_start(
        actor=personas.township_officer,
        unit=tree.liyu,
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=3),
    )
    assert sweep.name == f"栗雨街道{TODAY.month}月{TODAY.day}日入户排查"
    assert sweep.scope_prefix == "430211003"


def test_rejects_a_sweep_that_ends_before_it_starts(tree, personas):
    with pytest.raises(ValidationError) as e:
        sweep_start(
            actor=personas.township_officer,
            unit=tree.liyu,
            starts_on=TODAY,
            ends_on=TODAY - timedelta(days=1),
        )
    assert e.value.message_dict == {"ends_on": ["结束日期不能早于开始日期。"]}


def test_rejects_a_sweep_of_a_county_or_out_of_jurisdiction(tree, personas):
    with pytest.raises(ValidationError) as county:
        sweep_start(
            actor=personas.county_officer, unit=tree.tianyuan, starts_on=TODAY, ends_on=TODAY
        )
    with pytest.raises(ValidationError) as outside:
        sweep_start(
            actor=personas.village_worker, unit=tree.liyujuwei, starts_on=TODAY, ends_on=TODAY
        )
    assert county.value.message_dict == {"unit": ["排查只能以乡镇（街道）或村（社区）为范围。"]}
    assert outside.value.message_dict == {"unit": ["请选择您辖区内的乡镇（街道）或村（社区）。"]}


def test_a_visit_with_a_returnee_registers_the_person_the_journey_and_a_signal(
    sweep, households, personas
):
    # given
    HighRiskArea.objects.create(
        name="湖北省武汉市", province="湖北", city="武汉", active_from=TODAY - timedelta(days=30)
    )
    # when
    visit, created = visit_record(
        actor=personas.village_worker,
        sweep=sweep,
        household=households["a"],
        result="visited",
        residents=3,
        arrivals=[
            Arrival(
                name="刘七", id_number="430202199001010011", mobile="13900003333", journey=journey()
            )
        ],
    )
    # then
    assert created and visit.unit_code == households["a"].unit_code
    person = Person.objects.get(name="刘七")
    assert person.household == households["a"]
    record = TravelRecord.objects.get(person=person)
    assert record.is_high_risk and record.visit == visit and record.transport_no == "G1234"
    signal = Signal.objects.get(person=person)
    assert signal.source == "sweep" and signal.unit_code == households["a"].unit_code
    assert signal.reason == (
        f"入户排查发现返乡人员：自湖北省武汉市火车（G1234），"
        f"{record.arrived_on.month}月{record.arrived_on.day}日抵达，来自高风险地区"
    )


def test_a_returnee_already_registered_is_not_registered_twice(sweep, households, personas, tree):
    # given
    from bastion.people.services import person_create

    known = person_create(
        actor=personas.commander, unit=tree.yuetang, name="刘七", id_number="430202199001010011"
    )
    # when
    visit_record(
        actor=personas.village_worker,
        sweep=sweep,
        household=households["a"],
        result="visited",
        arrivals=[Arrival(name="刘七", id_number="430202199001010011", journey=journey())],
    )
    # then
    assert Person.objects.filter(name="刘七").count() == 1
    assert TravelRecord.objects.get().person == known


def test_rejects_an_arrival_older_than_the_policy_window(sweep, households, personas):
    # given a policy that looks back 7 days only
    Policy.objects.create(
        version=1, name="七天", effective_from=TODAY - timedelta(days=60), arrival_window_days=7
    )
    # when
    with pytest.raises(ValidationError) as e:
        visit_record(
            actor=personas.village_worker,
            sweep=sweep,
            household=households["a"],
            result="visited",
            arrivals=[Arrival(name="刘七", journey=journey(arrived_on=TODAY - timedelta(days=8)))],
        )
    # then
    earliest = (TODAY - timedelta(days=7)).isoformat()
    assert e.value.message_dict == {
        "arrivals.0.arrived_on": [f"只登记近 7 天内抵达的人员（{earliest} 及以后）。"]
    }
    assert not HouseholdVisit.objects.exists() and not Person.objects.exists()


def test_rejects_a_bad_arrival_and_writes_nothing(sweep, households, personas):
    with pytest.raises(ValidationError) as e:
        visit_record(
            actor=personas.village_worker,
            sweep=sweep,
            household=households["a"],
            result="visited",
            arrivals=[
                Arrival(
                    name="",
                    mobile="12345",
                    journey=journey(transport="self_drive", transport_no="湘I12345"),
                )
            ],
        )
    assert e.value.message_dict == {
        "arrivals.0.name": ["请填写返乡人员姓名。"],
        "arrivals.0.mobile": ["手机号应为 11 位，现在是 5 位。"],
        "arrivals.0.transport_no": ["车牌号第二位应为字母（不含 I 和 O），例如“湘B”。"],
    }
    assert not HouseholdVisit.objects.exists()


def test_rejects_arrivals_when_nobody_was_home(sweep, households, personas):
    with pytest.raises(ValidationError) as e:
        visit_record(
            actor=personas.village_worker,
            sweep=sweep,
            household=households["a"],
            result="not_home",
            arrivals=[Arrival(name="刘七", journey=journey())],
        )
    assert e.value.message_dict == {"arrivals": ["只有见到住户（已走访）时才能登记返乡人员。"]}


def test_rejects_a_household_of_the_neighbouring_village(sweep, households, personas):
    with pytest.raises(ValidationError) as e:
        visit_record(
            actor=personas.village_worker, sweep=sweep, household=households["d"], result="visited"
        )
    assert e.value.message_dict == {"household": ["住户不存在或不在您的辖区内。"]}


def test_rejects_a_visit_outside_the_sweep_dates(sweep, households, personas):
    with pytest.raises(ValidationError) as e:
        visit_record(
            actor=personas.village_worker,
            sweep=sweep,
            household=households["a"],
            result="visited",
            visited_at=timezone.now() - timedelta(days=10),
        )
    period = f"{sweep.starts_on.isoformat()} 至 {sweep.ends_on.isoformat()}"
    assert e.value.message_dict == {"visited_at": [f"走访日期不在本轮排查期间（{period}）。"]}


def test_a_replayed_visit_is_recorded_once(sweep, households, personas):
    import uuid

    key = uuid.uuid4()
    for _ in range(2):
        visit_record(
            actor=personas.village_worker,
            sweep=sweep,
            household=households["a"],
            result="visited",
            arrivals=[Arrival(name="刘七", journey=journey())],
            client_uuid=key,
        )
    assert HouseholdVisit.objects.count() == 1 and Signal.objects.count() == 1
