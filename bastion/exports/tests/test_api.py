import json
from datetime import timedelta

from django.utils import timezone

from bastion.audit.models import AccessLog, Action
from bastion.audit.services import access_log_write
from bastion.exports.models import ExportJob

URL = "/api/v1/exports"


def post(client, body, **headers):
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def test_an_export_is_requested_and_followed(tree, personas, people, client_of):
    # given
    client = client_of(personas.township_officer)
    # when
    answer = post(
        client,
        {"dataset": "persons", "unit": tree.yuetang.code, "purpose": "上报返乡人员名单"},
    )
    # then
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "done"
    assert body["masked"] is True
    assert body["row_count"] == 1
    assert body["file_url"] == f"/api/v1/exports/{body['id']}/file"
    assert client.get(f"{URL}/{body['id']}").json()["percent"] == 100
    assert [j["id"] for j in client.get(URL).json()["items"]] == [body["id"]]
    file = client.get(body["file_url"])
    assert file.status_code == 200
    assert AccessLog.objects.filter(action=Action.EXPORT, channel="api").count() == 2


def test_a_retried_request_queues_one_export(tree, personas, client_of):
    client = client_of(personas.village_worker)
    body = {"dataset": "persons", "purpose": "上报返乡人员名单"}
    first = post(client, body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert ExportJob.objects.count() == 1


def test_errors_are_field_level(tree, personas, client_of):
    answer = post(
        client_of(personas.village_worker),
        {"dataset": "observations", "purpose": "短", "filters": {"status": "gone"}},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "purpose", "message": "用途应为 4–200 个字。"},
        {"field": "status", "message": "不是可选的值。"},
    ]


def test_a_reveal_needs_a_reason(tree, personas, client_of):
    answer = post(
        client_of(personas.village_worker),
        {"dataset": "persons", "purpose": "电话随访名单", "reveal": True},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "reveal_reason"


def test_out_of_scope_units_and_other_peoples_jobs_are_not_found(tree, personas, client_of):
    # given
    mine = post(client_of(personas.village_worker), {"dataset": "persons", "purpose": "上报名单"})
    job_id = mine.json()["id"]
    outsider = client_of(personas.outsider)
    # when
    foreign_unit = post(
        outsider, {"dataset": "persons", "unit": tree.yuetang.code, "purpose": "上报名单"}
    )
    # then
    assert foreign_unit.status_code == 404
    assert outsider.get(f"{URL}/{job_id}").status_code == 404
    assert outsider.get(f"{URL}/{job_id}/file").status_code == 404
    assert outsider.get(URL).json()["items"] == []
    assert outsider.get(f"{URL}/{2**63}").status_code == 422


def test_an_expired_file_is_not_found(tree, personas, client_of):
    client = client_of(personas.village_worker)
    job_id = post(client, {"dataset": "persons", "purpose": "上报名单"}).json()["id"]
    ExportJob.objects.filter(pk=job_id).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"{URL}/{job_id}/file").status_code == 404
    assert client.get(f"{URL}/{job_id}").json()["expired"] is True


def test_an_auditor_lists_who_saw_a_person(tree, personas, people, client_of):
    # given
    zhangsan = people["zhangsan"]
    access_log_write(
        user=personas.village_worker,
        action=Action.REVEAL,
        object_type="person",
        object_id=zhangsan.pk,
        unit_code=zhangsan.unit_code,
        field="mobile",
        reason="电话随访",
    )
    # when
    answer = client_of(personas.auditor).get(f"/api/v1/audit/persons/{zhangsan.pk}/viewers")
    # then: the worker who revealed the phone, and the commander who registered him
    assert answer.status_code == 200
    viewers = answer.json()["viewers"]
    assert [(v["username"], v["actions"], v["count"]) for v in viewers] == [
        ("worker", ["reveal"], 1),
        ("commander", ["create"], 1),
    ]


def test_viewers_are_scoped_to_the_auditors_jurisdiction(tree, personas, people, client_of):
    from bastion.accounts.models import Membership

    Membership.objects.create(user=personas.outsider, unit=tree.wenhualu, role="auditor")
    url = f"/api/v1/audit/persons/{people['zhangsan'].pk}/viewers"
    assert client_of(personas.outsider).get(url).status_code == 404
    assert client_of(personas.village_worker).get(url).status_code == 404


def test_the_exportable_lists_are_described(tree, personas, client_of):
    answer = client_of(personas.village_worker).get(f"{URL}/datasets")
    names = [d["name"] for d in answer.json()]
    assert "persons" in names and "passages" not in names  # a grid worker has no roadside log
    persons = next(d for d in answer.json() if d["name"] == "persons")
    assert persons["filters"][0]["choices"]["is_pregnant"] == "孕产妇"
    assert client_of(personas.auditor).get(f"{URL}/datasets").status_code == 404


def test_the_openapi_schema_documents_the_export_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/exports/{job_id}/file" in schema["paths"]
    assert "/api/v1/audit/persons/{person_id}/viewers" in schema["paths"]
