"""The contract: `POST /api/v1/passages` registers a vehicle with its occupants atomically and
is replay-safe; `POST /api/v1/passages/search` looks up earlier passages by plate, ID number or
phone. Scoped: another county's checkpoint is out of reach."""

import uuid

import pytest

from bastion.audit.models import AccessLog
from bastion.checkpoints.models import VehiclePassage
from bastion.checkpoints.services import OccupantIn
from bastion.checkpoints.tests.conftest import ID_DRIVER, ID_PASSENGER
from bastion.screening.models import Signal

URL = "/api/v1/passages"


def body(tree, **fields):
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "checkpoint": "430211000000K001",
        "plate": "湘B12345",
        "vehicle_kind": "car",
        "origin": "湖北省武汉市",
        "destination": tree.yuetang.code,
        "purpose": "return_home",
        "occupants": [
            {"name": "张三", "id_number": ID_DRIVER, "phone": "13800138000", "temperature": 36.6},
            {
                "name": "李四",
                "id_number": ID_PASSENGER,
                "phone": "13900139000",
                "temperature": 37.8,
                "decision": "refer_fever_point",
            },
        ],
    }
    payload.update(fields)
    return payload


def post(client, payload, **headers):
    return client.post(URL, payload, content_type="application/json", headers=headers)


def test_it_registers_a_vehicle_with_occupants_and_hands_over(client_of, officer, tree, wuhan):
    # when
    response = post(client_of(officer), body(tree))
    # then
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["checkpoint"] == "430211000000K001" and data["plate"] == "湘B12345"
    assert data["origin_high_risk"] is True and data["disposition"] == "released"
    driver, passenger = data["occupants"]
    assert driver["decision"] == "pass_and_hand_over" and driver["is_close_contact"]
    assert driver["id_number_masked"] == "4302**********0011"
    assert driver["mobile_masked"] == "138****8000"
    assert passenger["decision"] == "refer_fever_point" and passenger["is_fever"]
    assert ID_DRIVER not in response.content.decode()
    assert Signal.objects.get().unit_code == tree.yuetang.code


def test_a_replay_of_the_client_uuid_answers_200_with_the_first(client_of, officer, tree):
    # given
    client = client_of(officer)
    payload = body(tree)
    first = post(client, payload)
    # when
    again = post(client, payload)
    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert VehiclePassage.objects.count() == 1 and Signal.objects.count() == 1


def test_an_idempotency_key_replays_the_stored_answer(client_of, officer, tree):
    client = client_of(officer)
    payload = body(tree)
    first = post(client, payload, **{"Idempotency-Key": "k-1"})
    again = post(client, payload, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert VehiclePassage.objects.count() == 1


def test_rejects_a_breach_of_the_invariant_with_field_errors(client_of, officer, tree):
    # when
    response = post(
        client_of(officer), body(tree, occupants=[{"name": "张三", "decision": "pass"}])
    )
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "occupants.0.temperature",
            "message": "请填写体温，或写明未测体温的原因（一人不少）。",
        }
    ]
    assert not VehiclePassage.objects.exists()


def test_rejects_a_vehicle_without_occupants(client_of, officer, tree):
    response = post(client_of(officer), body(tree, occupants=[]))
    assert response.status_code == 422
    assert response.json()["detail"] == "每辆车至少登记一名司乘人员（一车不漏、一人不少）。"


def test_a_checkpoint_out_of_jurisdiction_is_refused(client_of, hetang_officer, tree):
    # when: the 荷塘 officer registers at 株洲西
    response = post(client_of(hetang_officer), body(tree))
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "checkpoint", "message": "卡点不存在或不在您的辖区内。"}
    ]


def test_a_village_worker_cannot_register(client_of, personas, tree, zhuzhou_west):
    response = post(client_of(personas.village_worker), body(tree))
    assert response.status_code == 422


def test_a_uuid_used_elsewhere_answers_409(client_of, officer, hetang_officer, tree):
    # given: the 荷塘 officer registered with this UUID at their own checkpoint
    key = str(uuid.uuid4())
    mine = post(
        client_of(hetang_officer),
        body(tree, client_uuid=key, checkpoint=hetang_officer.memberships.get().unit.code),
    )
    assert mine.status_code == 201
    # when
    response = post(client_of(officer), body(tree, client_uuid=key))
    # then
    assert response.status_code == 409
    assert response.json()["detail"] == "该 client_uuid 已被另一条登记使用，请重新生成。"


def test_search_finds_earlier_passages_by_plate_id_number_or_phone(
    client_of, officer, register, tree
):
    # given
    register(
        plate="湘B54321",
        occupants=[
            OccupantIn(name="张三", id_number=ID_DRIVER, phone="13800138000", temperature="36.5")
        ],
    )
    register(plate="湘A11111", occupants=[OccupantIn(name="王五", temperature="36.5")])
    client = client_of(officer)
    # when
    by_plate = client.post(URL + "/search", {"plate": "湘b 54321"}, content_type="application/json")
    by_id = client.post(URL + "/search", {"id_number": ID_DRIVER}, content_type="application/json")
    by_phone = client.post(
        URL + "/search", {"phone": "+86 138 0013 8000"}, content_type="application/json"
    )
    # then
    for response, kind in ((by_plate, "plate"), (by_id, "id_number"), (by_phone, "phone")):
        assert response.status_code == 200
        data = response.json()
        assert data["kind"] == kind and data["count"] == 1
        assert data["items"][0]["plate"] == "湘B54321"
    assert AccessLog.objects.filter(action="search", object_type="vehicle_passage").count() == 3
    assert ID_DRIVER not in str(AccessLog.objects.values_list("detail", flat=True))


def test_search_needs_exactly_one_of_the_three(client_of, officer):
    response = client_of(officer).post(
        URL + "/search",
        {"plate": "湘B12345", "phone": "13800138000"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "请只填车牌号、身份证号或手机号中的一项。"


def test_search_explains_a_bad_plate(client_of, officer):
    response = client_of(officer).post(
        URL + "/search", {"plate": "B12345"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "plate", "message": "车牌号第一位应为省份简称，例如“湘”。"}
    ]


def test_search_stays_inside_the_jurisdiction(client_of, hetang_officer, register):
    # given: a passage at 株洲西
    register(plate="湘B54321")
    # when: the 荷塘 officer looks it up
    response = client_of(hetang_officer).post(
        URL + "/search", {"plate": "湘B54321"}, content_type="application/json"
    )
    # then
    assert response.json()["count"] == 0


def test_a_passage_out_of_jurisdiction_is_404(client_of, hetang_officer, personas, register):
    passage = register()
    assert client_of(hetang_officer).get(f"{URL}/{passage.pk}").status_code == 404
    assert client_of(personas.outsider).get(f"{URL}/{passage.pk}").status_code == 404
    assert client_of(personas.county_officer).get(f"{URL}/{passage.pk}").status_code == 200


def test_the_passage_list_is_paged_and_logged(
    client_of, officer, register, django_assert_max_num_queries
):
    # given
    for n in range(5):
        register(plate=f"湘B1000{n}")
    client = client_of(officer)
    # when
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"checkpoint": "430211000000K001", "page_size": 2})
    # then
    data = response.json()
    assert data["count"] == 5 and len(data["items"]) == 2
    assert AccessLog.objects.filter(action="list", object_type="vehicle_passage").exists()


@pytest.mark.parametrize("temperature", [1e6, -5000])
def test_absurd_numbers_answer_422_not_500(client_of, officer, tree, temperature):
    payload = body(tree)
    payload["occupants"][0]["temperature"] = temperature
    assert post(client_of(officer), payload).status_code == 422
