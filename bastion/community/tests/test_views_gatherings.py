import io
from datetime import timedelta

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bastion.audit.models import AccessLog, Action
from bastion.community.models import Gathering
from bastion.community.services import gathering_attendees_set, gathering_update


def soon(days=7):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def form_data(tree, **overrides):
    data = {
        "unit": tree.yuetang.code,
        "host_name": "刘建国",
        "kind": "wedding",
        "planned_date": soon(),
        "expected_guests": "120",
        "place": "月塘路 8 号",
        "client_uuid": "8a4f4c59-38b8-4b8c-9d3b-0c7a3e0c9f11",
    }
    return data | overrides


@pytest.fixture
def recent(tree, personas):
    """A gathering recorded today (the pages run on the real clock)."""
    from bastion.community.services import gathering_create

    def make(**fields):
        values = {
            "actor": personas.village_worker,
            "unit": tree.yuetang,
            "host_name": "刘建国",
            "kind": "wedding",
            "planned_date": timezone.localdate() + timedelta(days=7),
            "expected_guests": 120,
        }
        gathering, _ = gathering_create(**(values | fields))
        return gathering

    return make


# list


def test_list_shows_pending_first_with_warnings_and_is_logged(personas, client_of, recent):
    # given
    recent(host_name="王五", outcome="postponed")
    recent(host_name="刘建国")
    # when
    response = client_of(personas.village_worker).get("/community/gatherings/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("刘建国") < html.index("王五")
    assert "预计 120 人，超过宴席人数上限 50 人" in html
    log = AccessLog.objects.get(action=Action.LIST, object_type="gathering")
    assert log.detail == {"count": 2, "page": 1, "outcome": ""}


def test_list_out_of_jurisdiction_shows_nothing(tree, personas, client_of, recent):
    recent()
    client = client_of(personas.neighbour_worker)
    response = client.get("/community/gatherings/")
    assert "刘建国" not in response.content.decode()
    # and filtering by a unit out of scope is ignored (not a choice)
    response = client.get(f"/community/gatherings/?unit={tree.yuetang.code}")
    assert "刘建国" not in response.content.decode()


def test_list_query_count_does_not_grow(personas, client_of, recent, django_assert_max_num_queries):
    for i in range(30):
        recent(host_name=f"户{i}")
    client = client_of(personas.village_worker)
    with django_assert_max_num_queries(12):
        assert client.get("/community/gatherings/").status_code == 200


def test_volunteers_have_no_gathering_pages(tree, client_of):
    from bastion.testing import person_of

    volunteer = person_of("volunteer", "volunteer", tree.yuetang)
    assert client_of(volunteer).get("/community/gatherings/").status_code == 404


# create


def test_records_a_gathering_from_the_phone_form(tree, personas, client_of):
    # when
    response = client_of(personas.village_worker).post(
        "/community/gatherings/new/",
        form_data(tree, action="visit", outcome="postponed", persuaded_by="龙建忠"),
    )
    # then
    gathering = Gathering.objects.get()
    assert response.status_code == 302
    assert response.url == f"/community/gatherings/{gathering.pk}/"
    assert (gathering.outcome, gathering.persuaded_by) == ("postponed", "龙建忠")


def test_a_double_tap_records_once(tree, personas, client_of):
    client = client_of(personas.village_worker)
    client.post("/community/gatherings/new/", form_data(tree))
    response = client.post("/community/gatherings/new/", form_data(tree))
    assert response.status_code == 302
    assert Gathering.objects.count() == 1


def test_form_shows_field_errors_in_chinese(tree, personas, client_of):
    response = client_of(personas.village_worker).post(
        "/community/gatherings/new/",
        form_data(tree, host_name="", expected_guests="80", outcome="held_with_plan"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "请填写办宴人姓名。" in html
    assert not Gathering.objects.exists()
    response = client_of(personas.village_worker).post(
        "/community/gatherings/new/",
        form_data(
            tree,
            expected_guests="80",
            outcome="held_with_plan",
            has_prevention_plan="on",
            approved_by="栗雨街道指挥部",
        ),
    )
    assert "宴席人数不得超过 50 人（本次 80 人）。" in response.content.decode()


def test_form_remembers_the_last_unit_and_persuader(tree, personas, client_of, recent):
    recent(persuaded_by="龙建忠")
    response = client_of(personas.township_officer).get("/community/gatherings/new/")
    assert response.context["form"].initial.get("persuaded_by") is None
    response = client_of(personas.village_worker).get("/community/gatherings/new/")
    assert response.context["form"].initial["persuaded_by"] == "龙建忠"
    assert response.context["form"].initial["unit"] == tree.yuetang.code


def test_cannot_record_out_of_jurisdiction(tree, personas, client_of):
    response = client_of(personas.outsider).post("/community/gatherings/new/", form_data(tree))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Gathering.objects.exists()


def test_auditors_cannot_record(personas, client_of):
    assert client_of(personas.auditor).get("/community/gatherings/new/").status_code == 404


# detail and outcome


def test_detail_is_logged_and_404_out_of_jurisdiction(personas, client_of, recent):
    gathering = recent()
    response = client_of(personas.village_worker).get(f"/community/gatherings/{gathering.pk}/")
    assert response.status_code == 200
    assert "记录劝导结果" in response.content.decode()
    assert AccessLog.objects.filter(action=Action.VIEW, object_id=str(gathering.pk)).exists()
    assert (
        client_of(personas.neighbour_worker)
        .get(f"/community/gatherings/{gathering.pk}/")
        .status_code
        == 404
    )


def test_records_the_outcome(personas, client_of, recent):
    # given
    gathering = recent()
    client = client_of(personas.village_worker)
    data = client.get(f"/community/gatherings/{gathering.pk}/edit/").context["form"].initial
    # when
    body = {k: v for k, v in data.items() if v not in (None, False)}
    body |= {"planned_date": str(data["planned_date"]), "action": "visit", "outcome": "cancelled"}
    response = client.post(f"/community/gatherings/{gathering.pk}/edit/", body)
    # then
    assert response.status_code == 302
    gathering.refresh_from_db()
    assert (gathering.outcome, gathering.action, gathering.version) == ("cancelled", "visit", 2)


def test_a_stale_outcome_shows_the_current_record(personas, client_of, recent):
    gathering = recent()
    gathering_update(
        actor=personas.township_officer, gathering=gathering, version=1, outcome="postponed"
    )
    response = client_of(personas.village_worker).post(
        f"/community/gatherings/{gathering.pk}/edit/",
        {
            "unit": gathering.unit_code,
            "host_name": "刘建国",
            "kind": "wedding",
            "planned_date": gathering.planned_date.isoformat(),
            "expected_guests": "120",
            "outcome": "cancelled",
            "version": "1",
        },
    )
    assert response.status_code == 409
    assert "这条记录刚被别人修改过" in response.content.decode()
    assert response.context["form"].initial["outcome"] == "postponed"


def test_edit_is_404_out_of_jurisdiction(personas, client_of, recent):
    gathering = recent()
    assert (
        client_of(personas.neighbour_worker)
        .get(f"/community/gatherings/{gathering.pk}/edit/")
        .status_code
        == 404
    )


# attendees


@pytest.fixture
def held(recent):
    return recent(
        kind="funeral",
        expected_guests=30,
        outcome="held_with_plan",
        has_prevention_plan=True,
        approved_by="栗雨街道指挥部",
    )


def test_searches_the_registry_and_registers_an_attendee(personas, client_of, held, villager):
    client = client_of(personas.village_worker)
    url = f"/community/gatherings/{held.pk}/attendees/"
    # when: an htmx search by name
    response = client.post(url, {"q": "张三"}, headers={"HX-Request": "true"})
    # then: the partial, masked
    html = response.content.decode()
    assert "<html" not in html
    assert "张三" in html and "4302**********0011" in html and "430202199001010011" not in html
    assert AccessLog.objects.filter(action=Action.SEARCH, object_type="person").exists()
    # when: added
    response = client.post(url, {"person_id": villager.pk, "op": "add"})
    # then
    assert response.status_code == 302
    assert list(held.attendees.all()) == [villager]
    detail = client.get(f"/community/gatherings/{held.pk}/").content.decode()
    assert "138****8000" in detail and "13800138000" not in detail


def test_cannot_register_an_attendee_out_of_jurisdiction(
    personas, client_of, held, neighbour_villager
):
    client = client_of(personas.village_worker)
    response = client.post(
        f"/community/gatherings/{held.pk}/attendees/",
        {"person_id": neighbour_villager.pk, "op": "add"},
        follow=True,
    )
    assert "参加人员不存在或不在您的辖区内。" in response.content.decode()
    assert not held.attendees.exists()


def test_removes_an_attendee(personas, client_of, held, villager):
    gathering_attendees_set(actor=personas.village_worker, gathering=held, persons=[villager])
    client_of(personas.village_worker).post(
        f"/community/gatherings/{held.pk}/attendees/", {"person_id": villager.pk, "op": "remove"}
    )
    assert not held.attendees.exists()


# export


def test_exports_masked_names_with_a_reason(personas, client_of, recent):
    # given
    recent(host_name="刘建国", outcome="postponed", persuaded_by="龙建忠")
    client = client_of(personas.township_officer)
    assert client.get("/community/gatherings/export/").status_code == 200
    # when
    response = client.post("/community/gatherings/export/", {"reason": "向区指挥部报送"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[0][:4] == ["单元代码", "单元", "办宴人", "类别"]
    assert rows[1][2] == "刘**" and rows[1][11] == "延期举办"
    log = AccessLog.objects.get(action=Action.EXPORT)
    assert (log.reason, log.detail) == ("向区指挥部报送", {"count": 1, "masked": True})


def test_export_needs_a_reason(personas, client_of):
    response = client_of(personas.township_officer).post("/community/gatherings/export/", {})
    assert "请填写导出事由。" in response.content.decode()


def test_export_holds_only_the_jurisdiction(tree, personas, client_of, recent):
    recent()
    response = client_of(personas.neighbour_worker).post(
        "/community/gatherings/export/", {"reason": "核对"}
    )
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert len(rows) == 1


def test_planned_date_field_parses_iso(tree, personas, client_of):
    response = client_of(personas.village_worker).post(
        "/community/gatherings/new/", form_data(tree, planned_date="2020/02/30")
    )
    assert "请填写正确的日期，例如 2020-01-25。" in response.content.decode()
    assert not Gathering.objects.exists()
