"""Registration at the roadside: one vehicle with all its occupants, decisions, hand-overs as
signals in exactly the destination village, the invariant "一车不漏、一人不少", replays."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bastion.checkpoints.models import Decision, Disposition, PassengerCheck, VehiclePassage
from bastion.checkpoints.services import OccupantIn, checkpoint_update
from bastion.checkpoints.services import passages as passage_services
from bastion.checkpoints.tests.conftest import ID_DRIVER, ID_PASSENGER, ID_THIRD, NOW, at
from bastion.observation.models import Policy
from bastion.orgs.models import Level
from bastion.screening.models import Signal, SignalSource, SignalStatus
from bastion.testing import unit


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_it_registers_a_vehicle_with_all_its_occupants(register, zhuzhou_west, officer, tree):
    # when
    passage = register(
        plate="湘b·12345",
        origin="广东省深圳市",
        purpose="return_home",
        occupants=[
            OccupantIn(name="张三", id_number=ID_DRIVER, phone="138-0013-8000", temperature="36.5"),
            OccupantIn(name="李四", id_number=ID_PASSENGER.lower(), temperature="36.7"),
            OccupantIn(name="王五", id_number=ID_THIRD.lower(), temperature="36.4"),
        ],
    )
    # then
    assert passage.plate == "湘B12345"
    assert passage.unit_code == zhuzhou_west.unit_code == "430211000000K001"
    assert passage.disposition == Disposition.RELEASED
    assert passage.recorded_by == officer and passage.occurred_at == NOW
    occupants = list(passage.occupants.order_by("position"))
    assert [(o.position, o.name, o.decision) for o in occupants] == [
        (1, "张三", Decision.PASS),
        (2, "李四", Decision.PASS),
        (3, "王五", Decision.PASS),
    ]
    assert occupants[0].mobile == "13800138000" and occupants[2].id_number == ID_THIRD
    assert all(o.unit_code == passage.unit_code for o in occupants)
    assert not Signal.objects.exists()


def test_a_fever_is_referred_and_the_others_are_handed_over_as_close_contacts(register, tree):
    # when: the driver is at 36.6, the passenger at 37.8
    passage = register(
        occupants=[
            OccupantIn(name="张三", id_number=ID_DRIVER, temperature="36.6", decision="pass"),
            OccupantIn(
                name="李四",
                id_number=ID_PASSENGER,
                temperature="37.8",
                decision="refer_fever_point",
            ),
        ],
    )
    # then
    driver, passenger = passage.occupants.order_by("position")
    assert passenger.is_fever and passenger.decision == Decision.REFER_FEVER_POINT
    assert passenger.signal is None
    assert driver.decision == Decision.PASS_AND_HAND_OVER and driver.is_close_contact
    signal = Signal.objects.get()
    assert driver.signal == signal
    assert signal.unit == tree.yuetang and signal.unit_code == tree.yuetang.code
    assert signal.source == SignalSource.CHECKPOINT and signal.status == SignalStatus.NEW
    assert signal.subject_name == "张三" and signal.subject_id_number == ID_DRIVER
    assert signal.found_at == NOW
    assert "株洲西收费站卡点" in signal.reason and "湘B12345" in signal.reason
    assert "按密切接触者观察" in signal.reason and "李*（转送发热门诊，37.8 °C）" in signal.reason


def test_a_hand_over_raises_a_signal_in_exactly_the_destination_village(register, tree):
    # when
    register(
        destination=tree.liyujuwei,
        occupants=[
            OccupantIn(name="赵六", temperature="36.5", decision="pass_and_hand_over"),
            OccupantIn(name="钱七", temperature="36.6", decision="pass"),
        ],
    )
    # then: one signal, in 栗雨居委会, none in 月塘 or anywhere else
    assert list(Signal.objects.values_list("unit_code", "subject_name")) == [
        (tree.liyujuwei.code, "赵六")
    ]


def test_rejects_a_fever_that_is_not_referred(register):
    # when
    with pytest.raises(ValidationError) as e:
        register(occupants=[OccupantIn(name="李四", temperature="37.3", decision="pass")])
    # then
    assert errors_of(e) == {
        "occupants.0.decision": ["体温 37.3 °C 达到发热标准（≥ 37.3 °C），应选择“转送发热门诊”。"]
    }
    assert not VehiclePassage.objects.exists()


def test_the_fever_threshold_comes_from_the_policy(register):
    # given: a policy with a 37.5 °C threshold
    Policy.objects.create(
        version=1, name="测试策略", effective_from=date(2020, 1, 1), fever_threshold=Decimal("37.5")
    )
    # when
    passage = register(occupants=[OccupantIn(name="李四", temperature="37.4", decision="pass")])
    # then
    assert not passage.occupants.get().is_fever


def test_rejects_a_vehicle_without_occupants(register):
    # when
    with pytest.raises(ValidationError) as e:
        register(occupants=[])
    # then
    assert errors_of(e) == {"occupants": ["每辆车至少登记一名司乘人员（一车不漏、一人不少）。"]}


def test_rejects_an_occupant_without_temperature_or_reason(register):
    # when
    with pytest.raises(ValidationError) as e:
        register(occupants=[OccupantIn(name="张三", temperature="36.5"), OccupantIn(name="小孩")])
    # then
    assert errors_of(e) == {
        "occupants.1.temperature": ["请填写体温，或写明未测体温的原因（一人不少）。"]
    }


def test_it_accepts_a_stated_reason_for_no_temperature(register):
    # when
    passage = register(
        occupants=[
            OccupantIn(name="张三", temperature="36.5"),
            OccupantIn(name="婴儿", no_temperature_reason="婴儿熟睡，额温枪无法测量"),
        ]
    )
    # then
    baby = passage.occupants.get(position=2)
    assert baby.temperature is None and baby.no_temperature_reason == "婴儿熟睡，额温枪无法测量"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("365", "体温 365 °C 不可能：是否漏了小数点（36.5 °C）？请核对后重新填写。"),
        ("3.65", "体温 3.65 °C 不可能：是否小数点点错了位置（36.5 °C）？请核对后重新填写。"),
        ("abc", "体温应为数字，例如 36.5。"),
    ],
)
def test_rejects_an_implausible_temperature_with_a_clear_message(register, typed, message):
    # when
    with pytest.raises(ValidationError) as e:
        register(occupants=[OccupantIn(name="张三", temperature=typed)])
    # then
    assert errors_of(e) == {"occupants.0.temperature": [message]}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("B12345", "车牌号第一位应为省份简称，例如“湘”。"),
        ("湘O12345", "车牌号第二位应为字母（不含 I 和 O），例如“湘B”。"),
        ("湘B123", "车牌号格式不对：省份简称 + 字母 + 5 位（新能源 6 位），挂车可带“挂”。"),
    ],
)
def test_rejects_a_bad_plate_with_a_clear_message(register, typed, message):
    with pytest.raises(ValidationError) as e:
        register(plate=typed)
    assert errors_of(e) == {"plate": [message]}


@pytest.mark.parametrize("typed", ["湘BD12345", "湘B1234挂", "鄂A 12345"])
def test_it_accepts_new_energy_and_trailer_plates(register, typed):
    assert register(plate=typed).plate == typed.replace(" ", "")


def test_rejects_a_bad_id_number_and_a_bad_phone(register):
    # when
    with pytest.raises(ValidationError) as e:
        register(
            occupants=[
                OccupantIn(
                    name="张三", id_number="430202199001010012", phone="1380013", temperature="36"
                )
            ]
        )
    # then
    assert errors_of(e) == {
        "occupants.0.id_number": ["身份证号校验位不对：最后一位应为 1，实际为 2，请逐位核对。"],
        "occupants.0.phone": ["手机号应为 11 位，现在是 7 位。"],
    }


def test_a_replayed_client_uuid_returns_the_first_passage_and_writes_nothing(register, tree):
    # given
    key = uuid.uuid4()
    occupants = [
        OccupantIn(name="张三", temperature="36.6"),
        OccupantIn(name="李四", temperature="38.0", decision="refer_fever_point"),
    ]
    first = register(client_uuid=key, occupants=occupants)
    # when: the phone resends, even with a changed body
    again = register(client_uuid=key, occupants=occupants[:1], plate="湘A99999")
    # then
    assert again.pk == first.pk and again.plate == "湘B12345"
    assert VehiclePassage.objects.count() == 1
    assert PassengerCheck.objects.count() == 2 and Signal.objects.count() == 1


def test_a_hand_over_needs_a_village_as_destination(register, tree):
    # when
    with pytest.raises(ValidationError) as e:
        register(
            destination=tree.liyu,
            occupants=[OccupantIn(name="张三", temperature="36.5", decision="pass_and_hand_over")],
        )
    # then
    assert errors_of(e) == {
        "destination": ["移交需要落到具体的村（社区）：请把目的地选到村（社区）。"]
    }


def test_close_contacts_need_a_village_as_destination(register):
    # when: a transit vehicle with a fever and no destination
    with pytest.raises(ValidationError) as e:
        register(
            destination=None,
            purpose="transit",
            occupants=[
                OccupantIn(name="张三", temperature="36.5"),
                OccupantIn(name="李四", temperature="38.2", decision="refer_fever_point"),
            ],
        )
    # then
    assert errors_of(e) == {
        "destination": [
            "同车有人转送发热门诊，其他人员要作为密切接触者移交目的地村（社区）：请把目的地选到村（社区）。"
        ]
    }


def test_rejects_a_destination_outside_the_city(register, tree):
    # given: a district of 长沙市
    furong = unit("430102000000", "芙蓉区", Level.COUNTY, None)
    # when
    with pytest.raises(ValidationError) as e:
        register(destination=furong)
    # then
    assert errors_of(e) == {"destination": ["目的地应为本市的县区、乡镇（街道）或村（社区）。"]}


def test_a_turned_back_vehicle_cannot_let_its_occupants_pass(register):
    with pytest.raises(ValidationError) as e:
        register(
            disposition="turned_back",
            occupants=[OccupantIn(name="张三", temperature="36.5", decision="pass")],
        )
    assert errors_of(e) == {
        "occupants.0.decision": ["车辆已劝返，车上人员不能“放行”：请选择“劝返”或“转送发热门诊”。"]
    }


def test_the_vehicle_is_turned_back_when_everyone_is(register):
    passage = register(
        occupants=[
            OccupantIn(name="张三", temperature="36.5", decision="turn_back"),
            OccupantIn(name="李四", temperature="36.5", decision="turn_back"),
        ]
    )
    assert passage.disposition == Disposition.TURNED_BACK


def test_an_origin_in_screenings_high_risk_list_is_flagged(register, wuhan):
    # when
    from_wuhan = register(origin="武汉")
    from_changsha = register(origin="湖南省长沙市")
    # then
    assert from_wuhan.origin_high_risk and from_wuhan.origin_area == wuhan
    assert not from_changsha.origin_high_risk and from_changsha.origin_area is None


def test_an_origin_is_flagged_only_while_the_area_is_in_force(register, wuhan):
    # given: the area was lifted before the vehicle came
    wuhan.active_to = date(2020, 1, 31)
    wuhan.save()
    # then
    assert not register(origin="湖北省武汉市").origin_high_risk


@pytest.mark.parametrize(
    ("moment", "slot", "day"),
    [(at(1, 10), "day", 1), (at(1, 23, 30), "evening", 1), (at(1, 2), "night", 1)],
)
def test_a_passage_belongs_to_the_shift_covering_its_time(register, moment, slot, day):
    passage = register(occurred_at=moment, now=at(2, 9))
    assert (passage.shift.slot, passage.shift.day.day) == (slot, day)
    assert passage.shift.starts_at <= moment < passage.shift.ends_at


def test_rejects_a_time_in_the_future(register):
    with pytest.raises(ValidationError) as e:
        register(occurred_at=NOW + timedelta(hours=1))
    assert errors_of(e) == {"occurred_at": ["登记时间不能晚于现在。"]}


def test_rejects_registration_at_a_closed_checkpoint(register, zhuzhou_west, personas):
    # given
    checkpoint_update(
        actor=personas.county_officer,
        checkpoint=zhuzhou_west,
        version=zhuzhou_west.version,
        closes_on=date(2020, 1, 31),
    )
    zhuzhou_west.refresh_from_db()
    # when
    with pytest.raises(ValidationError) as e:
        register()
    # then
    assert errors_of(e) == {"checkpoint": ["该卡点已于 2020-01-31 撤除，不能再登记。"]}


def test_a_failure_halfway_leaves_nothing_behind(register, monkeypatch):
    # given: the second hand-over fails inside the transaction
    real = passage_services.signal_raise
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("数据库断开")
        return real(**kwargs)

    monkeypatch.setattr(passage_services, "signal_raise", flaky)
    # when
    with pytest.raises(RuntimeError):
        register(
            occupants=[
                OccupantIn(name="张三", temperature="36.5", decision="pass_and_hand_over"),
                OccupantIn(name="李四", temperature="36.5", decision="pass_and_hand_over"),
            ]
        )
    # then: no passage, no occupant, no signal
    assert not VehiclePassage.objects.exists()
    assert not PassengerCheck.objects.exists() and not Signal.objects.exists()
