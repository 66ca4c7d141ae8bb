"""Duty rosters (三班勤务): shifts from slots, minimums, double booking, hours in 24, attendance,
handover notes and the shift summary."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from bastion.checkpoints.models import PassengerCheck, Shift, VehiclePassage
from bastion.checkpoints.selectors import shift_summary, week_plan, week_shifts, week_start
from bastion.checkpoints.services import (
    OccupantIn,
    assignment_add,
    assignment_remove,
    attendance_check_in,
    attendance_check_out,
    checkpoint_create,
    checkpoint_update,
    shift_for,
    shift_handover,
    shifts_ensure,
)
from bastion.checkpoints.tests.conftest import DAY, at

MONDAY = date(2020, 2, 3)


@pytest.fixture
def week(zhuzhou_west):
    return {(s.day, s.slot): s for s in shifts_ensure(checkpoint=zhuzhou_west, start=MONDAY)}


def plan_of(user, checkpoint):
    shifts = week_shifts(user=user, checkpoint=checkpoint, start=MONDAY)
    return week_plan(user=user, checkpoint=checkpoint, shifts=shifts)


def test_a_week_has_three_eight_hour_shifts_a_day(zhuzhou_west, week):
    # then
    assert len(week) == 21
    night, day, evening = (week[(MONDAY, slot)] for slot in ("night", "day", "evening"))
    assert (night.starts_at, night.ends_at) == (at(3, 0), at(3, 8))
    assert (day.starts_at, day.ends_at) == (at(3, 8), at(3, 16))
    assert (evening.starts_at, evening.ends_at) == (at(3, 16), at(4, 0))
    assert day.minimum_total == 2 and day.minimum_by_kind == {"police": 1, "health": 1}


def test_planning_a_week_twice_creates_nothing_new(zhuzhou_west, week):
    shifts_ensure(checkpoint=zhuzhou_west, start=MONDAY)
    assert Shift.objects.count() == 21


def test_slots_are_configurable_per_checkpoint(tree, personas):
    # when: two 12-hour shifts from 07:00
    checkpoint = checkpoint_create(
        actor=personas.county_officer,
        parent=tree.liyu,
        name="栗雨村口卡点",
        kind="village_entrance",
        slots=[
            {"code": "day", "label": "白班", "starts": "07:00", "hours": 12},
            {"code": "night", "label": "夜班", "starts": "19:00", "hours": 12},
        ],
    )
    # then: a night shift runs past midnight and belongs to the day it starts
    night = shift_for(checkpoint=checkpoint, at=at(4, 3))
    assert (night.day, night.slot) == (date(2020, 2, 3), "night")
    assert (night.starts_at, night.ends_at) == (at(3, 19), at(4, 7))


def test_rejects_overlapping_slots(tree, personas):
    with pytest.raises(ValidationError) as e:
        checkpoint_create(
            actor=personas.county_officer,
            parent=tree.liyu,
            name="卡点",
            kind="road",
            slots=[
                {"code": "a", "label": "早班", "starts": "06:00", "hours": 10},
                {"code": "b", "label": "晚班", "starts": "14:00", "hours": 8},
            ],
        )
    assert e.value.message_dict == {"slots": ["班次时间重叠：早班 与 晚班。"]}


def test_a_shift_below_its_minimums_is_warned(zhuzhou_west, week, personas):
    # given: only one volunteer on Monday's day shift
    assignment_add(
        actor=personas.county_officer,
        shift=week[(MONDAY, "day")],
        staff_kind="volunteer",
        person_name="志愿者甲",
    )
    # when
    plan = plan_of(personas.county_officer, zhuzhou_west)
    # then
    cell = next(c for c in plan.cells if c.shift == week[(MONDAY, "day")])
    assert cell.gaps == ["人数不足 1/2", "缺卫健 1 人", "缺公安 1 人"]
    assert "02-03 白班：缺公安 1 人" in plan.warnings


def test_a_person_in_two_places_at_once_is_warned(
    zhuzhou_west, hetang_checkpoint, week, personas, tree
):
    # given: 王警官 on Monday's day shift at 株洲西 and, at the same time, at a second checkpoint
    other = checkpoint_create(
        actor=personas.county_officer, parent=tree.liyu, name="栗雨路口卡点", kind="road"
    )
    there = shifts_ensure(checkpoint=other, start=MONDAY, days=1)[1]
    for shift in (week[(MONDAY, "day")], there):
        assignment_add(
            actor=personas.county_officer,
            shift=shift,
            staff_kind="police",
            person_name="王警官",
            phone="13900000001",
        )
    # when
    plan = plan_of(personas.county_officer, zhuzhou_west)
    # then
    assert "02-03 白班：王警官 同时排在 栗雨路口卡点 白班" in plan.warnings
    cell = next(c for c in plan.cells if c.shift == week[(MONDAY, "day")])
    assert list(cell.clashes.values()) == ["栗雨路口卡点 02-03 白班"]


def test_the_same_name_with_another_phone_is_another_person(zhuzhou_west, week, personas):
    assignment_add(
        actor=personas.county_officer,
        shift=week[(MONDAY, "day")],
        staff_kind="police",
        person_name="王伟",
        phone="13900000001",
    )
    assignment_add(
        actor=personas.county_officer,
        shift=week[(MONDAY, "day")],
        staff_kind="health",
        person_name="王伟",
        phone="13900000002",
    )
    assert not [w for w in plan_of(personas.county_officer, zhuzhou_west).warnings if "同时" in w]


def test_seventeen_hours_in_a_day_are_made_visible(zhuzhou_west, week, personas):
    # given: 刘医生 on the night and day shifts of Monday (16 hours) and Tuesday's night
    for key in ((MONDAY, "night"), (MONDAY, "day"), (MONDAY + timedelta(days=1), "night")):
        assignment_add(
            actor=personas.county_officer,
            shift=week[key],
            staff_kind="health",
            person_name="刘医生",
        )
    # and 陈警官 on one shift only
    assignment_add(
        actor=personas.county_officer,
        shift=week[(MONDAY, "evening")],
        staff_kind="police",
        person_name="陈警官",
    )
    # when
    plan = plan_of(personas.county_officer, zhuzhou_west)
    # then
    liu, chen = plan.people
    assert (liu.name, liu.shifts, liu.hours, liu.max_in_24, liu.over_limit) == (
        "刘医生",
        3,
        24.0,
        16.0,
        True,
    )
    assert (chen.name, chen.max_in_24, chen.over_limit) == ("陈警官", 8.0, False)
    assert "刘医生 24 小时内在岗 16 小时，超过 12 小时" in plan.warnings


def test_the_hours_limit_is_a_setting_of_the_checkpoint(zhuzhou_west, week, personas):
    # given
    zhuzhou_west = checkpoint_update(
        actor=personas.county_officer, checkpoint=zhuzhou_west, version=1, max_hours_in_24=16
    )
    for slot in ("night", "day"):
        assignment_add(
            actor=personas.county_officer,
            shift=week[(MONDAY, slot)],
            staff_kind="health",
            person_name="刘医生",
        )
    # then: 16 hours is within a 16-hour limit
    assert not plan_of(personas.county_officer, zhuzhou_west).people[0].over_limit


def test_rejects_the_same_person_twice_on_a_shift(week, personas, officer):
    shift = week[(MONDAY, "day")]
    assignment_add(actor=personas.county_officer, shift=shift, staff_kind="police", user=officer)
    with pytest.raises(ValidationError) as e:
        assignment_add(
            actor=personas.county_officer, shift=shift, staff_kind="police", user=officer
        )
    assert e.value.message_dict == {"person_name": ["此人已在本班次。"]}


def test_an_account_brings_its_name_and_phone(week, personas, officer):
    officer.mobile = "13900001111"
    officer.save()
    a = assignment_add(
        actor=personas.county_officer,
        shift=week[(MONDAY, "day")],
        staff_kind="police",
        user=officer,
    )
    assert (a.person_name, a.phone, a.person_key) == ("卡点民警", "13900001111", f"u:{officer.pk}")


def test_attendance_check_in_and_out(week, personas, officer):
    # given
    a = assignment_add(
        actor=personas.county_officer,
        shift=week[(MONDAY, "day")],
        staff_kind="police",
        user=officer,
    )
    # when
    attendance_check_in(actor=officer, assignment=a, now=at(3, 7, 40))
    attendance_check_in(actor=officer, assignment=a, now=at(3, 8, 30))
    attendance_check_out(actor=officer, assignment=a, now=at(3, 16, 10))
    # then: the first check-in stands
    a.refresh_from_db()
    assert (a.checked_in_at, a.checked_out_at) == (at(3, 7, 40), at(3, 16, 10))


@pytest.mark.parametrize(
    ("moment", "message"),
    [(at(3, 5), "班次开始前 2 小时内才能签到。"), (at(3, 16), "班次已结束，不能再签到。")],
)
def test_rejects_a_check_in_outside_the_shift(week, personas, moment, message):
    a = assignment_add(
        actor=personas.county_officer,
        shift=week[(MONDAY, "day")],
        staff_kind="police",
        person_name="王警官",
    )
    with pytest.raises(ValidationError) as e:
        attendance_check_in(actor=personas.county_officer, assignment=a, now=moment)
    assert e.value.message_dict == {"checked_in_at": [message]}


def test_rejects_a_check_out_before_a_check_in(week, personas):
    a = assignment_add(
        actor=personas.county_officer,
        shift=week[(MONDAY, "day")],
        staff_kind="police",
        person_name="王警官",
    )
    with pytest.raises(ValidationError) as e:
        attendance_check_out(actor=personas.county_officer, assignment=a, now=at(3, 9))
    assert e.value.message_dict == {"checked_out_at": ["请先签到，再签退。"]}


def test_someone_who_came_cannot_be_removed(week, personas):
    a = assignment_add(
        actor=personas.county_officer,
        shift=week[(MONDAY, "day")],
        staff_kind="police",
        person_name="王警官",
        check_in_at=at(3, 8),
    )
    with pytest.raises(ValidationError):
        assignment_remove(actor=personas.county_officer, assignment=a)


def test_a_handover_note_is_kept_for_the_next_shift(week, officer):
    shift = shift_handover(
        actor=officer,
        shift=week[(MONDAY, "day")],
        note="  湘B12345 移交月塘，待接收。 ",
        now=at(3, 16),
    )
    assert (shift.handover_note, shift.handover_by, shift.handover_at) == (
        "湘B12345 移交月塘，待接收。",
        officer,
        at(3, 16),
    )
    with pytest.raises(ValidationError) as e:
        shift_handover(actor=officer, shift=shift, note=" ")
    assert e.value.message_dict == {"note": ["请填写交班记录。"]}


def test_the_shift_summary_counts_and_shows_breaches(register, officer, zhuzhou_west, wuhan):
    # given: three vehicles of the day shift, one of them written without occupants (as an
    # import or the admin could), and an occupant without temperature but with a reason
    register(
        origin="湖北省武汉市",
        occupants=[
            OccupantIn(name="张三", temperature="36.6"),
            OccupantIn(name="李四", temperature="37.8", decision="refer_fever_point"),
        ],
    )
    register(
        occupants=[
            OccupantIn(name="王五", temperature="36.5", decision="turn_back"),
            OccupantIn(name="婴儿", no_temperature_reason="熟睡", decision="turn_back"),
        ]
    )
    first = VehiclePassage.objects.first()
    empty = VehiclePassage.objects.create(
        checkpoint=zhuzhou_west,
        unit_code=zhuzhou_west.unit_code,
        shift=first.shift,
        plate="湘B00000",
        vehicle_kind="car",
        purpose="other",
        disposition="released",
        occurred_at=first.occurred_at,
        recorded_by=officer,
        client_uuid="00000000-0000-0000-0000-000000000001",
    )
    # when
    s = shift_summary(user=officer, shift=first.shift)
    # then
    assert (s.vehicles, s.persons, s.fevers, s.hand_overs, s.referred) == (3, 4, 1, 1, 1)
    assert (s.turned_back_vehicles, s.high_risk_vehicles) == (1, 1)
    assert s.empty_vehicles == [empty] and s.breaches == 1
    assert [o.name for o in s.no_temperature] == ["婴儿"]
    assert PassengerCheck.objects.count() == 4


def test_the_summary_of_a_shift_uses_the_day_it_started(zhuzhou_west):
    shift = shift_for(checkpoint=zhuzhou_west, at=at(1, 10))
    assert (shift.day, shift.slot) == (DAY, "day")
    assert week_start(DAY) == date(2020, 1, 27)
