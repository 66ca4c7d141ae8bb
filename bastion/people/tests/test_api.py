import json

import pytest
from django.test import Client

from bastion.accounts.services import token_create
from bastion.audit.models import AccessLog, Action
from bastion.people.models import Household, Person
from bastion.people.services import person_merge, person_update
from bastion.people.tests.conftest import ID_LISI, ID_WANGWU, ID_ZHANGSAN


@pytest.fixture
def api_of(client_of):
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

    return Api


def test_person_output_is_masked(tree, personas, api_of, zhangsan):
    # when
    response = api_of(personas.village_worker).get(f"/persons/{zhangsan.pk}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": zhangsan.pk,
        "name": "张三",
        "sex": "M",
        "birth_date": "1990-01-01",
        "age": body["age"],
        "id_number_masked": "4302**********0011",
        "mobile_masked": "138****8000",
        "unit_code": tree.yuetang.code,
        "unit_name": "月塘居委会",
        "household_id": zhangsan.household_id,
        "address": "月塘路 1 号",
        "care_tags": [],
        "version": 1,
    }
    assert body["age"] >= 34
    log = AccessLog.objects.get(action=Action.VIEW)
    assert (log.channel, log.object_id) == ("api", str(zhangsan.pk))


def test_out_of_jurisdiction_person_is_404(personas, api_of, zhangsan):
    for user in (personas.neighbour_worker, personas.outsider):
        api = api_of(user)
        response = api.get(f"/persons/{zhangsan.pk}")
        assert (response.status_code, response.json()["detail"]) == (404, "未找到。")
        assert api.patch(f"/persons/{zhangsan.pk}", {"version": 1}).status_code == 404
        reveal = {"field": "mobile", "reason": "核对"}
        assert api.post(f"/persons/{zhangsan.pk}/reveal", reveal).status_code == 404
        assert api.get(f"/households/{zhangsan.household_id}").status_code == 404
    assert api_of(personas.commander).get("/persons/999999").status_code == 404


def test_huge_ids_are_refused_not_crashed(personas, api_of):
    response = api_of(personas.commander).get(f"/persons/{10**30}")
    assert response.status_code == 422


def test_a_merged_id_answers_the_survivor(tree, personas, api_of, zhangsan, register):
    duplicate = register(unit=tree.yuetang, name="张三")
    person_merge(actor=personas.township_officer, keep=zhangsan, merge=duplicate)
    response = api_of(personas.village_worker).get(f"/persons/{duplicate.pk}")
    assert response.json()["id"] == zhangsan.pk


# list and search


def test_list_is_paged_and_scoped(tree, personas, api_of, register):
    for i in range(5):
        register(unit=tree.yuetang, name=f"村民{i}")
    register(unit=tree.liyujuwei, name="邻村人")
    # when
    body = api_of(personas.village_worker).get("/persons", page=2, page_size=2).json()
    # then
    assert (body["count"], body["page"], body["page_size"]) == (5, 2, 2)
    assert [p["name"] for p in body["items"]] == ["村民2", "村民3"]


def test_list_filters_by_unit(tree, personas, api_of, zhangsan, lisi):
    api = api_of(personas.township_officer)
    body = api.get("/persons", unit=tree.liyujuwei.code).json()
    assert [p["name"] for p in body["items"]] == ["李四"]


def test_out_of_jurisdiction_unit_filter_is_404(tree, personas, api_of):
    response = api_of(personas.village_worker).get("/persons", unit=tree.liyujuwei.code)
    assert response.status_code == 404


def test_list_query_count_does_not_grow_with_rows(
    tree, personas, api_of, register, django_assert_max_num_queries
):
    for i in range(30):
        register(unit=tree.yuetang, name=f"村民{i}", address=f"月塘路 {i} 号")
    api = api_of(personas.village_worker)
    with django_assert_max_num_queries(8):
        assert len(api.get("/persons").json()["items"]) == 30


def test_search_by_phone_logs_only_the_kind(personas, api_of, zhangsan, lisi):
    # when
    response = api_of(personas.township_officer).post("/persons/search", {"q": "+86 138 0013 8000"})
    # then
    body = response.json()
    assert (body["kind"], body["count"]) == ("mobile", 1)
    assert body["items"][0]["mobile_masked"] == "138****8000"
    log = AccessLog.objects.get(action=Action.SEARCH)
    assert log.detail == {"count": 1, "kind": "mobile"}
    assert "13800138000" not in json.dumps(log.detail)


def test_search_stays_in_the_jurisdiction(personas, api_of, zhangsan):
    body = api_of(personas.outsider).post("/persons/search", {"q": ID_ZHANGSAN}).json()
    assert body["items"] == []


# create


def test_create_answers_201_with_the_masked_person(tree, personas, api_of):
    body = {"name": "王五", "id_number": "43022319700708003x", "unit": tree.yuetang.code}
    response = api_of(personas.village_worker).post("/persons", body)
    assert response.status_code == 201
    created = response.json()
    assert (created["sex"], created["birth_date"], created["id_number_masked"]) == (
        "M",
        "1970-07-08",
        "4302**********003X",
    )
    assert Person.objects.get().id_number == ID_WANGWU


def test_create_answers_422_with_field_level_messages(tree, personas, api_of):
    body = {
        "name": "王五",
        "id_number": "43022319700708003",
        "mobile": "12345",
        "unit": tree.yuetang.code,
    }
    response = api_of(personas.village_worker).post("/persons", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "id_number", "message": "身份证号应为 18 位（旧证 15 位），现在是 17 位。"},
        {"field": "mobile", "message": "手机号应为 11 位，现在是 5 位。"},
    ]


def test_create_in_an_out_of_jurisdiction_unit_is_422_on_unit(tree, personas, api_of):
    body = {"name": "王五", "unit": tree.yuetang.code}
    response = api_of(personas.outsider).post("/persons", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "unit", "message": "所属单元不存在或不在您的辖区内。"}
    ]


def test_create_with_a_registered_id_number_offers_the_existing_person(
    tree, personas, api_of, zhangsan
):
    body = {"name": "张叁", "id_number": ID_ZHANGSAN, "unit": tree.yuetang.code}
    response = api_of(personas.village_worker).post("/persons", body)
    assert response.status_code == 422
    assert response.json()["existing_id"] == zhangsan.pk


def test_create_with_an_id_number_registered_elsewhere_names_nobody(
    tree, personas, api_of, zhangsan
):
    body = {"name": "张叁", "id_number": ID_ZHANGSAN, "unit": tree.liyujuwei.code}
    response = api_of(personas.neighbour_worker).post("/persons", body)
    assert response.json() == {
        "detail": "该身份证号已在其他辖区登记，请联系乡镇（街道）核实。",
        "errors": [
            {
                "field": "id_number",
                "message": "该身份证号已在其他辖区登记，请联系乡镇（街道）核实。",
            }
        ],
        "existing_id": None,
    }


def test_the_same_idempotency_key_creates_one_person(tree, personas, api_of):
    # given
    api = api_of(personas.village_worker)
    body = {"name": "李四", "id_number": ID_LISI, "unit": tree.yuetang.code}
    # when
    answers = [api.post("/persons", body, **{"Idempotency-Key": "k-1"}) for _ in range(3)]
    # then
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert Person.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_422(tree, personas, api_of):
    api = api_of(personas.village_worker)
    api.post("/persons", {"name": "李四", "unit": tree.yuetang.code}, **{"Idempotency-Key": "k"})
    response = api.post(
        "/persons", {"name": "王五", "unit": tree.yuetang.code}, **{"Idempotency-Key": "k"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "同一个 Idempotency-Key 不能用于不同的请求内容。"
    assert Person.objects.count() == 1


def test_create_into_a_household_names_the_household_id_field(
    tree, personas, api_of, zhangsan, lisi
):
    # a household out of scope, then one in scope but in another village than the unit given
    body = {"name": "李小四", "household_id": lisi.household_id}
    response = api_of(personas.village_worker).post("/persons", body)
    assert response.json()["errors"] == [
        {"field": "household_id", "message": "住户不存在或不在您的辖区内。"}
    ]
    body |= {"unit": tree.yuetang.code}
    response = api_of(personas.township_officer).post("/persons", body)
    assert response.json()["errors"] == [
        {"field": "household_id", "message": "住户不属于所选的村（社区）或网格。"}
    ]
    body = {"name": "张小三", "household_id": zhangsan.household_id}
    response = api_of(personas.village_worker).post("/persons", body)
    assert (response.status_code, response.json()["address"]) == (201, "月塘路 1 号")


def test_request_validation_errors_are_422(personas, api_of):
    response = api_of(personas.village_worker).post("/persons", {"name": ""})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"name"}


# update


def test_patch_changes_and_bumps_the_version(personas, api_of, zhangsan):
    response = api_of(personas.village_worker).patch(
        f"/persons/{zhangsan.pk}", {"version": 1, "care_tags": ["is_elderly_alone"]}
    )
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["care_tags"]) == (2, ["is_elderly_alone"])


def test_stale_patch_is_409_with_the_current_record(personas, api_of, zhangsan):
    person_update(actor=personas.township_officer, person=zhangsan, version=1, name="张三丰")
    response = api_of(personas.village_worker).patch(
        f"/persons/{zhangsan.pk}", {"version": 1, "name": "张叁"}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "记录已被他人修改，请刷新后再改。"
    assert (body["current"]["name"], body["current"]["version"]) == ("张三丰", 2)


def test_patch_needs_the_edit_capability(personas, api_of, zhangsan):
    response = api_of(personas.auditor).patch(f"/persons/{zhangsan.pk}", {"version": 1})
    assert response.status_code == 404


# reveal


def test_reveal_returns_the_full_value_and_is_logged(personas, api_of, zhangsan):
    response = api_of(personas.village_worker).post(
        f"/persons/{zhangsan.pk}/reveal", {"field": "id_number", "reason": "核对身份"}
    )
    assert response.json() == {"field": "id_number", "value": ID_ZHANGSAN}
    log = AccessLog.objects.get(action=Action.REVEAL)
    assert (log.field, log.reason, log.channel) == ("id_number", "核对身份", "api")


def test_reveal_needs_a_reason(personas, api_of, zhangsan):
    response = api_of(personas.village_worker).post(
        f"/persons/{zhangsan.pk}/reveal", {"field": "id_number", "reason": "   "}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "reason", "message": "请填写查看事由。"}]


def test_reveal_needs_the_capability(personas, api_of, zhangsan):
    response = api_of(personas.auditor).post(
        f"/persons/{zhangsan.pk}/reveal", {"field": "id_number", "reason": "审计"}
    )
    assert (response.status_code, response.json()["detail"]) == (403, "无权查看完整信息。")


# households


def test_household_lists_its_members_masked(tree, personas, api_of, zhangsan, register):
    register(unit=tree.yuetang, name="张妻", address="月塘路 1 号")
    body = api_of(personas.village_worker).get(f"/households/{zhangsan.household_id}").json()
    assert (body["address"], body["member_count"]) == ("月塘路 1 号", 2)
    assert [m["name"] for m in body["members"]] == ["张三", "张妻"]
    assert body["members"][0]["id_number_masked"] == "4302**********0011"


def test_households_list_is_scoped(tree, personas, api_of, zhangsan, lisi):
    body = api_of(personas.township_officer).get("/households", unit=tree.yuetang.code).json()
    assert [(h["address"], h["member_count"]) for h in body["items"]] == [("月塘路 1 号", 1)]
    assert api_of(personas.outsider).get("/households").json()["count"] == 0


def test_household_create(tree, personas, api_of):
    api = api_of(personas.village_worker)
    response = api.post("/households", {"unit": tree.yuetang.code, "address": "月塘路 5 号"})
    assert response.status_code == 201
    assert Household.objects.get().address == "月塘路 5 号"
    again = api.post("/households", {"unit": tree.yuetang.code, "address": "月塘路 5 号"})
    assert again.json()["errors"] == [{"field": "address", "message": "该地址的住户已经登记。"}]


def test_openapi_documents_the_contract(personas, api_of):
    paths = api_of(personas.commander).get("/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/persons"])
    assert "post" in paths["/api/v1/persons/search"]
    assert {"get", "patch"} <= set(paths["/api/v1/persons/{person_id}"])
    assert "409" in paths["/api/v1/persons/{person_id}"]["patch"]["responses"]
