import itertools
from datetime import date, timedelta

import pytest

from bastion.core.errors import ValidationError
from bastion.observation.models import (
    Alert,
    AlertStatus,
    Case,
    CaseStatus,
    ObservationStatus,
    Resolution,
)
from bastion.observation.selectors.alerts import close_contacts
from bastion.observation.services import (
    alert_acknowledge,
    case_admit,
    case_classify,
    case_close,
    case_isolate,
    case_record_test,
    case_refer,
    case_return,
)
from bastion.observation.services.cases import CASE_TRANSITIONS
from bastion.observation.tests.conftest import at
from bastion.orgs.models import OrgUnit, RiskState

DAY = date(2020, 1, 27)
C = CaseStatus


def errors_of(excinfo):
    return excinfo.value.message_dict


@pytest.fixture
def fever(observation, check, personas):
    """A fever at 08:00, acknowledged by the worker at 08:15."""
    check(observation, "38.1", at(DAY, "08:00"))
    alert = Alert.objects.get()
    return alert_acknowledge(actor=personas.village_worker, alert=alert, now=at(DAY, "08:15"))


@pytest.fixture
def case(observation, fever, personas):
    return case_refer(
        actor=personas.village_worker,
        observation=observation,
        alert=fever,
        referred_to="市中心医院发热门诊",
        now=at(DAY, "08:30"),
    )


def test_referral_starts_the_case_from_the_alert(case, observation, fever):
    # then
    assert case.status == C.REFERRED
    assert (case.detected_at, case.reported_at, case.referred_at) == (
        at(DAY, "08:00"),
        at(DAY, "08:15"),
        at(DAY, "08:30"),
    )
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.REFERRED
    fever.refresh_from_db()
    assert (fever.status, fever.resolution) == (AlertStatus.RESOLVED, Resolution.REFERRED)


def test_referral_without_an_acknowledgement_reports_now(observation, check, personas):
    check(observation, "38.1", at(DAY, "08:00"))
    case = case_refer(
        actor=personas.village_worker,
        observation=observation,
        referred_to="发热门诊",
        now=at(DAY, "09:00"),
    )
    assert (case.detected_at, case.reported_at) == (at(DAY, "08:00"), at(DAY, "09:00"))
    assert Alert.objects.get().acknowledged_at == at(DAY, "09:00")


def test_referral_needs_a_destination(observation, personas):
    with pytest.raises(ValidationError) as excinfo:
        case_refer(actor=personas.village_worker, observation=observation, referred_to=" ")
    assert errors_of(excinfo) == {
        "referred_to": ["请填写转往的发热门诊，例如“市中心医院发热门诊”。"]
    }


def test_the_whole_pipeline_gives_the_five_latencies(case, personas):
    doctor = personas.township_officer
    case = case_record_test(
        actor=doctor, case=case, sampled_at=at(DAY, "10:00"), result="pending", now=at(DAY, "10:05")
    )
    case = case_isolate(
        actor=doctor,
        case=case,
        place="市中心医院隔离病区",
        at=at(DAY, "10:30"),
        now=at(DAY, "11:00"),
    )
    case = case_classify(
        actor=doctor,
        case=case,
        classification=C.CONFIRMED,
        at=at(DAY + timedelta(days=1), "16:00"),
        now=at(DAY + timedelta(days=1), "16:00"),
    )
    case = case_admit(
        actor=doctor,
        case=case,
        hospital="市中心医院",
        at=at(DAY + timedelta(days=1), "18:00"),
        now=at(DAY + timedelta(days=1), "18:00"),
    )
    assert case.latencies() == {
        "reported": timedelta(minutes=15),
        "isolated": timedelta(hours=2, minutes=15),
        "diagnosed": timedelta(hours=29, minutes=30),
        "treated": timedelta(hours=2),
    }
    assert [e.step for e in case.events.all()] == [
        "referred",
        "tested",
        "isolated",
        "classified",
        "admitted",
    ]


ALL = list(C.values)


def _move(case, to_status, personas, now):
    actor = personas.township_officer
    if to_status in (C.SUSPECTED, C.CONFIRMED, C.EXCLUDED):
        return case_classify(actor=actor, case=case, classification=to_status, now=now)
    if to_status == C.ADMITTED:
        return case_admit(actor=actor, case=case, hospital="市中心医院", now=now)
    if to_status in (C.RECOVERED, C.DIED):
        return case_close(actor=actor, case=case, outcome=to_status, note="转归", now=now)
    if to_status == C.RETURNED:
        return case_return(actor=actor, case=case, now=now)
    raise ValidationError({"status": "病例不能回到“已转诊”。"})


@pytest.mark.parametrize(("from_status", "to_status"), list(itertools.product(ALL, ALL)))
def test_every_case_transition_is_allowed_or_refused(case, personas, from_status, to_status):
    # given
    Case.objects.filter(pk=case.pk).update(status=from_status)
    case.refresh_from_db()
    now = at(DAY, "12:00")
    # when / then
    if to_status in CASE_TRANSITIONS[from_status]:
        assert _move(case, to_status, personas, now).status == to_status
    else:
        with pytest.raises(ValidationError) as excinfo:
            _move(case, to_status, personas, now)
        message = errors_of(excinfo)["status"][0]
        assert message.startswith(("病例不能从", "该病例已结案", "病例不能回到"))
        case.refresh_from_db()
        assert case.status == from_status


def test_an_excluded_person_returns_to_observation(case, observation, personas):
    case = case_classify(
        actor=personas.township_officer, case=case, classification=C.EXCLUDED, now=at(DAY, "20:00")
    )
    case_return(actor=personas.township_officer, case=case, now=at(DAY, "21:00"))
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.ACTIVE
    assert observation.events.last().action == "returned"


def test_a_death_ends_the_observation(case, observation, personas):
    case = case_classify(
        actor=personas.township_officer, case=case, classification=C.CONFIRMED, now=at(DAY, "20:00")
    )
    case_close(
        actor=personas.township_officer,
        case=case,
        outcome=C.DIED,
        note="抢救无效",
        now=at(DAY, "22:00"),
    )
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.DIED


def test_a_step_before_detection_or_in_the_future_is_refused(case, personas):
    with pytest.raises(ValidationError) as excinfo:
        case_isolate(
            actor=personas.township_officer,
            case=case,
            place="隔离点",
            at=at(DAY, "07:00"),
            now=at(DAY, "09:00"),
        )
    assert errors_of(excinfo) == {"at": ["时间不能早于发现时间（01-27 08:00）。"]}
    with pytest.raises(ValidationError) as excinfo:
        case_isolate(
            actor=personas.township_officer,
            case=case,
            place="隔离点",
            at=at(DAY, "10:00"),
            now=at(DAY, "09:00"),
        )
    assert errors_of(excinfo) == {"at": ["时间不能晚于现在。"]}


def test_a_confirmed_case_raises_the_community_risk_state(case, personas, tree, start, family):
    # when
    case_classify(
        actor=personas.township_officer, case=case, classification=C.CONFIRMED, now=at(DAY, "20:00")
    )
    # then
    assert OrgUnit.objects.get(pk=tree.yuetang.pk).risk_state == RiskState.CASE_OR_OUTBREAK
    # and a second confirmed case of unclear source with another one means transmission
    Case.objects.filter(pk=case.pk).update(source_unclear=True)
    wife = family[1]
    other = start(wife, now=at(DAY, "06:00"))
    second = case_refer(
        actor=personas.village_worker,
        observation=other,
        referred_to="发热门诊",
        now=at(DAY, "21:00"),
    )
    case_classify(
        actor=personas.township_officer,
        case=second,
        classification=C.CONFIRMED,
        source_unclear=True,
        now=at(DAY, "22:00"),
    )
    assert OrgUnit.objects.get(pk=tree.yuetang.pk).risk_state == RiskState.TRANSMISSION


def test_close_contacts_are_the_household_not_yet_observed(case, family, personas, start):
    _zhangsan, wife, son = family
    start(son)
    contacts = close_contacts(user=personas.village_worker, case=case)
    assert contacts == [(wife, "同住家庭成员")]


def test_travel_companions_are_close_contacts(case, personas, lisi, tree, zhangsan):
    from bastion.screening.models import TravelRecord

    # given: 张三 came home by train with 李四 of the neighbouring village
    record = TravelRecord.objects.create(
        person=zhangsan,
        unit=tree.yuetang,
        unit_code=zhangsan.unit_code,
        origin_province="湖北省",
        arrived_on=date(2020, 1, 25),
        transport="train",
        transport_no="G1234",
        source="manual",
    )
    record.companions.add(lisi)
    # then: the township officer (both villages) is offered 李四; 月塘's worker is not
    assert (lisi, "同行人员") in close_contacts(user=personas.township_officer, case=case)
    assert all(p != lisi for p, _ in close_contacts(user=personas.village_worker, case=case))
