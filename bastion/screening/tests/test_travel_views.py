from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from bastion.audit.models import AccessLog
from bastion.screening.models import HighRiskArea, RegistrationPoint, Signal, TravelRecord
from bastion.screening.services import registration_point_ensure

TODAY = timezone.localdate()
ARRIVED = (TODAY - timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()


@pytest.fixture
def point(tree, personas):
    return registration_point_ensure(actor=personas.village_worker, unit=tree.yuetang)


def submission(**extra):
    data = {
        "name": "周九",
        "mobile": "13900006666",
        "address": "月塘路 6 号",
        "origin_province": "湖北",
        "origin_city": "武汉",
        "arrived_on": ARRIVED,
        "transport": "train",
        "transport_no": "G1234",
    }
    data.update(extra)
    return data


def test_an_arriving_person_registers_without_logging_in(point):
    # when
    response = Client().post(f"/screening/register/{point.token}/", submission())
    # then
    assert "已提交登记" in response.content.decode()
    signal = Signal.objects.get()
    assert signal.source == "self_registration" and signal.unit == point.unit
    assert not TravelRecord.objects.exists()


def test_the_public_page_shows_field_errors(point):
    response = Client().post(f"/screening/register/{point.token}/", submission(mobile="123"))
    assert "手机号应为 11 位，现在是 3 位。" in response.content.decode()
    assert not Signal.objects.exists()


def test_a_filled_honeypot_looks_accepted_but_files_nothing(point):
    response = Client().post(
        f"/screening/register/{point.token}/", submission(website="http://spam")
    )
    assert "已提交登记" in response.content.decode() and not Signal.objects.exists()


def test_the_sixth_submission_in_an_hour_from_one_address_is_refused(point):
    client = Client()
    for i in range(5):
        client.post(f"/screening/register/{point.token}/", submission(name=f"周{i}"))
    response = client.post(f"/screening/register/{point.token}/", submission(name="周六"))
    assert "提交次数过多，请一小时后再试，或直接致电村（社区）。" in response.content.decode()
    assert Signal.objects.count() == 5


def test_an_unknown_or_renewed_token_is_404(point, personas, client_of, tree):
    old = point.token
    client_of(personas.village_worker).post(f"/screening/poster/{tree.yuetang.code}/")
    assert RegistrationPoint.objects.get().token != old
    assert Client().get(f"/screening/register/{old}/").status_code == 404
    assert Client().get("/screening/register/nope/").status_code == 404


def test_the_poster_carries_a_qr_code_of_the_link(personas, client_of, tree):
    response = client_of(personas.village_worker).get(f"/screening/poster/{tree.yuetang.code}/")
    page = response.content.decode()
    token = RegistrationPoint.objects.get(unit=tree.yuetang).token
    assert "<svg" in page and f"/screening/register/{token}/" in page


def test_the_poster_of_a_village_out_of_jurisdiction_is_404(personas, client_of, tree):
    response = client_of(personas.village_worker).get(f"/screening/poster/{tree.liyujuwei.code}/")
    assert response.status_code == 404 and not RegistrationPoint.objects.exists()


def test_a_worker_confirms_a_self_registration(point, personas, client_of, tree):
    # given
    Client().post(f"/screening/register/{point.token}/", submission())
    signal = Signal.objects.get()
    client = client_of(personas.village_worker)
    # when: the form comes prefilled, the worker corrects the address and saves
    form = client.get(f"/screening/signals/{signal.pk}/confirm/").content.decode()
    response = client.post(
        f"/screening/signals/{signal.pk}/confirm/",
        submission(unit=tree.yuetang.code, address="月塘路 6 号 2 栋"),
    )
    # then
    assert 'value="周九"' in form and 'value="G1234"' in form
    assert response.status_code == 302
    record = TravelRecord.objects.get()
    assert record.household.address == "月塘路 6 号 2 栋" and record.source == "self_registration"
    signal.refresh_from_db()
    assert signal.status == "verifying" and signal.person == record.person


def test_confirming_a_signal_out_of_jurisdiction_is_404(point, personas, client_of):
    Client().post(f"/screening/register/{point.token}/", submission())
    signal = Signal.objects.get()
    response = client_of(personas.neighbour_worker).get(f"/screening/signals/{signal.pk}/confirm/")
    assert response.status_code == 404


def test_staff_register_a_returnee_and_the_list_masks_the_phone(personas, client_of, tree):
    # given
    HighRiskArea.objects.create(
        name="武汉", province="湖北", city="武汉", active_from=TODAY - timedelta(days=30)
    )
    client = client_of(personas.village_worker)
    # when
    created = client.post(
        "/screening/travel/new/", submission(unit=tree.yuetang.code, mobile="13900007777")
    )
    listed = client.get("/screening/travel/?risk=1").content.decode()
    # then
    assert created.status_code == 302
    assert "周九" in listed and "139****7777" in listed and "13900007777" not in listed
    assert AccessLog.objects.filter(object_type="travel_record", action="list").exists()


def test_the_travel_list_of_a_unit_out_of_jurisdiction_is_404(personas, client_of, tree):
    response = client_of(personas.village_worker).get(
        f"/screening/travel/?unit={tree.wenhualu.code}"
    )
    assert response.status_code == 404


def test_the_county_adds_a_risk_area_a_village_worker_may_not(personas, client_of):
    data = {"province": "湖北", "city": "武汉", "active_from": "2020-01-10"}
    refused = client_of(personas.village_worker).post("/screening/risk-areas/", data)
    added = client_of(personas.county_officer).post("/screening/risk-areas/", data)
    assert refused.status_code == 404 and added.status_code == 302
    assert HighRiskArea.objects.get().name == "湖北武汉"


def test_a_self_registration_signal_shows_what_was_typed_and_offers_confirmation(
    point, personas, client_of
):
    Client().post(f"/screening/register/{point.token}/", submission(symptoms="on"))
    signal = Signal.objects.get()
    page = (
        client_of(personas.village_worker).get(f"/screening/signals/{signal.pk}/").content.decode()
    )
    assert "本人填写（待核实）" in page and "交通方式：</span>火车" in page
    assert "自述症状：</span>是" in page and f"/screening/signals/{signal.pk}/confirm/" in page
