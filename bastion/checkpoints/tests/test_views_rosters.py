"""Roster pages: the week with its warnings, print and Excel export, one shift's attendance and
handover note; another county's officer sees none of it."""

import io

from python_calamine import CalamineWorkbook

from bastion.audit.models import AccessLog
from bastion.checkpoints.models import DutyAssignment, Shift
from bastion.checkpoints.services import assignment_add, shift_handover, shifts_ensure
from bastion.checkpoints.tests.conftest import at
from bastion.checkpoints.tests.test_rosters import MONDAY

ROSTER = "/checkpoints/430211000000K001/roster/"


def plan_monday(zhuzhou_west, personas):
    shifts = {(s.day, s.slot): s for s in shifts_ensure(checkpoint=zhuzhou_west, start=MONDAY)}
    for slot in ("night", "day"):
        assignment_add(
            actor=personas.county_officer,
            shift=shifts[(MONDAY, slot)],
            staff_kind="health",
            person_name="刘医生",
            phone="13900000003",
        )
    return shifts


def test_the_week_shows_gaps_and_long_hours(
    client_of, personas, zhuzhou_west, django_assert_max_num_queries
):
    # given
    plan_monday(zhuzhou_west, personas)
    client = client_of(personas.county_officer)
    # when
    with django_assert_max_num_queries(12):
        response = client.get(ROSTER, {"week": "2020-02-04"})
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-day=") == 7 and page.count("data-shift=") == 21
    assert "02-03 白班：缺公安 1 人" in page
    assert "刘医生 24 小时内在岗 16 小时，超过 12 小时" in page
    assert "data-over-limit" in page


def test_an_empty_week_offers_to_generate_its_shifts(client_of, personas, zhuzhou_west):
    client = client_of(personas.county_officer)
    page = client.get(ROSTER, {"week": "2020-02-04"}).content.decode()
    assert "按班次设置生成本周班次" in page
    response = client.post(ROSTER + "?week=2020-02-04")
    assert response.status_code == 302 and Shift.objects.count() == 21


def test_an_officer_sees_the_roster_but_cannot_generate_it(client_of, officer):
    client = client_of(officer)
    assert client.get(ROSTER).status_code == 200
    assert client.post(ROSTER).status_code == 403


def test_the_printable_roster_is_a_grid(client_of, personas, zhuzhou_west):
    plan_monday(zhuzhou_west, personas)
    page = (
        client_of(personas.county_officer)
        .get(ROSTER + "print/", {"week": "2020-02-03"})
        .content.decode()
    )
    assert "data-roster-grid" in page and "data-print" in page and "刘医生" in page


def test_the_roster_exports_to_excel_with_phones_masked(client_of, personas, zhuzhou_west):
    # given
    plan_monday(zhuzhou_west, personas)
    # when
    response = client_of(personas.county_officer).get(ROSTER + "export/", {"week": "2020-02-03"})
    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('roster-430211000000K001-2020-02-03.xlsx"')
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("排班").to_python()
    assert rows[0][0] == "株洲西收费站卡点 勤务表 2020-02-03 至 02-09"
    assert rows[1][:7] == ["日期", "班次", "开始", "结束", "力量类别", "姓名", "手机号"]
    assert rows[2][4:7] == ["卫健", "刘医生", "139****0003"]
    assert "13900000003" not in str(rows)
    hours = book.get_sheet_by_name("工时").to_python()
    assert hours[1][0] == "刘医生" and hours[1][4] == 16 and hours[1][5] == "是"
    log = AccessLog.objects.get(action="export", object_type="duty_roster")
    assert log.detail == {"week": "2020-02-03", "rows": 21}


def test_the_shift_page_checks_people_in_and_keeps_the_handover_note(
    client_of, personas, officer, zhuzhou_west
):
    # given: the current shift, with the officer on it, after a handover from the previous one
    from django.utils import timezone

    from bastion.checkpoints.services import shift_for

    shift = shift_for(checkpoint=zhuzhou_west, at=timezone.now())
    previous = shift_for(checkpoint=zhuzhou_west, at=shift.starts_at - timezone.timedelta(hours=1))
    shift_handover(actor=officer, shift=previous, note="湘B12345 已移交月塘，待接收。")
    a = assignment_add(
        actor=personas.county_officer, shift=shift, staff_kind="police", user=officer
    )
    client = client_of(officer)
    # when
    page = client.get(f"/checkpoints/shifts/{shift.pk}/").content.decode()
    checked = client.post(f"/checkpoints/assignments/{a.pk}/attendance/", {"action": "in"})
    noted = client.post(f"/checkpoints/shifts/{shift.pk}/handover/", {"note": "一切正常。"})
    # then
    assert "湘B12345 已移交月塘，待接收。" in page and "签到" in page
    assert checked.status_code == 302 and DutyAssignment.objects.get().checked_in_at
    assert noted.status_code == 302
    shift.refresh_from_db()
    assert shift.handover_note == "一切正常。"


def test_a_planner_adds_a_person_and_errors_are_shown(client_of, personas, zhuzhou_west):
    shift = shifts_ensure(checkpoint=zhuzhou_west, start=MONDAY, days=1)[1]
    client = client_of(personas.county_officer)
    ok = client.post(
        f"/checkpoints/shifts/{shift.pk}/assign/",
        {"staff_kind": "volunteer", "person_name": "志愿者丙", "phone": ""},
    )
    bad = client.post(
        f"/checkpoints/shifts/{shift.pk}/assign/",
        {"staff_kind": "volunteer", "person_name": "志愿者丁", "phone": "12345"},
    )
    assert ok.status_code == 302
    assert bad.status_code == 422 and "手机号应为 11 位，现在是 5 位。" in bad.content.decode()
    assert list(DutyAssignment.objects.values_list("person_name", flat=True)) == ["志愿者丙"]


def test_an_officer_records_a_walk_in_but_cannot_plan(client_of, officer, zhuzhou_west):
    shift = shifts_ensure(checkpoint=zhuzhou_west, start=MONDAY, days=1)[1]
    client = client_of(officer)
    planned = client.post(
        f"/checkpoints/shifts/{shift.pk}/assign/", {"staff_kind": "volunteer", "person_name": "甲"}
    )
    walk_in = client.post(
        f"/checkpoints/shifts/{shift.pk}/assign/",
        {"staff_kind": "volunteer", "person_name": "甲", "walk_in": "1"},
    )
    assert planned.status_code == 403 and walk_in.status_code == 302
    assert DutyAssignment.objects.get().checked_in_at is not None


def test_another_countys_officer_gets_404(client_of, hetang_officer, zhuzhou_west, personas):
    shift = shifts_ensure(checkpoint=zhuzhou_west, start=MONDAY, days=1)[1]
    a = assignment_add(
        actor=personas.county_officer, shift=shift, staff_kind="police", person_name="甲"
    )
    client = client_of(hetang_officer)
    assert client.get(ROSTER).status_code == 404
    assert client.get(ROSTER + "export/").status_code == 404
    assert client.get(f"/checkpoints/shifts/{shift.pk}/").status_code == 404
    response = client.post(f"/checkpoints/assignments/{a.pk}/attendance/", {"action": "in"})
    assert response.status_code == 404 and DutyAssignment.objects.get().checked_in_at is None
    assert at(3, 8) == shift.starts_at
