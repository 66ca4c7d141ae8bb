import uuid

from django.urls import reverse
from django.utils import timezone

from bastion.mobilisation import services
from bastion.mobilisation.models import Application, Member, Team, WorkLog


def test_the_summary_shows_counts_per_unit(tree, personas, member_in, client_of):
    # given
    member_in(tree.yuetang, party=True)
    # when
    response = client_of(personas.township_officer).get(
        reverse("mobilisation:unit_summary", args=[tree.liyu.code])
    )
    # then
    assert response.status_code == 200
    rows = {r.unit.code: r for r in response.context["rows"]}
    assert rows[tree.yuetang.code].party_members == 1
    assert "今日在岗" in response.content.decode()


def test_the_index_leads_to_the_home_unit(tree, personas, client_of):
    # when
    response = client_of(personas.village_worker).get(reverse("mobilisation:index"))
    # then
    assert response.url == reverse("mobilisation:unit_summary", args=[tree.yuetang.code])


def test_pages_of_another_county_are_404(tree, personas, member_in, village_call, client_of):
    # given
    team = services.team_create(actor=personas.township_officer, unit=tree.liyu, name="支援队")
    client = client_of(personas.outsider)
    # when
    pages = [
        reverse("mobilisation:unit_summary", args=[tree.yuetang.code]),
        reverse("mobilisation:member_list", args=[tree.yuetang.code]),
        reverse("mobilisation:call_list", args=[tree.yuetang.code]),
        reverse("mobilisation:call_detail", args=[village_call.pk]),
        reverse("mobilisation:team_detail", args=[team.pk]),
        reverse("mobilisation:work_log_create", args=[tree.yuetang.code]),
        reverse("mobilisation:pledge_create") + f"?call={village_call.pk}",
    ]
    # then
    assert [client.get(p).status_code for p in pages] == [404] * len(pages)


def test_it_adds_a_member_from_the_registry(tree, personas, person_in, client_of):
    # given
    person = person_in(tree.yuetang, "刘建国")
    # when
    response = client_of(personas.township_officer).post(
        reverse("mobilisation:member_create", args=[tree.yuetang.code]),
        {"person": person.pk, "is_party_member": "on", "party_since_year": "1999"},
    )
    # then
    assert response.status_code == 302
    assert Member.objects.get().party_since_year == 1999


def test_the_member_form_shows_the_year_error(tree, personas, person_in, client_of):
    # given
    person = person_in(tree.yuetang)
    # when
    response = client_of(personas.township_officer).post(
        reverse("mobilisation:member_create", args=[tree.yuetang.code]),
        {"person": person.pk, "is_party_member": "on"},
    )
    # then
    assert response.status_code == 200
    assert "请填写入党年份。" in response.content.decode()
    assert not Member.objects.exists()


def test_the_member_list_masks_names(tree, personas, member_in, client_of):
    # given
    member_in(tree.yuetang, name="刘建国")
    # when
    response = client_of(personas.village_worker).get(
        reverse("mobilisation:member_list", args=[tree.yuetang.code])
    )
    # then
    page = response.content.decode()
    assert "刘**" in page
    assert "刘建国" not in page


def test_one_tap_applies_the_chosen_member(tree, personas, member_in, village_call, client_of):
    # given
    member = member_in(tree.yuetang)
    client = client_of(personas.village_worker)
    listed = client.get(
        reverse("mobilisation:call_list", args=[tree.yuetang.code]), {"member": member.pk}
    )
    # when
    response = client.post(
        reverse("mobilisation:call_apply", args=[village_call.pk]),
        {"member": member.pk, "back": tree.yuetang.code},
    )
    # then
    assert "data-apply" in listed.content.decode()
    assert response.status_code == 302
    assert Application.objects.get().member == member


def test_the_unit_selects_an_applicant(tree, personas, member_in, village_call, client_of):
    # given
    application = services.application_create(
        actor=personas.village_worker, member=member_in(tree.yuetang), call=village_call
    )
    # when
    response = client_of(personas.township_officer).post(
        reverse("mobilisation:application_decide", args=[application.pk]), {"select": "1"}
    )
    # then
    assert response.url == reverse("mobilisation:call_detail", args=[village_call.pk])
    application.refresh_from_db()
    assert application.status == "selected"


def test_a_village_worker_cannot_select(tree, personas, member_in, village_call, client_of):
    # given
    application = services.application_create(
        actor=personas.village_worker, member=member_in(tree.yuetang), call=village_call
    )
    # when
    response = client_of(personas.village_worker).post(
        reverse("mobilisation:application_decide", args=[application.pk]), {"select": "1"}
    )
    # then
    assert response.status_code == 404


def test_it_takes_a_pledge_with_a_party_application(
    tree, personas, member_in, village_call, client_of
):
    # given
    nurse = member_in(tree.yuetang, name="王护士")
    # when
    response = client_of(personas.village_worker).post(
        reverse("mobilisation:pledge_create") + f"?call={village_call.pk}",
        {"member": nurse.pk, "statement": "请组织批准我上一线", "applies_to_join_party": "on"},
    )
    # then
    assert response.status_code == 302
    pledge = Application.objects.get()
    assert (pledge.is_pledge, pledge.applies_to_join_party) == (True, True)


def test_it_forms_a_team_and_shows_its_branch(tree, personas, member_in, client_of):
    # given
    leader = member_in(tree.yuetang, party=True)
    client = client_of(personas.township_officer)
    # when
    response = client.post(
        reverse("mobilisation:team_create", args=[tree.liyu.code]),
        {
            "name": "赴湖北医疗支援队",
            "members": [leader.pk],
            "leader": leader.pk,
            "branch_name": "赴湖北医疗支援临时党支部",
        },
    )
    page = client.get(response.url).content.decode()
    # then
    assert Team.objects.get().leader == leader
    assert "赴湖北医疗支援临时党支部" in page
    assert "1 人，其中党员 1 人" in page


def test_the_work_log_form_records_once(tree, personas, member_in, client_of):
    # given
    member = member_in(tree.yuetang)
    client = client_of(personas.village_worker)
    data = {
        "member": member.pk,
        "day": timezone.localdate().isoformat(),
        "hours": "10.5",
        "cancelled_leave": "on",
        "client_uuid": str(uuid.uuid4()),
    }
    url = reverse("mobilisation:work_log_create", args=[tree.yuetang.code])
    # when
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    # then
    assert first.status_code == 302
    assert "这条记录已经保存过，没有重复登记。" in second.content.decode()
    assert WorkLog.objects.get().cancelled_leave is True


def test_the_work_log_form_rejects_bad_hours(tree, personas, member_in, client_of):
    # given
    member = member_in(tree.yuetang)
    # when
    response = client_of(personas.village_worker).post(
        reverse("mobilisation:work_log_create", args=[tree.yuetang.code]),
        {
            "member": member.pk,
            "day": timezone.localdate().isoformat(),
            "hours": "7.3",
            "client_uuid": str(uuid.uuid4()),
        },
    )
    # then
    assert "工作时长须大于 0、不超过 24 小时，以半小时计。" in response.content.decode()
    assert not WorkLog.objects.exists()


def test_the_call_page_keeps_its_queries_few(
    tree, personas, member_in, village_call, client_of, django_assert_max_num_queries
):
    # given
    for i in range(15):
        services.application_create(
            actor=personas.village_worker,
            member=member_in(tree.yuetang, party=i % 2 == 0),
            call=village_call,
        )
    client = client_of(personas.township_officer)
    # when / then
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mobilisation:call_detail", args=[village_call.pk]))
    assert response.status_code == 200
    assert len(response.context["applications"]) == 15


def test_an_officer_sends_a_member_on_a_duty_and_sees_it_today(
    tree, personas, member_in, client_of
):
    # given
    from django.utils import timezone

    member = member_in(tree.yuetang, name="罗勇")
    client = client_of(personas.township_officer)
    today = timezone.localdate().isoformat()
    # when
    response = client.post(
        f"/mobilisation/units/{tree.liyu.code}/assignments/",
        {
            "member": member.pk,
            "duty": "入口测温",
            "place": "栗雨路口",
            "starts_on": today,
            "ends_on": today,
        },
        follow=True,
    )
    # then
    page = response.content.decode()
    assert "已派遣。" in page and "入口测温 · 栗雨路口" in page


def test_a_duty_ending_before_it_starts_shows_the_field_error(tree, personas, member_in, client_of):
    member = member_in(tree.yuetang)
    response = client_of(personas.township_officer).post(
        f"/mobilisation/units/{tree.liyu.code}/assignments/",
        {"member": member.pk, "duty": "测温", "starts_on": "2020-02-10", "ends_on": "2020-02-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]


def test_a_worker_sees_duties_but_cannot_send_and_outsiders_get_404(
    tree, personas, member_in, client_of
):
    worker = client_of(personas.village_worker)
    assert (
        worker.get(f"/mobilisation/units/{tree.yuetang.code}/assignments/").context["form"] is None
    )
    assert (
        worker.post(f"/mobilisation/units/{tree.yuetang.code}/assignments/", {}).status_code == 404
    )
    assert (
        client_of(personas.outsider)
        .get(f"/mobilisation/units/{tree.liyu.code}/assignments/")
        .status_code
        == 404
    )


def test_an_officer_closes_a_call_and_applications_stop(
    tree, personas, member_in, village_call, client_of
):
    # given
    client = client_of(personas.township_officer)
    # when
    response = client.post(f"/mobilisation/calls/{village_call.pk}/close/", follow=True)
    # then
    village_call.refresh_from_db()
    assert "征集已结束。" in response.content.decode() and village_call.status == "closed"
    assert (
        client_of(personas.outsider)
        .post(f"/mobilisation/calls/{village_call.pk}/close/")
        .status_code
        == 404
    )
