from datetime import timedelta

from django.utils import timezone

from bastion.screening.models import HighRiskArea, TravelRecord

TODAY = timezone.localdate()


def body(unit, **extra):
    data = {
        "unit": unit,
        "address": "月塘路 5 号",
        "name": "孙八",
        "mobile": "13900005555",
        "origin_province": "湖北",
        "origin_city": "武汉",
        "arrived_on": str(TODAY - timedelta(days=2)),
        "transport": "coach",
    }
    data.update(extra)
    return data


def test_it_registers_and_lists_travel_records(personas, api, tree):
    # given
    HighRiskArea.objects.create(
        name="湖北", province="湖北", active_from=TODAY - timedelta(days=30)
    )
    call = api(personas.village_worker)
    # when
    created = call("post", "/travel-records", data=body(tree.yuetang.code))
    listed = api(personas.township_officer)("get", "/travel-records?high_risk=true").json()
    # then
    assert created.status_code == 201
    assert created.json()["person_mobile_masked"] == "139****5555"
    assert created.json()["is_high_risk"] and created.json()["risk_area"] == "湖北"
    assert [i["id"] for i in listed["items"]] == [TravelRecord.objects.get().pk]


def test_registering_out_of_jurisdiction_is_refused(personas, api, tree):
    response = api(personas.village_worker)(
        "post", "/travel-records", data=body(tree.wenhualu.code)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "unit", "message": "请选择您辖区内的村（社区）或网格。"}
    ]


def test_a_travel_record_out_of_jurisdiction_is_404(personas, api, tree):
    created = api(personas.village_worker)("post", "/travel-records", data=body(tree.yuetang.code))
    record_id = created.json()["id"]
    assert api(personas.outsider)("get", f"/travel-records/{record_id}").status_code == 404
    assert api(personas.township_officer)("get", f"/travel-records/{record_id}").status_code == 200


def test_only_the_commands_add_risk_areas(personas, api):
    data = {"province": "湖北", "active_from": "2020-01-10"}
    assert api(personas.village_worker)("post", "/risk-areas", data=data).status_code == 403
    created = api(personas.commander)("post", "/risk-areas", data=data)
    assert created.status_code == 201
    assert [a["name"] for a in api(personas.village_worker)("get", "/risk-areas").json()] == [
        "湖北"
    ]


def test_companions_are_recorded_when_in_jurisdiction(personas, api, tree):
    # given
    from bastion.people.services import person_create

    wife = person_create(actor=personas.commander, unit=tree.yuetang, name="孙妻")
    stranger = person_create(actor=personas.commander, unit=tree.wenhualu, name="路人")
    call = api(personas.village_worker)
    # when
    ok = call("post", "/travel-records", data=body(tree.yuetang.code, companion_ids=[wife.pk]))
    refused = call(
        "post",
        "/travel-records",
        data=body(tree.yuetang.code, name="孙九", companion_ids=[stranger.pk]),
    )
    # then
    assert ok.status_code == 201 and ok.json()["companion_ids"] == [wife.pk]
    assert refused.json()["errors"] == [
        {"field": "companion_ids", "message": "同行人员不存在或不在您的辖区内。"}
    ]
