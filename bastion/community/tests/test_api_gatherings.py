import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bastion.accounts.services import token_create
from bastion.audit.models import AccessLog, Action
from bastion.community.models import Gathering


@pytest.fixture
def api_of():
    """`api_of(user)`: a client that speaks JSON to /api/v1 with a personal access token."""

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

        def put(self, path, body):
            return self.client.put("/api/v1" + path, json.dumps(body), "application/json")

    return Api


def soon(days=7):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def body(tree, **overrides):
    return {
        "unit": tree.yuetang.code,
        "host_name": "刘建国",
        "kind": "wedding",
        "planned_date": soon(),
        "expected_guests": 120,
    } | overrides


def test_records_a_gathering(tree, personas, api_of):
    # when
    response = api_of(personas.village_worker).post("/gatherings", body(tree))
    # then
    assert response.status_code == 201
    out = response.json()
    assert out["unit_code"] == tree.yuetang.code
    assert (out["guest_limit"], out["over_limit"], out["outcome"]) == (50, True, "")
    assert out["warnings"] == ["预计 120 人，超过宴席人数上限 50 人：请劝导延期、取消或缩小规模。"]


def test_a_replayed_client_uuid_answers_200_with_the_first_record(tree, personas, api_of):
    api = api_of(personas.village_worker)
    key = str(uuid.uuid4())
    first = api.post("/gatherings", body(tree, client_uuid=key))
    again = api.post("/gatherings", body(tree, client_uuid=key, expected_guests=20))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["expected_guests"] == 120
    assert Gathering.objects.count() == 1


def test_an_idempotency_key_replays_the_answer(tree, personas, api_of):
    api = api_of(personas.village_worker)
    first = api.post("/gatherings", body(tree), **{"Idempotency-Key": "k1"})
    again = api.post("/gatherings", body(tree), **{"Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert Gathering.objects.count() == 1


def test_field_errors_come_back_in_chinese(tree, personas, api_of):
    response = api_of(personas.village_worker).post(
        "/gatherings", body(tree, outcome="held_with_plan", expected_guests=80)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "has_prevention_plan", "message": "按防控方案举办的，须有防控方案。"},
        {"field": "approved_by", "message": "按防控方案举办的，请填写审批的指挥部或单位。"},
    ]


def test_recording_out_of_jurisdiction_is_refused(tree, personas, api_of):
    response = api_of(personas.outsider).post("/gatherings", body(tree))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "unit", "message": "所属单元不存在或不在您的辖区内。"}
    ]


def test_host_from_the_registry(tree, personas, api_of, villager, neighbour_villager):
    api = api_of(personas.village_worker)
    response = api.post("/gatherings", body(tree, host_name="", host_id=villager.pk))
    assert (response.json()["host_name"], response.json()["host_id"]) == ("张三", villager.pk)
    response = api.post("/gatherings", body(tree, host_id=neighbour_villager.pk))
    assert response.json()["errors"] == [
        {"field": "host_id", "message": "办宴人不在您辖区的人员库中。"}
    ]


def test_lists_scoped_and_logged(tree, personas, api_of):
    api_of(personas.village_worker).post("/gatherings", body(tree))
    mine = api_of(personas.village_worker).get("/gatherings", outcome="pending")
    theirs = api_of(personas.neighbour_worker).get("/gatherings")
    assert mine.json()["count"] == 1 and theirs.json()["count"] == 0
    assert AccessLog.objects.filter(action=Action.LIST, channel="api").count() == 2
    assert (
        api_of(personas.neighbour_worker).get("/gatherings", unit=tree.yuetang.code).status_code
        == 404
    )


def test_records_the_outcome_with_patch_and_409_when_stale(tree, personas, api_of):
    # given
    api = api_of(personas.village_worker)
    gathering_id = api.post("/gatherings", body(tree)).json()["id"]
    # when
    response = api.patch(
        f"/gatherings/{gathering_id}",
        {"version": 1, "action": "visit", "persuaded_by": "龙建忠", "outcome": "postponed"},
    )
    # then
    assert response.status_code == 200
    out = response.json()
    assert (out["outcome"], out["version"], out["warnings"]) == ("postponed", 2, [])
    stale = api.patch(f"/gatherings/{gathering_id}", {"version": 1, "outcome": "cancelled"})
    assert stale.status_code == 409
    assert stale.json()["current"]["outcome"] == "postponed"


def test_patch_out_of_jurisdiction_is_404(tree, personas, api_of):
    gathering_id = api_of(personas.village_worker).post("/gatherings", body(tree)).json()["id"]
    response = api_of(personas.neighbour_worker).patch(
        f"/gatherings/{gathering_id}", {"version": 1, "outcome": "cancelled"}
    )
    assert response.status_code == 404
    assert api_of(personas.neighbour_worker).get(f"/gatherings/{gathering_id}").status_code == 404


def test_registers_attendees_masked(tree, personas, api_of, villager, neighbour_villager):
    # given: a funeral held with a plan
    api = api_of(personas.village_worker)
    gathering_id = api.post(
        "/gatherings",
        body(
            tree,
            kind="funeral",
            expected_guests=30,
            outcome="held_with_plan",
            has_prevention_plan=True,
            approved_by="栗雨街道指挥部",
        ),
    ).json()["id"]
    # when
    response = api.put(f"/gatherings/{gathering_id}/attendees", {"person_ids": [villager.pk]})
    # then
    assert response.status_code == 200
    assert response.json()["attendees"] == [
        {
            "id": villager.pk,
            "name": "张三",
            "id_number_masked": "4302**********0011",
            "mobile_masked": "138****8000",
            "unit_code": tree.yuetang.code,
        }
    ]
    refused = api.put(
        f"/gatherings/{gathering_id}/attendees", {"person_ids": [neighbour_villager.pk]}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "person_ids", "message": "参加人员不存在或不在您的辖区内。"}
    ]
    detail = api.get(f"/gatherings/{gathering_id}")
    assert detail.json()["attendee_count"] == 1
    assert AccessLog.objects.filter(action=Action.VIEW, object_type="gathering").exists()


def test_counts_per_village(tree, personas, api_of):
    api = api_of(personas.village_worker)
    for outcome in ("postponed", "cancelled", "postponed", ""):
        api.post("/gatherings", body(tree, outcome=outcome))
    response = api_of(personas.township_officer).get("/gatherings/counts", unit=tree.liyu.code)
    assert response.status_code == 200
    out = response.json()
    assert out["total"]["persuaded"] == 3
    assert out["total"]["by_outcome"] == {"cancelled": 1, "pending": 1, "postponed": 2}
    rows = {r["unit_code"]: r for r in out["rows"]}
    assert rows[tree.yuetang.code]["total"] == 4 and rows[tree.liyujuwei.code]["total"] == 0


def test_counts_out_of_jurisdiction_are_404(tree, personas, api_of):
    response = api_of(personas.village_worker).get("/gatherings/counts", unit=tree.liyu.code)
    assert response.status_code == 404
