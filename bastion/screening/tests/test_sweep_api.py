import uuid
from datetime import timedelta

from django.utils import timezone

from bastion.screening.models import HouseholdVisit, Signal, TravelRecord

TODAY = timezone.localdate()


def test_it_starts_and_lists_sweeps(personas, api, tree):
    call = api(personas.township_officer)
    created = call(
        "post",
        "/sweeps",
        data={"unit": tree.liyu.code, "starts_on": str(TODAY), "ends_on": str(TODAY)},
    )
    assert created.status_code == 201
    assert [s["id"] for s in api(personas.village_worker)("get", "/sweeps").json()] == [
        created.json()["id"]
    ]


def test_starting_a_sweep_out_of_jurisdiction_is_refused(personas, api, tree):
    response = api(personas.village_worker)(
        "post",
        "/sweeps",
        data={"unit": tree.wenhualu.code, "starts_on": str(TODAY), "ends_on": str(TODAY)},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "请选择您辖区内的乡镇（街道）或村（社区）。"


def test_a_visit_with_a_returnee_through_the_api_replays_once(sweep, households, personas, api):
    # given
    body = {
        "household_id": households["a"].pk,
        "result": "visited",
        "residents": 2,
        "arrivals": [
            {
                "name": "刘七",
                "mobile": "13900003333",
                "origin_province": "湖北",
                "origin_city": "武汉",
                "arrived_on": str(TODAY - timedelta(days=3)),
                "transport": "self_drive",
                "transport_no": "鄂A12345",
            }
        ],
        "client_uuid": str(uuid.uuid4()),
    }
    call = api(personas.village_worker)
    # when
    first = call("post", f"/sweeps/{sweep.pk}/visits", data=body)
    again = call("post", f"/sweeps/{sweep.pk}/visits", data=body)
    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["travel_record_ids"] == [TravelRecord.objects.get().pk]
    assert HouseholdVisit.objects.count() == 1 and Signal.objects.count() == 1


def test_a_visit_error_names_the_arrival_field(sweep, households, personas, api):
    response = api(personas.village_worker)(
        "post",
        f"/sweeps/{sweep.pk}/visits",
        data={
            "household_id": households["a"].pk,
            "result": "visited",
            "arrivals": [
                {
                    "name": "刘七",
                    "origin_province": "湖北",
                    "arrived_on": str(TODAY + timedelta(days=1)),
                    "transport": "train",
                }
            ],
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "arrivals.0.arrived_on", "message": "抵达日期不能晚于今天。"}
    ]


def test_coverage_and_todo_move_after_a_visit(sweep, households, personas, api, tree):
    # given
    api(personas.village_worker)(
        "post",
        f"/sweeps/{sweep.pk}/visits",
        data={"household_id": households["b"].pk, "result": "not_home"},
    )
    # when
    coverage = api(personas.township_officer)("get", f"/sweeps/{sweep.pk}/coverage").json()
    todo = api(personas.village_worker)("get", f"/sweeps/{sweep.pk}/todo").json()
    # then
    assert coverage["total"] | {"unit_name": ""} == {
        "unit_code": tree.liyu.code,
        "unit_name": "",
        "known": 5,
        "done": 0,
        "to_visit": 5,
        "not_home": 1,
        "refused": 0,
        "percent": 0,
    }
    assert [t["last_result"] for t in todo] == [None, None, "not_home"]


def test_a_household_of_another_village_is_refused(sweep, households, personas, api):
    response = api(personas.village_worker)(
        "post",
        f"/sweeps/{sweep.pk}/visits",
        data={"household_id": households["d"].pk, "result": "visited"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "household_id", "message": "住户不存在或不在您的辖区内。"}
    ]


def test_a_sweep_out_of_jurisdiction_is_404(sweep, personas, api, tree):
    call = api(personas.outsider)
    assert call("get", f"/sweeps/{sweep.pk}/coverage").status_code == 404
    assert call("get", f"/sweeps/{sweep.pk}/visits").status_code == 404
    inside = api(personas.village_worker)
    assert (
        inside("get", f"/sweeps/{sweep.pk}/coverage?unit={tree.wenhualu.code}").status_code == 404
    )


def test_a_visit_with_members_and_two_returnees_through_the_api(sweep, households, personas, api):
    # given
    call = api(personas.village_worker)
    arrival = {"origin_province": "湖北", "arrived_on": str(TODAY - timedelta(days=2))}
    body = {
        "household_id": households["a"].pk,
        "result": "visited",
        "members": [
            {"name": "张三", "relation": "head", "mobile": "13900001111"},
            {"name": "刘七", "relation": "child"},
        ],
        "arrivals": [
            {**arrival, "name": "刘七", "transport": "train"},
            {**arrival, "name": "王八", "transport": "coach"},
        ],
    }
    # when
    response = call("post", f"/sweeps/{sweep.pk}/visits", data=body)
    known = call("get", f"/sweeps/{sweep.pk}/households/{households['a'].pk}/members")
    # then
    assert response.status_code == 201
    members = {m["name"]: m for m in response.json()["members"]}
    assert set(members) == {"张三", "刘七", "王八"}
    assert members["张三"]["mobile_masked"] == "139****1111"
    assert members["刘七"]["arrived_recently"] and members["王八"]["relation"] == "other"
    assert len(response.json()["travel_record_ids"]) == 2 and Signal.objects.count() == 2
    assert [(m["name"], m["relation"]) for m in known.json()] == [
        ("张三", "head"),
        ("刘七", "child"),
        ("王八", "other"),
    ]


def test_a_member_error_names_the_line(sweep, households, personas, api):
    response = api(personas.village_worker)(
        "post",
        f"/sweeps/{sweep.pk}/visits",
        data={
            "household_id": households["a"].pk,
            "result": "visited",
            "members": [
                {"name": "张三", "relation": "head"},
                {"name": "李四", "relation": "head"},
            ],
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "members.1.relation", "message": "一户只能有一位户主。"}
    ]


def test_the_members_of_a_household_out_of_jurisdiction_are_404(sweep, households, personas, api):
    inside = api(personas.village_worker)
    outside = api(personas.outsider)
    path = f"/sweeps/{sweep.pk}/households/{households['d'].pk}/members"
    assert inside("get", path).status_code == 404
    assert (
        outside("get", f"/sweeps/{sweep.pk}/households/{households['a'].pk}/members").status_code
        == 404
    )
