"""The sites pages run on the real clock: the sites here are due at 00:00, so that they are
overdue whenever the test runs until a run is recorded."""

import io
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bastion.audit.models import AccessLog, Action
from bastion.community.models import DisinfectionRun, Site, SiteKind
from bastion.community.services import run_record, site_create
from bastion.community.tests.conftest import TOILET_ALL


@pytest.fixture
def due_toilet(tree, personas):
    """月塘公厕, due once a day by midnight: overdue all day until someone disinfects it."""
    return site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="月塘公厕",
        kind=SiteKind.PUBLIC_TOILET,
        times=["00:00"],
        now=timezone.now() - timedelta(days=1),
    )


@pytest.fixture
def done_bins(tree, personas):
    site = site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="月塘垃圾桶",
        kind=SiteKind.BIN_CLUSTER,
        times=["00:00"],
        now=timezone.now() - timedelta(days=1),
    )
    run_record(
        actor=personas.village_worker,
        site=site,
        agent="chlorine_84",
        concentration="500",
        checklist={"bins_inside": True, "bins_outside": True, "ground": True},
        client_uuid=uuid.uuid4(),
    )
    return site


def run_form(**overrides):
    data = {
        "agent": "chlorine_84",
        "concentration": "1000",
        "operator": "王师傅",
        "client_uuid": "5d1c3a43-6a8b-4a49-a1a4-5e2a0f4b7c01",
        "item_floor": "on",
        "item_squat_pans": "on",
        "item_door_handles": "on",
        "item_taps": "on",
    }
    return data | overrides


# the sites page


def test_sites_page_lists_overdue_sites_first_with_a_record_button(
    personas, client_of, due_toilet, done_bins
):
    # when
    response = client_of(personas.village_worker).get("/community/sites/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("月塘公厕") < html.index("月塘垃圾桶")
    assert f'data-site="{due_toilet.pk}" data-overdue' in html
    assert f'data-site="{done_bins.pk}" data-overdue' not in html
    assert f"/community/sites/{due_toilet.pk}/run/" in html
    assert response.context["overdue"] == 1


def test_sites_page_filters_overdue_only(personas, client_of, due_toilet, done_bins):
    response = client_of(personas.village_worker).get("/community/sites/?overdue=on")
    assert [s.site for s, _ in response.context["rows"]] == [due_toilet]


def test_sites_page_out_of_jurisdiction_shows_nothing(personas, client_of, due_toilet):
    response = client_of(personas.neighbour_worker).get("/community/sites/")
    assert "月塘公厕" not in response.content.decode()
    assert (
        client_of(personas.neighbour_worker).get(f"/community/sites/{due_toilet.pk}/").status_code
        == 404
    )


def test_auditor_sees_sites_without_a_record_button(personas, client_of, due_toilet):
    html = client_of(personas.auditor).get("/community/sites/").content.decode()
    assert "月塘公厕" in html
    assert f"/community/sites/{due_toilet.pk}/run/" not in html


def test_sites_page_query_count_does_not_grow(
    tree, personas, client_of, django_assert_max_num_queries
):
    for i in range(25):
        site_create(
            actor=personas.village_worker,
            unit=tree.yuetang,
            name=f"垃圾桶 {i}",
            kind=SiteKind.BIN_CLUSTER,
            runs_per_day=3,
        )
    client = client_of(personas.village_worker)
    with django_assert_max_num_queries(10):
        assert client.get("/community/sites/").status_code == 200


# recording a run


def test_run_form_shows_the_checklist_of_the_kind(personas, client_of, due_toilet):
    response = client_of(personas.village_worker).get(f"/community/sites/{due_toilet.pk}/run/")
    html = response.content.decode()
    for label in ("地面", "蹲位", "门把手", "水阀", "周边环境"):
        assert label in html
    assert response.context["form"].initial["concentration"] == "500"


def test_records_a_run_and_the_site_leaves_the_overdue_list(personas, client_of, due_toilet):
    client = client_of(personas.village_worker)
    # when
    response = client.post(
        f"/community/sites/{due_toilet.pk}/run/?next=/community/sites/", run_form()
    )
    # then
    assert response.status_code == 302
    assert response.url == "/community/sites/"
    run = DisinfectionRun.objects.get()
    assert run.checklist == {**TOILET_ALL, "surroundings": False}
    page = client.get(response.url)
    assert page.context["overdue"] == 0
    assert "已记录：月塘公厕，今日第 1 次。" in page.content.decode()


def test_a_double_tap_records_one_run(personas, client_of, due_toilet):
    client = client_of(personas.village_worker)
    client.post(f"/community/sites/{due_toilet.pk}/run/", run_form())
    client.post(f"/community/sites/{due_toilet.pk}/run/", run_form())
    assert DisinfectionRun.objects.count() == 1


def test_an_empty_checklist_is_refused_in_chinese(personas, client_of, due_toilet):
    data = {k: v for k, v in run_form().items() if not k.startswith("item_")}
    response = client_of(personas.village_worker).post(
        f"/community/sites/{due_toilet.pk}/run/", data
    )
    assert response.status_code == 200
    assert "请至少勾选一项已消杀的内容。" in response.content.decode()
    assert not DisinfectionRun.objects.exists()


def test_the_form_remembers_the_last_agent_and_operator(personas, client_of, due_toilet):
    client = client_of(personas.village_worker)
    client.post(
        f"/community/sites/{due_toilet.pk}/run/",
        run_form(agent="chlorine_dioxide", concentration="250"),
    )
    form = client.get(f"/community/sites/{due_toilet.pk}/run/").context["form"]
    assert (form.initial["agent"], str(form.initial["concentration"])) == (
        "chlorine_dioxide",
        "250",
    )
    assert form.initial["operator"] == "王师傅"


def test_an_unsafe_next_goes_to_the_sites_page(personas, client_of, due_toilet):
    response = client_of(personas.village_worker).post(
        f"/community/sites/{due_toilet.pk}/run/?next=https://evil.example/", run_form()
    )
    assert response.url == "/community/sites/"


def test_cannot_record_at_a_site_out_of_jurisdiction(personas, client_of, due_toilet):
    response = client_of(personas.neighbour_worker).post(
        f"/community/sites/{due_toilet.pk}/run/", run_form()
    )
    assert response.status_code == 404
    assert not DisinfectionRun.objects.exists()


# setting up sites


def test_sets_up_a_site_with_specific_times(tree, personas, client_of):
    response = client_of(personas.village_worker).post(
        "/community/sites/new/",
        {
            "unit": tree.yuetang.code,
            "name": "月塘小区口罩回收桶",
            "kind": "mask_waste_bin",
            "times": "9:00，17:00",
            "responsible_team": "物业保洁班",
        },
    )
    site = Site.objects.get()
    assert response.status_code == 302
    assert (site.times, site.responsible_team) == (["09:00", "17:00"], "物业保洁班")


def test_site_form_errors_are_in_chinese(tree, personas, client_of):
    response = client_of(personas.village_worker).post(
        "/community/sites/new/", {"unit": tree.yuetang.code, "name": "公厕", "kind": "market"}
    )
    assert "请填写每天消杀次数（1–24）或指定完成时限。" in response.content.decode()


def test_edits_and_stops_a_site(personas, client_of, due_toilet):
    client = client_of(personas.village_worker)
    response = client.post(
        f"/community/sites/{due_toilet.pk}/edit/",
        {"name": "月塘公厕（东）", "kind": "public_toilet", "runs_per_day": "2"},
    )
    assert response.status_code == 302, response.context["form"].errors
    due_toilet.refresh_from_db()
    assert (due_toilet.name, due_toilet.times, due_toilet.is_active) == (
        "月塘公厕（东）",
        ["14:00", "22:00"],
        False,
    )


def test_neighbours_cannot_edit_a_site(personas, client_of, due_toilet):
    assert (
        client_of(personas.neighbour_worker)
        .get(f"/community/sites/{due_toilet.pk}/edit/")
        .status_code
        == 404
    )


def test_site_detail_lists_recent_runs(personas, client_of, done_bins):
    html = client_of(personas.village_worker).get(f"/community/sites/{done_bins.pk}/").content
    assert "桶内✓ 桶身、桶盖✓ 周边地面✓" in html.decode()


# export


def test_exports_the_runs_with_a_reason(personas, client_of, done_bins):
    response = client_of(personas.township_officer).post(
        "/community/runs/export/", {"reason": "城管局核查"}
    )
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][:4] == ["消杀时间", "单元代码", "单元", "点位"]
    assert rows[1][3:6] == ["月塘垃圾桶", "垃圾桶（收集点）", "84消毒液"]
    assert rows[1][9] == "是"
    log = AccessLog.objects.get(action=Action.EXPORT)
    assert (log.object_type, log.detail) == ("disinfection_run", {"count": 1})


def test_export_holds_only_the_jurisdiction(personas, client_of, done_bins):
    response = client_of(personas.outsider).post("/community/runs/export/", {"reason": "核对"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert len(rows) == 1
