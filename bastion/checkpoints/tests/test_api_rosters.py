"""Checkpoints and rosters over the API: master data, a week's plan with warnings, assignments,
attendance, handover notes and summaries; scoped like everything else."""

import pytest
from django.utils import timezone

from bastion.checkpoints.models import Checkpoint, DutyAssignment, Shift
from bastion.checkpoints.services import assignment_add, shift_for, shifts_ensure

CODE = "430211000000K001"


@pytest.fixture
def current_shift(zhuzhou_west):
    return shift_for(checkpoint=zhuzhou_west, at=timezone.now())


def test_a_county_officer_sets_up_a_checkpoint(client_of, personas, tree):
    # when
    response = client_of(personas.county_officer).post(
        "/api/v1/checkpoints",
        {
            "parent": tree.liyu.code,
            "name": "栗雨村口卡点",
            "kind": "village_entrance",
            "phone": "+86 139-0733-0102",
            "serving_kinds": ["township", "volunteer"],
            "slots": [
                {"code": "day", "label": "白班", "starts": "07:00", "hours": 12},
                {"code": "night", "label": "夜班", "starts": "19:00", "hours": 12},
            ],
            "minimum_by_kind": {"township": 1},
        },
        content_type="application/json",
    )
    # then
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["code"] == "430211003000K001" and data["parent"]["code"] == tree.liyu.code
    assert data["phone_masked"] == "139****0102" and data["minimum_by_kind"] == {"township": 1}
    assert Checkpoint.objects.get(unit_code=data["code"]).phone == "13907330102"


def test_a_checkpoint_cannot_be_set_up_outside_the_jurisdiction(client_of, personas, tree):
    response = client_of(personas.county_officer).post(
        "/api/v1/checkpoints",
        {"parent": tree.hetang.code, "name": "荷塘卡点", "kind": "road"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "parent", "message": "单元不存在或不在您的辖区内。"}
    ]


def test_an_officer_cannot_set_up_checkpoints(client_of, officer, tree):
    response = client_of(officer).post(
        "/api/v1/checkpoints",
        {"parent": tree.tianyuan.code, "name": "新卡点", "kind": "road"},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_checkpoints_are_listed_within_the_jurisdiction(
    client_of, personas, zhuzhou_west, hetang_checkpoint
):
    county = client_of(personas.county_officer).get("/api/v1/checkpoints").json()
    city = client_of(personas.commander).get("/api/v1/checkpoints").json()
    assert [c["code"] for c in county] == [CODE]
    assert len(city) == 2
    assert client_of(personas.outsider).get(f"/api/v1/checkpoints/{CODE}").status_code == 404


def test_a_stale_checkpoint_update_answers_409(client_of, personas, zhuzhou_west):
    client = client_of(personas.county_officer)
    first = client.patch(
        f"/api/v1/checkpoints/{CODE}",
        {"version": 1, "place": "新位置"},
        content_type="application/json",
    )
    stale = client.patch(
        f"/api/v1/checkpoints/{CODE}",
        {"version": 1, "place": "旧位置"},
        content_type="application/json",
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    assert stale.status_code == 409 and stale.json()["current"]["place"] == "新位置"


def test_planning_a_week_and_reading_its_warnings(client_of, personas, zhuzhou_west):
    # given
    client = client_of(personas.county_officer)
    planned = client.post(
        f"/api/v1/checkpoints/{CODE}/roster",
        {"start": "2020-02-05"},
        content_type="application/json",
    )
    # when
    week = client.get(f"/api/v1/checkpoints/{CODE}/roster", {"week": "2020-02-05"}).json()
    # then
    assert planned.status_code == 200
    assert week["start"] == "2020-02-03" and len(week["shifts"]) == 21
    assert week["shifts"][0]["gaps"] == ["人数不足 0/2", "缺卫健 1 人", "缺公安 1 人"]
    assert len(week["warnings"]) == 21 * 3


def test_an_officer_cannot_plan_the_week(client_of, officer):
    response = client_of(officer).post(
        f"/api/v1/checkpoints/{CODE}/roster",
        {"start": "2020-02-05"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_assignments_attendance_and_handover(client_of, personas, officer, current_shift):
    # given: the county officer plans the officer's account onto the current shift
    planner = client_of(personas.county_officer)
    added = planner.post(
        f"/api/v1/shifts/{current_shift.pk}/assignments",
        {"staff_kind": "police", "user_id": officer.pk},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    assignment_id = added.json()["id"]
    # when: the officer checks in and out and writes the handover note
    me = client_of(officer)
    check_in = me.post(f"/api/v1/assignments/{assignment_id}/check-in")
    check_out = me.post(f"/api/v1/assignments/{assignment_id}/check-out")
    note = me.post(
        f"/api/v1/shifts/{current_shift.pk}/handover",
        {"note": "无异常。"},
        content_type="application/json",
    )
    summary = me.get(f"/api/v1/shifts/{current_shift.pk}/summary").json()
    # then
    assert check_in.json()["checked_in_at"] and check_out.json()["checked_out_at"]
    assert note.json()["handover_note"] == "无异常。"
    assert (summary["planned"], summary["came"], summary["breaches"]) == (1, 1, 0)


def test_an_officer_adds_a_walk_in_but_cannot_plan(client_of, officer, current_shift):
    client = client_of(officer)
    planned = client.post(
        f"/api/v1/shifts/{current_shift.pk}/assignments",
        {"staff_kind": "volunteer", "person_name": "志愿者乙"},
        content_type="application/json",
    )
    walk_in = client.post(
        f"/api/v1/shifts/{current_shift.pk}/assignments",
        {"staff_kind": "volunteer", "person_name": "志愿者乙", "check_in": True},
        content_type="application/json",
    )
    assert planned.status_code == 403
    assert walk_in.status_code == 201 and walk_in.json()["checked_in_at"]


def test_an_account_outside_the_candidates_is_refused(client_of, personas, current_shift):
    response = client_of(personas.county_officer).post(
        f"/api/v1/shifts/{current_shift.pk}/assignments",
        {"staff_kind": "police", "user_id": personas.outsider.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "该账号不在本卡点可排班的人员中。"


def test_removing_an_assignment(client_of, personas, current_shift):
    a = assignment_add(
        actor=personas.county_officer, shift=current_shift, staff_kind="police", person_name="甲"
    )
    response = client_of(personas.county_officer).delete(f"/api/v1/assignments/{a.pk}")
    assert response.status_code == 204 and not DutyAssignment.objects.exists()


def test_shifts_of_another_county_are_404(client_of, hetang_officer, zhuzhou_west):
    shift = shifts_ensure(checkpoint=zhuzhou_west, start=timezone.localdate(), days=1)[0]
    client = client_of(hetang_officer)
    assert client.get(f"/api/v1/shifts/{shift.pk}").status_code == 404
    assert client.get(f"/api/v1/shifts/{shift.pk}/summary").status_code == 404
    assert (
        client.post(
            f"/api/v1/shifts/{shift.pk}/handover", {"note": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert Shift.objects.get(pk=shift.pk).handover_note == ""


def test_destinations_and_origins(client_of, officer, tree, wuhan):
    client = client_of(officer)
    units = client.get(f"/api/v1/checkpoints/{CODE}/destinations", {"q": "月塘"}).json()
    origins = client.get("/api/v1/origins", {"q": "wh"}).json()
    assert tree.yuetang.code in [u["code"] for u in units]
    assert {"name": "湖北省武汉市", "is_high_risk": True} in origins
