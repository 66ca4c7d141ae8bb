"""Writes of observations (医学观察): start, the state machine, the period and the workers.

The state machine (every other move is refused):

    active ──► completed | referred | lost_to_follow_up | moved | died
    moved ──► active (the receiving jurisdiction takes it over)
    referred ──► active (back from the fever clinic) | died
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import StaleVersion, ValidationError
from bastion.observation.models import (
    UNRESOLVED,
    Alert,
    AlertKind,
    AlertStatus,
    Observation,
    ObservationAction,
    ObservationEvent,
    ObservationKind,
    ObservationStatus,
    Resolution,
)
from bastion.observation.services.policies import policy_in_force
from bastion.people.models import Person
from bastion.screening.models import Signal, SignalStatus
from bastion.screening.services import signal_transition

S = ObservationStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.ACTIVE: frozenset({S.COMPLETED, S.REFERRED, S.LOST_TO_FOLLOW_UP, S.MOVED, S.DIED}),
    S.MOVED: frozenset({S.ACTIVE}),
    S.REFERRED: frozenset({S.ACTIVE, S.DIED}),
    S.COMPLETED: frozenset(),
    S.LOST_TO_FOLLOW_UP: frozenset(),
    S.DIED: frozenset(),
}
ACTIONS = {
    S.COMPLETED: ObservationAction.COMPLETED,
    S.REFERRED: ObservationAction.REFERRED,
    S.LOST_TO_FOLLOW_UP: ObservationAction.LOST_TO_FOLLOW_UP,
    S.MOVED: ObservationAction.MOVED,
    S.DIED: ObservationAction.DIED,
}

PERSON_NOT_IN_SCOPE = "人员不存在或不在您的辖区内。"
NOTE_MAX = 200


def clean_text(value: str | None, limit: int, field_name: str, errors: dict[str, str]) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        errors[field_name] = f"不能超过 {limit} 个字。"
    return text


def check_worker(
    user: Any, unit_code: str, field_name: str, label: str, errors: dict[str, str]
) -> None:
    if user is not None and not code_in_scope(user, unit_code, Capability.RECORD_CHECKINS):
        errors[field_name] = f"{label}不负责该村（社区），请重新选择。"


def planned_end_of(start_date: date, period_days: int) -> date:
    """Day 1 is the start date: a 14-day period from 1 Feb ends on 14 Feb."""
    return start_date + timedelta(days=period_days - 1)


@dataclass
class Started:
    """What `observations_start` did: the observations it started, and the persons it left
    alone because they are under observation already."""

    observations: list[Observation] = field(default_factory=list)
    skipped: list[Person] = field(default_factory=list)
    replayed: bool = False


def observations_start(
    *,
    actor: Any,
    persons: Sequence[Person],
    kind: str,
    start_date: date,
    place: str = "",
    grid_worker: Any = None,
    health_worker: Any = None,
    signal: Signal | None = None,
    note: str = "",
    client_uuid: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Started:
    """Start observations (纳入医学观察) for persons in one step: a person and the household
    members living with them, or the close contacts of a case.

    The first person is the subject: if they are under observation already, that is an error;
    the others who are are skipped. Each observation takes the policy in force today and its
    planned end from it. A signal, if given, becomes "under observation". `client_uuid` marks
    the subject's observation: a replay returns what the first call started.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not persons:
        raise ValidationError({"person": "请选择人员。"})
    subject = persons[0]
    if client_uuid is not None:
        existing = Observation.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            return Started(observations=[existing], replayed=True)
    errors: dict[str, str] = {}
    for person in persons:
        if person.merged_into_id is not None or not code_in_scope(
            actor, person.unit_code, Capability.MANAGE_OBSERVATIONS
        ):
            errors["person"] = PERSON_NOT_IN_SCOPE
    if kind not in ObservationKind.values:
        errors["kind"] = "请选择观察方式：居家、集中或医院。"
    clean_place = clean_text(place, 200, "place", errors)
    clean_note = clean_text(note, NOTE_MAX, "note", errors)
    if start_date > today:
        errors["start_date"] = "起算日期不能晚于今天。"
    policy = policy_in_force(unit_code=subject.unit_code, on=today)
    if "start_date" not in errors and planned_end_of(start_date, policy.period_days) < today:
        errors["start_date"] = (
            f"从 {start_date:%Y-%m-%d} 起算的 {policy.period_days} 天观察期已经结束，无需再观察。"
        )
    check_worker(grid_worker, subject.unit_code, "grid_worker", "该网格员", errors)
    check_worker(health_worker, subject.unit_code, "health_worker", "该医务人员", errors)
    if signal is not None:
        if not code_in_scope(actor, signal.unit_code, Capability.MANAGE_OBSERVATIONS):
            errors["signal"] = "线索不存在或不在您的辖区内。"
        elif signal.person_id not in (None, subject.pk):
            errors["signal"] = "该线索登记的是另一个人。"
        elif signal.status not in (SignalStatus.NEW, SignalStatus.VERIFYING):
            errors["signal"] = f"该线索已处置（{signal.get_status_display()}）。"
    if errors:
        raise ValidationError(errors)
    if grid_worker is None and code_in_scope(actor, subject.unit_code, Capability.RECORD_CHECKINS):
        grid_worker = actor
    busy = set(
        Observation.objects.filter(person__in=persons, status__in=[S.ACTIVE, S.MOVED]).values_list(
            "person_id", flat=True
        )
    )
    if subject.pk in busy:
        raise ValidationError({"person": f"{subject.name}已在医学观察中，不能重复纳入。"})
    started = Started()
    try:
        with transaction.atomic():
            for person in persons:
                if person.pk in busy:
                    started.skipped.append(person)
                    continue
                home = person.household.address if person.household is not None else ""
                observation = Observation.objects.create(
                    person=person,
                    unit_id=person.unit_id,
                    unit_code=person.unit_code,
                    signal=signal if person is subject else None,
                    policy=policy,
                    kind=kind,
                    place=clean_place or (home if kind == ObservationKind.HOME else ""),
                    start_date=start_date,
                    planned_end=planned_end_of(start_date, policy.period_days),
                    grid_worker=grid_worker,
                    health_worker=health_worker,
                    started_at=now,
                    started_by=actor,
                    client_uuid=client_uuid if person is subject else None,
                )
                ObservationEvent.objects.create(
                    observation=observation,
                    action=ObservationAction.STARTED,
                    to_status=S.ACTIVE,
                    note=clean_note,
                    data={"policy_version": policy.version, "policy_id": policy.pk},
                    actor=actor,
                    at=now,
                )
                started.observations.append(observation)
            if signal is not None:
                signal_transition(
                    actor=actor,
                    signal=signal,
                    to_status=SignalStatus.UNDER_OBSERVATION,
                    note="已纳入医学观察",
                    now=now,
                )
    except StaleVersion:
        raise ValidationError({"signal": "该线索刚被他人处理过，请刷新后再试。"}) from None
    except IntegrityError:
        # A concurrent start for the same person (or the same client UUID) committed first.
        if client_uuid is not None:
            existing = Observation.objects.filter(client_uuid=client_uuid).first()
            if existing is not None:
                return Started(observations=[existing], replayed=True)
        raise ValidationError({"person": "该人员刚刚被纳入医学观察，请刷新后查看。"}) from None
    return started


def observation_start(
    *,
    actor: Any,
    person: Person,
    kind: str,
    start_date: date,
    with_household: bool = False,
    **options: Any,
) -> Started:
    """Start one person's observation, and with `with_household` those of the live members of
    their household (同住家庭成员) too."""
    persons = [person]
    if with_household and person.household_id:
        persons += list(
            Person.objects.filter(household_id=person.household_id, merged_into__isnull=True)
            .exclude(pk=person.pk)
            .select_related("household")
            .order_by("id")
        )
    return observations_start(
        actor=actor, persons=persons, kind=kind, start_date=start_date, **options
    )


def locked(observation: Observation) -> Observation:
    return (
        Observation.objects.select_for_update(of=("self",))
        .select_related("policy", "person", "unit")
        .get(pk=observation.pk)
    )


def refuse(current: Observation, to_status: str) -> ValidationError:
    if not TRANSITIONS[current.status]:
        return ValidationError(
            {"status": f"该医学观察已结束（{current.get_status_display()}），不能再改变状态。"}
        )
    return ValidationError(
        {
            "status": f"医学观察不能从“{current.get_status_display()}”"
            f"改为“{ObservationStatus(to_status).label}”。"
        }
    )


def _close_alerts(observation: Observation, *, actor: Any, now: datetime, resolution: str) -> None:
    Alert.objects.filter(observation=observation, status__in=UNRESOLVED).update(
        status=AlertStatus.RESOLVED, resolved_at=now, resolved_by=actor, resolution=resolution
    )


def observation_transition(
    *,
    actor: Any,
    observation: Observation,
    to_status: str,
    note: str = "",
    now: datetime | None = None,
    data: dict[str, Any] | None = None,
) -> Observation:
    """Move an observation along the state machine, with the rules of each move.

    completed: on or after the last day (SORMAS #3791: a missing visit on the last day does
    not block it), with no unresolved fever or symptom alert. lost_to_follow_up and died need
    a note. referred is reached through `case_refer`, moved through `observation_transfer`.
    Leaving "active" for good closes the observation's open alerts.
    """
    now = now or timezone.now()
    errors: dict[str, str] = {}
    clean_note = clean_text(note, NOTE_MAX, "note", errors)
    if to_status not in ObservationStatus.values:
        errors["status"] = "未知的观察状态。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = locked(observation)
        if to_status not in TRANSITIONS[current.status]:
            raise refuse(current, to_status)
        today = timezone.localdate(now)
        if to_status == S.COMPLETED:
            if today < current.planned_end:
                raise ValidationError(
                    {
                        "status": f"观察期到 {current.planned_end:%Y-%m-%d} 才满，"
                        "如需提前解除请先调整观察期。"
                    }
                )
            if current.alerts.filter(
                kind__in=[AlertKind.FEVER, AlertKind.SYMPTOM], status__in=UNRESOLVED
            ).exists():
                raise ValidationError(
                    {"status": "还有未处置的发热或症状预警，处置后才能期满解除。"}
                )
        if to_status in (S.LOST_TO_FOLLOW_UP, S.DIED) and not clean_note:
            raise ValidationError({"note": "请写明情况说明。"})
        previous = current.status
        current.status = to_status
        if to_status == S.ACTIVE:
            current.ended_at = None
            current.ended_by = None
            current.end_note = ""
        elif to_status != S.MOVED:
            current.ended_at = now
            current.ended_by = actor
            current.end_note = clean_note
        current.save(update_fields=["status", "ended_at", "ended_by", "end_note"])
        if to_status in (S.COMPLETED, S.LOST_TO_FOLLOW_UP, S.DIED):
            _close_alerts(current, actor=actor, now=now, resolution=Resolution.OBSERVATION_ENDED)
        action = ACTIONS.get(ObservationStatus(to_status), ObservationAction.RETURNED)
        if previous == S.MOVED:
            action = ObservationAction.ACCEPTED
        ObservationEvent.objects.create(
            observation=current,
            action=action,
            from_status=previous,
            to_status=to_status,
            note=clean_note,
            data=data or {},
            actor=actor,
            at=now,
        )
    return current


def observation_complete(
    *, actor: Any, observation: Observation, note: str = "", now: datetime | None = None
) -> Observation:
    """期满解除: end the period without symptoms (also on its last day, without a visit)."""
    return observation_transition(
        actor=actor, observation=observation, to_status=S.COMPLETED, note=note, now=now
    )
