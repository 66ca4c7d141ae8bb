import uuid

from django.utils import timezone

from bastion.audit.models import AccessLog, Action
from bastion.mobilisation import services
from bastion.mobilisation.models import Member, Team, WorkLog


def test_it_adds_and_lists_members_masked(tree, personas, person_in, api_of):
    # given
    person = person_in(tree.yuetang, "刘建国")
    api = api_of(personas.township_officer)
    # when
    created = api.post(
        "/members",
        {
            "unit": tree.yuetang.code,
            "person_id": person.pk,
            "is_party_member": True,
            "party_since_year": 1999,
            "skills": ["driving"],
        },
    )
    listed = api.get("/members", unit=tree.liyu.code)
    # then
    assert created.status_code == 201
    assert created.json()["name"] == "刘**"
    assert listed.json()["count"] == 1
    assert listed.json()["items"][0]["skills"] == ["driving"]
    assert AccessLog.objects.filter(action=Action.LIST, object_type="member").exists()


def test_rejects_a_bad_party_year_with_a_chinese_message(tree, personas, person_in, api_of):
    # when
    response = api_of(personas.township_officer).post(
        "/members",
        {
            "unit": tree.yuetang.code,
            "person_id": person_in(tree.yuetang).pk,
            "is_party_member": True,
        },
    )
    # then
    assert response.status_code == 422
    assert {"field": "party_since_year", "message": "请填写入党年份。"} in response.json()["errors"]


def test_members_of_another_county_are_404(tree, personas, member_in, api_of):
    # given
    member_in(tree.yuetang)
    # when
    response = api_of(personas.outsider).get("/members", unit=tree.yuetang.code)
    # then
    assert response.status_code == 404


def test_it_posts_a_call_applies_and_selects(tree, personas, member_in, api_of):
    # given
    member = member_in(tree.yuetang)
    officer = api_of(personas.township_officer)
    call = officer.post(
        "/calls",
        {"unit": tree.liyu.code, "title": "疫情防控监测工作人员", "people_needed": 20},
    ).json()
    # when
    applied = api_of(personas.village_worker).post(
        f"/calls/{call['id']}/applications", {"member_id": member.pk}
    )
    selected = officer.post(
        f"/calls/{call['id']}/applications/{applied.json()['id']}/select", {"select": True}
    )
    # then
    assert applied.status_code == 201
    assert selected.status_code == 200
    assert selected.json()["status"] == "selected"
    assert officer.get("/calls", unit=tree.liyu.code).json()["count"] == 1


def test_a_call_out_of_jurisdiction_is_404(tree, personas, member_in, village_call, api_of):
    # given
    member = member_in(tree.yuetang)
    application = services.application_create(
        actor=personas.village_worker, member=member, call=village_call
    )
    outsider = api_of(personas.outsider)
    # when
    applied = outsider.post(f"/calls/{village_call.pk}/applications", {"member_id": member.pk})
    selected = outsider.post(
        f"/calls/{village_call.pk}/applications/{application.pk}/select", {"select": True}
    )
    # then
    assert applied.status_code == 404
    assert selected.status_code == 404


def test_it_forms_a_team_with_a_branch(tree, personas, member_in, api_of):
    # given
    leader = member_in(tree.yuetang, party=True)
    api = api_of(personas.township_officer)
    # when
    response = api.post(
        "/teams",
        {
            "unit": tree.liyu.code,
            "name": "赴湖北医疗支援队",
            "member_ids": [leader.pk],
            "leader_id": leader.pk,
            "branch_name": "赴湖北医疗支援临时党支部",
        },
    )
    # then
    assert response.status_code == 201
    out = response.json()
    assert (out["member_count"], out["party_branch_name"]) == (1, "赴湖北医疗支援临时党支部")
    assert [t["name"] for t in api.get("/teams", unit=tree.liyu.code).json()] == [
        "赴湖北医疗支援队"
    ]


def test_teams_of_another_county_are_404(tree, personas, api_of):
    # given
    services.team_create(actor=personas.township_officer, unit=tree.liyu, name="支援队")
    # when
    response = api_of(personas.outsider).get("/teams", unit=tree.liyu.code)
    # then
    assert response.status_code == 404
    assert Team.objects.count() == 1


def test_a_work_log_replay_answers_200_with_the_first_record(tree, personas, member_in, api_of):
    # given
    member = member_in(tree.yuetang)
    body = {
        "member_id": member.pk,
        "day": timezone.localdate().isoformat(),
        "hours": "12",
        "cancelled_leave": True,
        "client_uuid": str(uuid.uuid4()),
    }
    api = api_of(personas.village_worker)
    # when
    first = api.post("/work-logs", body)
    again = api.post("/work-logs", body | {"hours": "3"})
    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert WorkLog.objects.get().hours == 12


def test_a_work_log_for_a_member_out_of_jurisdiction_is_refused(tree, personas, member_in, api_of):
    # given
    member = member_in(tree.yuetang)
    # when
    response = api_of(personas.outsider).post(
        "/work-logs",
        {
            "member_id": member.pk,
            "day": timezone.localdate().isoformat(),
            "hours": "8",
            "client_uuid": str(uuid.uuid4()),
        },
    )
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "member", "message": "队员不存在或不在您的辖区内。"}
    ]
    assert Member.objects.count() == 1
    assert not WorkLog.objects.exists()


def test_a_village_worker_sees_the_calls_of_the_township_but_not_of_another(tree, personas, api_of):
    # given
    services.call_create(
        actor=personas.township_officer, unit=tree.liyu, title="测温", people_needed=5
    )
    services.call_create(
        actor=personas.commander, unit=tree.yuetang_street, title="外区征集", people_needed=5
    )
    # when
    listed = api_of(personas.village_worker).get("/calls", unit=tree.yuetang.code)
    # then
    assert [c["title"] for c in listed.json()["items"]] == ["测温"]


def test_it_sends_a_member_on_a_duty_and_lists_it_by_day(tree, personas, member_in, api_of):
    # given
    member = member_in(tree.yuetang)
    api = api_of(personas.township_officer)
    # when
    created = api.post(
        "/assignments",
        {
            "member_id": member.pk,
            "duty": "乡镇入口 24 小时轮班测温",
            "place": "栗雨路口",
            "starts_on": "2020-01-28",
            "ends_on": "2020-02-10",
        },
    )
    on_duty = api.get("/assignments", unit=tree.liyu.code, on="2020-02-01")
    after = api.get("/assignments", unit=tree.liyu.code, on="2020-02-11")
    # then
    assert created.status_code == 201 and created.json()["duty"] == "乡镇入口 24 小时轮班测温"
    assert [a["member_id"] for a in on_duty.json()] == [member.pk]
    assert after.json() == []


def test_a_duty_that_ends_before_it_starts_is_refused(tree, personas, member_in, api_of):
    member = member_in(tree.yuetang)
    response = api_of(personas.township_officer).post(
        "/assignments",
        {
            "member_id": member.pk,
            "duty": "测温",
            "starts_on": "2020-02-10",
            "ends_on": "2020-02-01",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ends_on"


def test_assignments_out_of_jurisdiction_are_refused(tree, personas, member_in, api_of):
    member = member_in(tree.yuetang)
    outsider = api_of(personas.outsider)
    assert outsider.get("/assignments", unit=tree.liyu.code).status_code == 404
    refused = outsider.post(
        "/assignments",
        {
            "member_id": member.pk,
            "duty": "测温",
            "starts_on": "2020-02-01",
            "ends_on": "2020-02-01",
        },
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "member_id"


def test_the_api_closes_a_call(tree, personas, village_call, api_of):
    closed = api_of(personas.township_officer).post(f"/calls/{village_call.pk}/close", {})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api_of(personas.outsider).post(f"/calls/{village_call.pk}/close", {}).status_code == 404
