"""Correcting a journey (修改行程): versioned, validated, logged, and scoped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bastion.audit.models import AccessLog
from bastion.core.errors import StaleVersion, ValidationError
from bastion.screening.models import HighRiskArea, TravelRecord
from bastion.screening.services import returnee_register, travel_record_update
from bastion.screening.services.returnees import Arrival
from bastion.screening.tests.conftest import journey

TODAY = timezone.localdate()


@pytest.fixture
def record(personas, tree):
    return returnee_register(
        actor=personas.village_worker,
        unit=tree.yuetang,
        address="月塘路 5 号",
        arrival=Arrival(name="孙八", mobile="13900005555", journey=journey(origin_province="广东")),
    )


def test_a_correction_reflags_the_risk_and_logs_the_old_values(record, personas):
    # given
    HighRiskArea.objects.create(
        name="湖北", province="湖北", active_from=TODAY - timedelta(days=30)
    )
    # when
    updated = travel_record_update(
        actor=personas.village_worker,
        record=record,
        version=1,
        journey=journey(origin_province="湖北省", transport_no="g 1234"),
    )
    # then
    assert updated.version == 2 and updated.is_high_risk and updated.origin_province == "湖北省"
    log = AccessLog.objects.filter(object_type="travel_record", action="update").get()
    assert log.detail["fields"] == ["origin_province"]
    assert log.detail["before"] == {"origin_province": "广东"}


def test_a_stale_version_writes_nothing(record, personas):
    travel_record_update(
        actor=personas.village_worker, record=record, version=1, journey=journey(origin_city="")
    )
    with pytest.raises(StaleVersion) as e:
        travel_record_update(
            actor=personas.village_worker,
            record=record,
            version=1,
            journey=journey(origin_province="河南"),
        )
    assert e.value.current.version == 2
    assert TravelRecord.objects.get().origin_province == "湖北省"


def test_bad_fields_and_a_second_arrival_the_same_day_are_refused(record, personas, tree):
    other = returnee_register(
        actor=personas.village_worker,
        unit=tree.yuetang,
        address="月塘路 5 号",
        arrival=Arrival(
            name="孙八", mobile="13900005555", journey=journey(arrived_on=TODAY - timedelta(days=5))
        ),
    )
    with pytest.raises(ValidationError) as e:
        travel_record_update(
            actor=personas.village_worker,
            record=other,
            version=1,
            journey=journey(transport="plane", transport_no="航班"),
        )
    assert e.value.message_dict == {
        "transport_no": ["航班号格式不对，例如 CZ3456。"],
    }
    with pytest.raises(ValidationError) as same_day:
        travel_record_update(
            actor=personas.village_worker, record=other, version=1, journey=journey()
        )
    assert same_day.value.message_dict == {"arrived_on": ["该人员在这一天已有另一条行程记录。"]}


def test_out_of_jurisdiction_is_refused(record, personas):
    with pytest.raises(ValidationError) as e:
        travel_record_update(
            actor=personas.neighbour_worker, record=record, version=1, journey=journey()
        )
    assert e.value.message_dict == {"__all__": ["该行程记录不在您的辖区内。"]}


def test_the_edit_page_saves_and_a_stale_copy_is_shown_again(record, personas, client_of):
    client = client_of(personas.village_worker)
    url = f"/screening/travel/{record.pk}/edit/"
    form = client.get(url).content.decode()
    assert 'value="广东"' in form
    data = {
        "version": "1",
        "origin_province": "江西",
        "arrived_on": str(record.arrived_on),
        "transport": "train",
        "transport_no": "G1234",
    }
    saved = client.post(url, data)
    stale = client.post(url, data | {"origin_province": "河南"})
    bad = client.post(url, data | {"version": "2", "transport_no": "航班", "transport": "plane"})
    assert saved.status_code == 302 and TravelRecord.objects.get().origin_province == "江西"
    assert "该行程刚被他人修改过" in stale.content.decode()
    assert TravelRecord.objects.get().origin_province == "江西"
    assert 'data-field="transport_no">航班号格式不对' in bad.content.decode()
    listed = client.get("/screening/travel/").content.decode()
    assert url in listed


def test_the_edit_page_of_another_village_is_404(record, personas, client_of):
    url = f"/screening/travel/{record.pk}/edit/"
    assert client_of(personas.neighbour_worker).get(url).status_code == 404
    assert client_of(personas.outsider).post(url, {"version": "1"}).status_code == 404


def test_patch_through_the_api(record, personas, api):
    call = api(personas.village_worker)
    path = f"/travel-records/{record.pk}"
    ok = call("patch", path, data={"version": 1, "origin_city": "赣州", "departed_on": None})
    stale = call("patch", path, data={"version": 1, "origin_city": "南昌"})
    bad = call("patch", path, data={"version": 2, "arrived_on": str(TODAY + timedelta(days=1))})
    empty = call("patch", path, data={"version": 2, "origin_province": None})
    assert ok.status_code == 200 and ok.json()["origin_city"] == "赣州"
    assert ok.json()["version"] == 2 and ok.json()["origin_province"] == "广东"
    assert stale.status_code == 409 and stale.json()["current"]["origin_city"] == "赣州"
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "arrived_on", "message": "抵达日期不能晚于今天。"}]
    assert empty.status_code == 422
    assert empty.json()["errors"] == [{"field": "origin_province", "message": "该项不能为空。"}]


def test_patch_out_of_jurisdiction_is_404(record, personas, api):
    path = f"/travel-records/{record.pk}"
    assert api(personas.outsider)("patch", path, data={"version": 1}).status_code == 404
    assert api(personas.neighbour_worker)("patch", path, data={"version": 1}).status_code == 404
