"""Writes of referral, diagnosis and treatment (转诊、诊断、治疗).

The case state machine (every other move is refused):

    referred ──► suspected | confirmed | excluded | died
    suspected ──► confirmed | excluded | died
    confirmed ──► admitted | died
    admitted ──► recovered | died
    excluded ──► returned (back to observation)
    recovered ──► returned

A sample and its result, and isolation, are recorded on an open case at any stage. Every
step stores the time it happened (`at`, which may be earlier than the moment it is entered)
and its actor, in CaseEvent.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.core.errors import ValidationError
from bastion.observation.models import (
    UNRESOLVED,
    Alert,
    AlertKind,
    AlertStatus,
    Case,
    CaseEvent,
    CaseStatus,
    CaseStep,
    Observation,
    ObservationStatus,
    Resolution,
    TestResult,
)
from bastion.observation.services.observations import observation_transition
from bastion.orgs.models import Level, OrgUnit, RiskState

C = CaseStatus
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    C.REFERRED: frozenset({C.SUSPECTED, C.CONFIRMED, C.EXCLUDED, C.DIED}),
    C.SUSPECTED: frozenset({C.CONFIRMED, C.EXCLUDED, C.DIED}),
    C.CONFIRMED: frozenset({C.ADMITTED, C.DIED}),
    C.ADMITTED: frozenset({C.RECOVERED, C.DIED}),
    C.EXCLUDED: frozenset({C.RETURNED}),
    C.RECOVERED: frozenset({C.RETURNED}),
    C.DIED: frozenset(),
    C.RETURNED: frozenset(),
}
CLASSIFICATIONS = (C.SUSPECTED, C.CONFIRMED, C.EXCLUDED)
OUTCOMES = (C.RECOVERED, C.DIED)
CLOCK_SKEW = timedelta(minutes=5)
RISK_WINDOW = timedelta(days=14)
RISK_RANK = {RiskState.NO_CASE: 0, RiskState.CASE_OR_OUTBREAK: 1, RiskState.TRANSMISSION: 2}


def _clean_note(note: str, errors: dict[str, str], field: str = "note", limit: int = 200) -> str:
    clean = " ".join((note or "").split())
    if len(clean) > limit:
        errors[field] = f"不能超过 {limit} 个字。"
    return clean


def _check_time(
    at: datetime, *, earliest: datetime | None, now: datetime, errors: dict[str, str]
) -> None:
    if at > now + CLOCK_SKEW:
        errors["at"] = "时间不能晚于现在。"
    elif earliest is not None and at < earliest:
        errors["at"] = f"时间不能早于发现时间（{timezone.localtime(earliest):%m-%d %H:%M}）。"


def case_refer(
    *,
    actor: Any,
    observation: Observation,
    referred_to: str,
    alert: Alert | None = None,
    at: datetime | None = None,
    note: str = "",
    client_uuid: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Case:
    """转诊: send the person to a fever clinic (发热门诊). The observation becomes "referred".

    The alert that led here (given, or the observation's oldest unresolved fever or symptom
    alert) supplies the five-early start: detected = raised, reported = acknowledged (now, if
    nobody had acknowledged it yet). The alerts of the observation are resolved as referred.
    """
    now = now or timezone.now()
    at = at or now
    if client_uuid is not None:
        existing = Case.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            return existing
    errors: dict[str, str] = {}
    destination = _clean_note(referred_to, errors, "referred_to", 100)
    if not destination and "referred_to" not in errors:
        errors["referred_to"] = "请填写转往的发热门诊，例如“市中心医院发热门诊”。"
    clean_note = _clean_note(note, errors)
    if alert is not None and alert.observation_id != observation.pk:
        errors["alert"] = "该预警不属于这位观察对象。"
    _check_time(at, earliest=None, now=now, errors=errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            current = observation_transition(
                actor=actor,
                observation=observation,
                to_status=ObservationStatus.REFERRED,
                note=clean_note or f"转诊至{destination}",
                now=now,
            )
            if alert is None:
                alert = (
                    Alert.objects.filter(
                        observation=current,
                        kind__in=[AlertKind.FEVER, AlertKind.SYMPTOM],
                        status__in=UNRESOLVED,
                    )
                    .order_by("raised_at")
                    .first()
                )
            if alert is not None:
                alert = Alert.objects.select_for_update().get(pk=alert.pk)
            detected_at = alert.raised_at if alert is not None else at
            reported_at = (alert.acknowledged_at if alert is not None else None) or now
            Alert.objects.filter(observation=current, status__in=UNRESOLVED).update(
                status=AlertStatus.RESOLVED,
                resolution=Resolution.REFERRED,
                resolved_at=now,
                resolved_by=actor,
            )
            Alert.objects.filter(
                observation=current, acknowledged_at__isnull=True, resolution=Resolution.REFERRED
            ).update(acknowledged_at=now, acknowledged_by=actor)
            case = Case.objects.create(
                observation=current,
                person_id=current.person_id,
                unit_code=current.unit_code,
                alert=alert,
                detected_at=min(detected_at, at),
                reported_at=min(reported_at, max(at, detected_at)),
                referred_at=at,
                referred_by=actor,
                referred_to=destination,
                client_uuid=client_uuid,
            )
            CaseEvent.objects.create(
                case=case,
                step=CaseStep.REFERRED,
                status=C.REFERRED,
                at=at,
                recorded_at=now,
                actor=actor,
                note=clean_note,
                data={"referred_to": destination},
            )
    except IntegrityError:
        if client_uuid is not None:
            existing = Case.objects.filter(client_uuid=client_uuid).first()
            if existing is not None:
                return existing
        raise ValidationError({"observation": "该观察对象已有进行中的转诊。"}) from None
    return case


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def _refuse(current: Case, to_status: str) -> ValidationError:
    if not CASE_TRANSITIONS[current.status]:
        return ValidationError(
            {"status": f"该病例已结案（{current.get_status_display()}），不能再改变状态。"}
        )
    return ValidationError(
        {
            "status": f"病例不能从“{current.get_status_display()}”"
            f"改为“{CaseStatus(to_status).label}”。"
        }
    )


def _event(
    case: Case, step: str, *, at: datetime, now: datetime, actor: Any, note: str = "", **data: Any
) -> None:
    CaseEvent.objects.create(
        case=case,
        step=step,
        status=case.status,
        at=at,
        recorded_at=now,
        actor=actor,
        note=note,
        data={k: v for k, v in data.items() if v not in (None, "")},
    )


def case_record_test(
    *,
    actor: Any,
    case: Case,
    sampled_at: datetime,
    result: str,
    result_at: datetime | None = None,
    now: datetime | None = None,
) -> Case:
    """采样检测: the sample and its result (pending, negative, positive)."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if result not in TestResult.values:
        errors["result"] = "请选择检测结果：待出结果、阴性或阳性。"
    _check_time(sampled_at, earliest=case.detected_at, now=now, errors=errors)
    if result_at is not None and result_at < sampled_at:
        errors["result_at"] = "出结果时间不能早于采样时间。"
    if result != TestResult.PENDING and result_at is None:
        result_at = now
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _lock(case)
        if not current.is_open:
            raise _refuse(current, C.SUSPECTED)
        current.sampled_at = sampled_at
        current.test_result = result
        current.result_at = result_at
        current.save(update_fields=["sampled_at", "test_result", "result_at", "updated_at"])
        _event(current, CaseStep.TESTED, at=sampled_at, now=now, actor=actor, result=result)
    return current


def case_classify(
    *,
    actor: Any,
    case: Case,
    classification: str,
    at: datetime | None = None,
    source_unclear: bool = False,
    note: str = "",
    now: datetime | None = None,
) -> Case:
    """诊断分类: suspected (疑似), confirmed (确诊) or excluded (排除). Confirmed or excluded is
    the "diagnosed" step of 五早. A confirmation raises the community's risk state."""
    now = now or timezone.now()
    at = at or now
    errors: dict[str, str] = {}
    if classification not in CLASSIFICATIONS:
        errors["classification"] = "请选择诊断分类：疑似、确诊或排除。"
    clean_note = _clean_note(note, errors)
    _check_time(at, earliest=case.detected_at, now=now, errors=errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _lock(case)
        if classification not in CASE_TRANSITIONS[current.status]:
            raise _refuse(current, classification)
        current.status = classification
        if classification == C.SUSPECTED:
            current.suspected_at = at
        else:
            current.diagnosed_at = at
        if classification == C.CONFIRMED:
            current.confirmed_at = at
            current.source_unclear = source_unclear
        current.save()
        _event(current, CaseStep.CLASSIFIED, at=at, now=now, actor=actor, note=clean_note)
        if classification == C.CONFIRMED:
            community_risk_update(unit_code=current.unit_code, now=now)
    return current


def case_isolate(
    *,
    actor: Any,
    case: Case,
    place: str,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Case:
    """隔离: where and since when the person is isolated."""
    now = now or timezone.now()
    at = at or now
    errors: dict[str, str] = {}
    clean_place = _clean_note(place, errors, "place", 100)
    if not clean_place and "place" not in errors:
        errors["place"] = "请填写隔离地点。"
    _check_time(at, earliest=case.detected_at, now=now, errors=errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _lock(case)
        if not current.is_open or current.status == C.EXCLUDED:
            raise ValidationError({"status": "该病例已排除或已结案，无需隔离。"})
        if current.isolated_at is not None:
            raise ValidationError({"place": "已经登记过隔离。"})
        current.isolated_at = at
        current.isolation_place = clean_place
        current.save(update_fields=["isolated_at", "isolation_place", "updated_at"])
        _event(current, CaseStep.ISOLATED, at=at, now=now, actor=actor, place=clean_place)
    return current


def case_admit(
    *,
    actor: Any,
    case: Case,
    hospital: str,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Case:
    """收治: a confirmed case is admitted for treatment (the "treated" step of 五早)."""
    now = now or timezone.now()
    at = at or now
    errors: dict[str, str] = {}
    clean = _clean_note(hospital, errors, "hospital", 100)
    if not clean and "hospital" not in errors:
        errors["hospital"] = "请填写收治医院。"
    _check_time(at, earliest=case.detected_at, now=now, errors=errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _lock(case)
        if C.ADMITTED not in CASE_TRANSITIONS[current.status]:
            raise _refuse(current, C.ADMITTED)
        current.status = C.ADMITTED
        current.treated_at = at
        current.hospital = clean
        current.save()
        _event(current, CaseStep.ADMITTED, at=at, now=now, actor=actor, hospital=clean)
    return current


def case_close(
    *,
    actor: Any,
    case: Case,
    outcome: str,
    at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Case:
    """转归: recovered (治愈) or died (死亡). A death ends the observation too."""
    now = now or timezone.now()
    at = at or now
    errors: dict[str, str] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = "请选择转归：治愈或死亡。"
    clean_note = _clean_note(note, errors)
    _check_time(at, earliest=case.detected_at, now=now, errors=errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _lock(case)
        if outcome not in CASE_TRANSITIONS[current.status]:
            raise _refuse(current, outcome)
        current.status = outcome
        current.outcome_at = at
        current.save()
        _event(current, CaseStep.OUTCOME, at=at, now=now, actor=actor, note=clean_note)
        if outcome == C.DIED:
            observation_transition(
                actor=actor,
                observation=current.observation,
                to_status=ObservationStatus.DIED,
                note=clean_note or "病例死亡",
                now=now,
            )
    return current


def case_return(
    *,
    actor: Any,
    case: Case,
    at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Case:
    """返回观察: an excluded (or recovered) person goes back to their observation."""
    now = now or timezone.now()
    at = at or now
    errors: dict[str, str] = {}
    clean_note = _clean_note(note, errors)
    _check_time(at, earliest=case.detected_at, now=now, errors=errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _lock(case)
        if C.RETURNED not in CASE_TRANSITIONS[current.status]:
            raise _refuse(current, C.RETURNED)
        current.status = C.RETURNED
        current.returned_at = at
        current.save()
        _event(current, CaseStep.RETURNED, at=at, now=now, actor=actor, note=clean_note)
        observation_transition(
            actor=actor,
            observation=current.observation,
            to_status=ObservationStatus.ACTIVE,
            note=clean_note or "排除后返回观察",
            now=now,
        )
    return current


def community_risk_update(*, unit_code: str, now: datetime) -> str | None:
    """Raise the community's risk state (DOMAIN.md) after a confirmation; never lower it.

    Confirmed cases of the village in the last 14 days: one or more → 出现病例或暴发疫情;
    two or more of unclear source → 传播疫情. Returns the new state when it changed.
    """
    village_code = unit_code[:12]
    village = OrgUnit.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        return None
    recent = Case.objects.filter(
        unit_code__startswith=village_code, confirmed_at__gte=now - RISK_WINDOW
    )
    confirmed = recent.count()
    unclear = recent.filter(source_unclear=True).count()
    if unclear >= 2:
        state = RiskState.TRANSMISSION
    elif confirmed >= 1:
        state = RiskState.CASE_OR_OUTBREAK
    else:
        return None
    if RISK_RANK[RiskState(state)] <= RISK_RANK.get(RiskState(village.risk_state), 0):
        return None
    OrgUnit.objects.filter(pk=village.pk).update(risk_state=state, updated_at=now)
    return state
