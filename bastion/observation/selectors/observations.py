"""Scoped reads of observations, their check-ins, day grid and temperature chart."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.observation import slots as slot_rules
from bastion.observation.models import (
    CareVisit,
    CheckIn,
    CheckinToken,
    Observation,
    ObservationEvent,
    ObservationStatus,
    SupplyDelivery,
    VisitOutcome,
)
from bastion.observation.slots import CellState, Slot
from bastion.orgs.models import OrgUnit

VIEW = Capability.VIEW_OBSERVATIONS


def _observations() -> QuerySet[Observation]:
    return Observation.objects.select_related(
        "person", "person__household", "unit", "policy", "grid_worker", "health_worker"
    )


def unit_in_scope(*, user: Any, code: str, capability: Capability = VIEW) -> OrgUnit:
    """The unit a list is filtered by; Http404 when missing or out of scope."""
    return get_scoped_or_404(user, OrgUnit.objects.all(), capability, code=code)


def observation_list(
    *,
    user: Any,
    unit_code: str | None = None,
    status: str | None = None,
    capability: Capability = VIEW,
) -> QuerySet[Observation]:
    """Observations in scope, optionally under one unit and in one status; newest first."""
    qs = scoped(user, _observations(), capability)
    if unit_code:
        unit = unit_in_scope(user=user, code=unit_code, capability=capability)
        qs = qs.filter(unit_code__startswith=unit.scope_prefix)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-start_date", "-pk")


def observation_get(
    *, user: Any, observation_id: int, capability: Capability = VIEW
) -> Observation:
    return get_scoped_or_404(user, _observations(), capability, pk=observation_id)


def observation_events(*, observation: Observation) -> QuerySet[ObservationEvent]:
    return observation.events.select_related("actor").order_by("at", "pk")


def observation_supplies(*, observation: Observation) -> QuerySet[SupplyDelivery]:
    return observation.supplies.select_related("recorded_by").order_by("-delivered_on", "-pk")


def observation_care_visits(*, observation: Observation) -> QuerySet[CareVisit]:
    return observation.care_visits.select_related("done_by").order_by("due_on", "pk")


def observation_tokens(*, observation: Observation) -> QuerySet[CheckinToken]:
    return observation.tokens.filter(revoked_at__isnull=True)


def responsible_candidates(*, unit_code: str, role: str) -> QuerySet[Any]:
    """Accounts that may be named responsible for an observation of `unit_code`: active
    members in `role` of a unit whose jurisdiction contains it."""
    from bastion.accounts.models import User

    prefixes = [unit_code[:i] for i in range(1, len(unit_code) + 1)]
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=role,
            memberships__unit__scope_prefix__in=prefixes,
        )
        .distinct()
        .order_by("display_name", "username")
    )


def transfer_target(text: str) -> OrgUnit | None:
    """The village (or grid) an observation is handed to, by code or full name. The target
    may lie outside the user's jurisdiction: that is the point of a hand-over."""
    from bastion.orgs.models import Kind, Level

    text = (text or "").strip()
    if not text:
        return None
    units = OrgUnit.objects.filter(
        is_active=True, kind=Kind.TERRITORIAL, level__in=[Level.VILLAGE, Level.GRID]
    )
    found = list(units.filter(code=text)[:1]) or list(units.filter(name=text)[:2])
    return found[0] if len(found) == 1 else None


def open_observation_of(*, user: Any, person_id: int) -> Observation | None:
    """The person's active (or moved) observation, if in scope."""
    return (
        scoped(user, _observations(), VIEW)
        .filter(person_id=person_id, status__in=[ObservationStatus.ACTIVE, ObservationStatus.MOVED])
        .first()
    )


def checkin_list(
    *, user: Any, observation: Observation, include_superseded: bool = True
) -> QuerySet[CheckIn]:
    """The observation's check-ins in time order. The observation was read in scope; the
    check-ins are scoped again by their own unit code, as every read is."""
    qs = (
        scoped(user, CheckIn.objects.filter(observation=observation), VIEW)
        .select_related("recorded_by")
        .annotate(superseded=Exists(CheckIn.objects.filter(corrects=OuterRef("pk"))))
    )
    if not include_superseded:
        qs = qs.filter(superseded=False)
    return qs.order_by("measured_at", "pk")


def is_superseded(checkin: CheckIn) -> bool:
    """A corrected check-in no longer counts (annotated by `checkin_list`)."""
    return bool(getattr(checkin, "superseded", False))


def self_checkins_today(*, observation: Observation, today: date) -> list[CheckIn]:
    """Today's check-ins of the observation, for its self check-in page.

    Precondition: the caller verified the personal link of this observation (the page has no
    user to scope by; the link is the authority, and it shows this observation only).
    """
    return list(
        CheckIn.objects.filter(observation=observation, day=today)
        .exclude(outcome=VisitOutcome.UNAVAILABLE)
        .order_by("measured_at", "pk")
    )


def checkin_get(*, user: Any, observation: Observation, checkin_id: int) -> CheckIn:
    try:
        return scoped(user, CheckIn.objects.filter(observation=observation), VIEW).get(
            pk=checkin_id
        )
    except (CheckIn.DoesNotExist, ValueError):
        raise Http404("未找到") from None


@dataclass
class GridCell:
    slot: Slot
    state: CellState
    checkin: CheckIn | None


@dataclass
class GridDay:
    day: date
    number: int
    cells: list[GridCell]


def _cell_state(
    observation: Observation, day: date, slot: Slot, found: list[CheckIn], now: datetime
) -> tuple[CellState, CheckIn | None]:
    seen = [c for c in found if c.outcome != VisitOutcome.UNAVAILABLE]
    if seen:
        latest = seen[-1]
        bad = any(not c.is_ok for c in seen)
        return (CellState.SEEN_NOT_OK if bad else CellState.SEEN_OK), latest
    _opens, closes = slot_rules.window(slot, day)
    ended = observation.ended_at if observation.status != ObservationStatus.ACTIVE else None
    if closes <= observation.started_at or (ended is not None and closes > ended):
        return CellState.NOT_APPLICABLE, None
    if closes <= now:
        return CellState.MISSED, (found[-1] if found else None)
    return CellState.NOT_DUE, (found[-1] if found else None)


def observation_grid(
    *, observation: Observation, checkins: list[CheckIn], now: datetime
) -> list[GridDay]:
    """Each day × slot of the period: seen OK / seen not OK / missed / not yet due (Go.Data's
    daily codes), from the check-ins that count (corrected ones do not). `checkins` come
    from `checkin_list`."""
    by_cell: dict[tuple[date, str], list[CheckIn]] = {}
    for c in checkins:
        if not is_superseded(c):
            by_cell.setdefault((c.day, c.slot), []).append(c)
    slots = slot_rules.policy_slots(observation.policy)
    days = []
    for day in observation.days():
        cells = []
        for slot in slots:
            state, shown = _cell_state(
                observation, day, slot, by_cell.get((day, slot.code), []), now
            )
            cells.append(GridCell(slot=slot, state=state, checkin=shown))
        days.append(GridDay(day=day, number=observation.day_number(on=day), cells=cells))
    return days


def temperature_series(*, observation: Observation, checkins: list[CheckIn]) -> dict[str, Any]:
    """Data for the temperature chart: measured values that count, and the fever line."""
    points = [
        [c.measured_at.isoformat(), float(c.temperature)]
        for c in checkins
        if c.temperature is not None and not is_superseded(c)
    ]
    return {
        "points": points,
        "threshold": float(observation.policy.fever_threshold),
        "start": observation.start_date.isoformat(),
        "end": observation.planned_end.isoformat(),
    }
