import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bastion.accounts.services import token_create
from bastion.community.models import DisinfectionRun, SiteKind
from bastion.community.services import site_create
from bastion.community.tests.conftest import TOILET_ALL
from bastion.orgs.services import unit_create
from bastion.testing import person_of


@pytest.fixture
def api_of():
    class Api:
        def __init__(self, user):
            _token, raw = token_create(user=user, name="test")
            self.client = Client(headers={"Authorization": f"Bearer {raw}"})

        def get(self, path, **params):
            return self.client.get("/api/v1" + path, params)

        def post(self, path, body, **headers):
            return self.client.post(
                "/api/v1" + path, json.dumps(body), "application/json", headers=headers
            )

        def patch(self, path, body):
            return self.client.patch("/api/v1" + path, json.dumps(body), "application/json")

    return Api


@pytest.fixture
def due_toilet(tree, personas):
    """Due by 00:00 every day: overdue until someone disinfects it today."""
    return site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="月塘公厕",
        kind=SiteKind.PUBLIC_TOILET,
        times=["00:00"],
        now=timezone.now() - timedelta(days=1),
    )


def run_body(site, **overrides):
    return {
        "site_id": site.pk,
        "client_uuid": str(uuid.uuid4()),
        "agent": "chlorine_84",
        "concentration": 1000,
        "checklist": TOILET_ALL,
    } | overrides


def test_lists_overdue_sites_until_a_run_is_recorded(tree, personas, api_of, due_toilet):
    api = api_of(personas.village_worker)
    # given
    response = api.get("/sites", unit=tree.yuetang.code, overdue=1)
    assert response.status_code == 200
    assert [s["name"] for s in response.json()["items"]] == ["月塘公厕"]
    assert response.json()["overdue_count"] == 1
    # when
    recorded = api.post("/disinfection-runs", run_body(due_toilet))
    # then
    assert recorded.status_code == 201
    assert recorded.json()["complete"] is True
    assert api.get("/sites", unit=tree.yuetang.code, overdue=1).json()["items"] == []
    site = api.get(f"/sites/{due_toilet.pk}").json()
    assert (site["runs_today"], site["due_now"], site["overdue"]) == (1, 1, False)


def test_a_replayed_client_uuid_answers_200(personas, api_of, due_toilet):
    api = api_of(personas.village_worker)
    run = run_body(due_toilet)
    first = api.post("/disinfection-runs", run)
    again = api.post("/disinfection-runs", run)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert DisinfectionRun.objects.count() == 1


def test_checklist_errors_come_back_in_chinese(personas, api_of, due_toilet):
    response = api_of(personas.village_worker).post(
        "/disinfection-runs", run_body(due_toilet, checklist={"floor": True})
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "checklist",
            "message": "请逐项填写检查清单（缺少：蹲位、门把手、水阀、周边环境）。",
        }
    ]


def test_a_run_at_a_site_out_of_jurisdiction_is_refused(personas, api_of, due_toilet):
    response = api_of(personas.neighbour_worker).post("/disinfection-runs", run_body(due_toilet))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "site_id", "message": "点位不存在或不在您的辖区内。"}
    ]


def test_sites_out_of_jurisdiction(tree, personas, api_of, due_toilet):
    api = api_of(personas.neighbour_worker)
    assert api.get("/sites").json()["items"] == []
    assert api.get(f"/sites/{due_toilet.pk}").status_code == 404
    assert api.get("/sites", unit=tree.yuetang.code).status_code == 404


def test_creates_a_site_with_n_runs_a_day(tree, personas, api_of):
    response = api_of(personas.village_worker).post(
        "/sites",
        {"unit": tree.yuetang.code, "name": "月塘市场", "kind": "market", "runs_per_day": 2},
    )
    assert response.status_code == 201
    assert response.json()["times"] == ["14:00", "22:00"]


def test_site_errors(tree, personas, api_of):
    response = api_of(personas.village_worker).post(
        "/sites", {"unit": tree.liyujuwei.code, "name": "市场", "kind": "market"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "unit", "message": "所属单元不存在或不在您的辖区内。"}
    ]
    response = api_of(personas.village_worker).post(
        "/sites", {"unit": tree.yuetang.code, "name": "市场", "kind": "market"}
    )
    assert response.json()["errors"] == [
        {"field": "runs_per_day", "message": "请填写每天消杀次数（1–24）或指定完成时限。"}
    ]


def test_a_department_is_made_responsible_and_sees_the_site(tree, personas, api_of):
    department = unit_create(parent=tree.city, name="市城管局", kind="department")
    crew = person_of("crew", "volunteer", department)
    created = api_of(personas.commander).post(
        "/sites",
        {
            "unit": tree.liyu.code,
            "name": "株洲西收费站",
            "kind": "toll_gate",
            "responsible_unit": department.code,
            "times": ["08:00", "20:00"],
        },
    )
    assert created.status_code == 201
    assert created.json()["responsible_unit_name"] == "市城管局"
    assert [s["name"] for s in api_of(crew).get("/sites").json()["items"]] == ["株洲西收费站"]


def test_patches_the_schedule(personas, api_of, due_toilet):
    response = api_of(personas.village_worker).patch(f"/sites/{due_toilet.pk}", {"runs_per_day": 4})
    assert response.status_code == 200
    assert response.json()["times"] == ["10:00", "14:00", "18:00", "22:00"]


def test_checklists_per_kind(personas, api_of):
    response = api_of(personas.village_worker).get("/sites/checklists")
    kinds = {c["kind"]: c for c in response.json()}
    assert [i["label"] for i in kinds["public_toilet"]["items"]] == [
        "地面",
        "蹲位",
        "门把手",
        "水阀",
        "周边环境",
    ]
    assert len(kinds) == 9


def test_runs_are_listed_in_scope(personas, api_of, due_toilet):
    api_of(personas.village_worker).post("/disinfection-runs", run_body(due_toilet))
    assert api_of(personas.township_officer).get("/disinfection-runs").json()["count"] == 1
    assert api_of(personas.neighbour_worker).get("/disinfection-runs").json()["count"] == 0


def test_compliance_per_village(tree, personas, api_of, due_toilet):
    api_of(personas.village_worker).post("/disinfection-runs", run_body(due_toilet))
    response = api_of(personas.township_officer).get(
        "/disinfection-compliance", unit=tree.liyu.code
    )
    assert response.status_code == 200
    out = response.json()
    assert len(out["days"]) == 7
    rows = {r["unit_code"]: r for r in out["rows"]}
    today = rows[tree.yuetang.code]["days"][-1]
    assert (today["due"], today["done"], today["rate"]) == (1, 1, 1.0)
    assert out["total"]["overdue"] == 0


def test_compliance_out_of_jurisdiction_is_404(tree, personas, api_of):
    response = api_of(personas.village_worker).get("/disinfection-compliance", unit=tree.liyu.code)
    assert response.status_code == 404
