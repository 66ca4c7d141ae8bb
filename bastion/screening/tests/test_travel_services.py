from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from bastion.core.errors import ValidationError
from bastion.people.models import Person
from bastion.screening.models import HighRiskArea, Signal, TravelRecord
from bastion.screening.services import (
    Arrival,
    high_risk_area_create,
    normalize_transport_no,
    registration_point_ensure,
    registration_rate_check,
    returnee_register,
    risk_area_for,
    self_registration_submit,
    signal_transition,
)
from bastion.screening.tests.conftest import journey

TODAY = timezone.localdate()
JAN = date(2020, 1, 10)


@pytest.fixture
def areas(db):
    return [
        HighRiskArea.objects.create(name="湖北省", province="湖北省", active_from=JAN),
        HighRiskArea.objects.create(
            name="武汉市",
            province="湖北",
            city="武汉市",
            active_from=JAN,
            active_to=date(2020, 4, 8),
        ),
        HighRiskArea.objects.create(
            name="温州市", code="330300", province="浙江", city="温州", active_from=date(2020, 2, 1)
        ),
    ]


def test_an_origin_matches_with_or_without_the_administrative_suffix(areas):
    found = risk_area_for(province="湖北", city="武汉", on=date(2020, 1, 20))
    assert found is not None and found.name == "武汉市"


def test_the_province_covers_a_city_not_listed_itself(areas):
    found = risk_area_for(province="湖北省", city="黄冈市", on=date(2020, 1, 20))
    assert found is not None and found.name == "湖北省"


def test_an_area_counts_only_while_it_is_in_force(areas):
    assert risk_area_for(province="浙江", city="温州", on=date(2020, 1, 25)) is None
    found = risk_area_for(province="湖北", city="武汉", on=date(2020, 4, 20))
    assert found is not None and found.name == "湖北省"


def test_a_region_code_matches_by_its_prefix(areas):
    found = risk_area_for(province="浙江省", code="330302", on=date(2020, 2, 5))
    assert found is not None and found.name == "温州市"


@pytest.mark.parametrize(
    ("transport", "raw", "expected"),
    [
        ("train", " g 1234", "G1234"),
        ("plane", "cz3456", "CZ3456"),
        ("self_drive", "鄂a·12345", "鄂A12345"),
    ],
)
def test_transport_numbers_are_normalised(transport, raw, expected):
    assert normalize_transport_no(transport, raw) == expected


def test_rejects_a_train_number_that_is_not_one():
    with pytest.raises(ValueError, match="车次格式不对，例如 G1234、K9063。"):
        normalize_transport_no("train", "高铁")


def test_rejects_a_county_without_its_city(personas):
    with pytest.raises(ValidationError) as e:
        high_risk_area_create(
            actor=personas.commander, name="", province="湖北", county="武昌区", active_from=JAN
        )
    assert e.value.message_dict == {"city": ["填写县（区）时请同时填写市。"]}


def test_staff_register_a_returnee_and_a_recent_one_becomes_a_signal(personas, tree):
    # when
    record = returnee_register(
        actor=personas.village_worker,
        unit=tree.yuetang,
        address="月塘路 5 号",
        arrival=Arrival(name="孙八", mobile="13900005555", journey=journey()),
    )
    # then
    assert record.source == "manual" and record.household.address == "月塘路 5 号"
    signal = Signal.objects.get()
    assert signal.person == record.person and signal.source == "staff"


def test_an_old_arrival_is_registered_without_a_signal(personas, tree):
    returnee_register(
        actor=personas.village_worker,
        unit=tree.yuetang,
        address="月塘路 5 号",
        arrival=Arrival(name="孙八", journey=journey(arrived_on=TODAY - timedelta(days=40))),
    )
    assert TravelRecord.objects.count() == 1 and not Signal.objects.exists()


def test_registering_in_a_village_out_of_jurisdiction_is_refused(personas, tree):
    with pytest.raises(ValidationError) as e:
        returnee_register(
            actor=personas.village_worker,
            unit=tree.wenhualu,
            address="文化路 1 号",
            arrival=Arrival(name="孙八", journey=journey()),
        )
    assert e.value.message_dict == {"unit": ["请选择您辖区内的村（社区）或网格。"]}


def test_a_self_registration_is_a_signal_and_nothing_else(tree, personas):
    # given
    point = registration_point_ensure(actor=personas.village_worker, unit=tree.yuetang)
    # when
    signal = self_registration_submit(
        point=point,
        name="周九",
        mobile="139 0000 6666",
        address="月塘路 6 号",
        journey=journey(transport="plane", transport_no="cz3456"),
        symptoms=True,
    )
    # then
    assert signal.source == "self_registration" and signal.subject_mobile == "13900006666"
    assert signal.reason.endswith("；自述有发热或咳嗽")
    assert signal.details["transport_no"] == "CZ3456"
    assert not Person.objects.exists() and not TravelRecord.objects.exists()


def test_a_self_registration_says_what_is_wrong(tree, personas):
    point = registration_point_ensure(actor=personas.village_worker, unit=tree.yuetang)
    with pytest.raises(ValidationError) as e:
        self_registration_submit(
            point=point, name="", mobile="", address="", journey=journey(arrived_on=None)
        )
    assert e.value.message_dict == {
        "name": ["请填写姓名。"],
        "mobile": ["请填写手机号。"],
        "address": ["请填写在本地的住址。"],
        "arrived_on": ["请填写抵达日期。"],
    }


def test_confirming_a_self_registration_registers_and_moves_the_signal(tree, personas):
    # given
    point = registration_point_ensure(actor=personas.village_worker, unit=tree.yuetang)
    signal = self_registration_submit(
        point=point, name="周九", mobile="13900006666", address="月塘路 6 号", journey=journey()
    )
    # when
    record = returnee_register(
        actor=personas.village_worker,
        unit=tree.yuetang,
        address="月塘路 6 号",
        arrival=Arrival(name="周九", mobile="13900006666", journey=journey()),
        signal=signal,
    )
    # then
    signal.refresh_from_db()
    assert record.source == "self_registration"
    assert signal.person == record.person and signal.status == "verifying"
    assert Signal.objects.count() == 1
    # and the signal can still be closed by its new version
    closed = signal_transition(
        actor=personas.village_worker, signal=signal, to_status="under_observation"
    )
    assert closed.status == "under_observation"


def test_the_hourly_limit_refuses_the_sixth_submission(db):
    cache.clear()
    now = timezone.now()
    for _ in range(5):
        registration_rate_check(key="10.0.0.1", now=now)
    with pytest.raises(ValidationError) as e:
        registration_rate_check(key="10.0.0.1", now=now)
    assert e.value.messages == ["提交次数过多，请一小时后再试，或直接致电村（社区）。"]
    registration_rate_check(key="10.0.0.2", now=now)
    registration_rate_check(key="10.0.0.1", now=now + timedelta(hours=1))
