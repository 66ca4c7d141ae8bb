"""Changes to a running observation: hand-over to another village (转出、接收), its period
(延长、缩短) and the people responsible (更换责任人)."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.observation.models import (
    Alert,
    CareVisit,
    Case,
    CheckIn,
    CheckinToken,
    Observation,
    ObservationAction,
    ObservationEvent,
    SupplyDelivery,
)
from bastion.observation.services.observations import (
    NOTE_MAX,
    TRANSITIONS,
    S,
    check_worker,
    clean_text,
    locked,
    observation_transition,
    refuse,
)
from bastion.orgs.models import Kind, Level, OrgUnit


def observation_transfer(
    *,
    actor: Any,
    observation: Observation,
    to_unit: OrgUnit,
    note: str,
    now: datetime | None = None,
) -> Observation:
    """转出: hand the observation to another village (or grid), which owns it from now on.

    Every record of the observation moves with it (its unit code changes), the personal link
    is revoked, and the receiving village accepts it with `observation_accept`.
    """
    now = now or timezone.now()
    errors: dict[str, str] = {}
    clean_note = clean_text(note, NOTE_MAX, "note", errors)
    if not clean_note and "note" not in errors:
        errors["note"] = "请写明转出原因，例如“已返回长沙居住”。"
    if (
        not to_unit.is_active
        or to_unit.kind != Kind.TERRITORIAL
        or to_unit.level not in (Level.VILLAGE, Level.GRID)
    ):
        errors["to_unit"] = "只能转给村（社区）或网格。"
    elif to_unit.code == observation.unit_code:
        errors["to_unit"] = "不能转给本单元。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = locked(observation)
        if S.MOVED not in TRANSITIONS[current.status]:
            raise refuse(current, S.MOVED)
        old_code = current.unit_code
        current.unit = to_unit
        current.unit_code = to_unit.code
        current.transferred_from_code = old_code
        current.grid_worker = None
        current.save(update_fields=["unit", "unit_code", "transferred_from_code", "grid_worker"])
        for model in (CheckIn, Alert, SupplyDelivery, CareVisit, Case):
            model.objects.filter(observation=current).update(unit_code=to_unit.code)
        CheckinToken.objects.filter(observation=current, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor
        )
        return observation_transition(
            actor=actor,
            observation=current,
            to_status=S.MOVED,
            note=clean_note,
            now=now,
            data={"from": old_code, "to": to_unit.code},
        )


def observation_accept(
    *, actor: Any, observation: Observation, grid_worker: Any = None, now: datetime | None = None
) -> Observation:
    """接收: the receiving village takes over a moved observation and names its grid worker."""
    errors: dict[str, str] = {}
    check_worker(grid_worker, observation.unit_code, "grid_worker", "该网格员", errors)
    if errors:
        raise ValidationError(errors)
    if grid_worker is None and code_in_scope(
        actor, observation.unit_code, Capability.RECORD_CHECKINS
    ):
        grid_worker = actor
    with transaction.atomic():
        result = observation_transition(
            actor=actor, observation=observation, to_status=S.ACTIVE, now=now
        )
        result.grid_worker = grid_worker
        result.save(update_fields=["grid_worker"])
    return result


def observation_change_period(
    *,
    actor: Any,
    observation: Observation,
    planned_end: date,
    reason: str,
    now: datetime | None = None,
) -> Observation:
    """延长或缩短观察期: a new last day, with a reason, logged with the old and new dates."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    clean_reason = clean_text(reason, NOTE_MAX, "reason", errors)
    if not clean_reason and "reason" not in errors:
        errors["reason"] = "请写明调整原因。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = locked(observation)
        if current.status != S.ACTIVE:
            raise ValidationError(
                {"planned_end": f"该医学观察{current.get_status_display()}，不能调整观察期。"}
            )
        if planned_end == current.planned_end:
            raise ValidationError({"planned_end": "期满日期没有变化。"})
        if planned_end < current.start_date:
            raise ValidationError({"planned_end": "期满日期不能早于起算日期。"})
        if planned_end < timezone.localdate(now):
            raise ValidationError({"planned_end": "缩短后的期满日期不能早于今天。"})
        old_end = current.planned_end
        current.planned_end = planned_end
        current.save(update_fields=["planned_end"])
        ObservationEvent.objects.create(
            observation=current,
            action=ObservationAction.PERIOD_CHANGED,
            from_status=current.status,
            to_status=current.status,
            note=clean_reason,
            data={
                "old_end": old_end.isoformat(),
                "new_end": planned_end.isoformat(),
                "days": (planned_end - old_end).days,
            },
            actor=actor,
            at=now,
        )
    return current


def observation_assign_workers(
    *,
    actor: Any,
    observation: Observation,
    grid_worker: Any,
    health_worker: Any,
    now: datetime | None = None,
) -> Observation:
    """更换责任人: the grid worker and health worker responsible for the observation."""
    errors: dict[str, str] = {}
    check_worker(grid_worker, observation.unit_code, "grid_worker", "该网格员", errors)
    check_worker(health_worker, observation.unit_code, "health_worker", "该医务人员", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = locked(observation)
        current.grid_worker = grid_worker
        current.health_worker = health_worker
        current.save(update_fields=["grid_worker", "health_worker"])
        ObservationEvent.objects.create(
            observation=current,
            action=ObservationAction.WORKERS_CHANGED,
            from_status=current.status,
            to_status=current.status,
            data={
                "grid_worker": getattr(grid_worker, "pk", None),
                "health_worker": getattr(health_worker, "pk", None),
            },
            actor=actor,
            at=now or timezone.now(),
        )
    return current
