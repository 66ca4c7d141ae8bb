"""Scoped reads of signals (线索): the village inbox, one signal, and the waits per unit."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Avg, Case, Count, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.screening.models import (
    OPEN_STATUSES,
    Signal,
    SignalEvent,
    SignalSource,
    SignalStatus,
)

VIEW_SIGNALS = Capability.VIEW_SIGNALS

STATUS_FILTERS = ("open", "closed", *SignalStatus.values)


def _signals() -> QuerySet[Signal]:
    return Signal.objects.select_related("unit", "person", "forwarded_to", "forwarded_from__unit")


def unit_in_scope(*, user: Any, code: str, capability: Capability = VIEW_SIGNALS) -> OrgUnit:
    """The unit `code` if it lies in the user's jurisdiction for `capability`, else Http404."""
    return get_scoped_or_404(user, OrgUnit.objects.select_related("parent"), capability, code=code)


def signal_list(
    *,
    user: Any,
    unit_code: str | None = None,
    status: str | None = None,
    source: str | None = None,
    capability: Capability = VIEW_SIGNALS,
) -> QuerySet[Signal]:
    """Signals of the user's jurisdiction (or one unit's), filtered by a status or by "open" /
    "closed". Open signals come first, new before verifying, the longest waiting first; then
    the closed ones, latest first."""
    qs = scoped(user, _signals(), capability)
    if unit_code:
        unit = unit_in_scope(user=user, code=unit_code, capability=capability)
        qs = qs.filter(unit_code__startswith=unit.scope_prefix)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif status in SignalStatus.values:
        qs = qs.filter(status=status)
    if source in SignalSource.values:
        qs = qs.filter(source=source)
    rank = Case(
        When(status=SignalStatus.NEW, then=Value(0)),
        When(status=SignalStatus.VERIFYING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(_rank=rank).order_by("_rank", "found_at", "id")


def signal_inbox(*, user: Any, unit_code: str | None = None) -> QuerySet[Signal]:
    """What a village must act on: open signals, new first, the longest waiting first."""
    return signal_list(user=user, unit_code=unit_code, status="open")


def signal_get(*, user: Any, signal_id: int, capability: Capability = VIEW_SIGNALS) -> Signal:
    return get_scoped_or_404(user, _signals(), capability, pk=signal_id)


def signal_events(*, signal: Signal) -> QuerySet[SignalEvent]:
    return signal.events.select_related("actor").order_by("at", "id")


def forward_targets(*, q: str) -> QuerySet[OrgUnit]:
    """Villages and grids anywhere that a signal may be forwarded to, by exact code or name.
    Unit names and codes are public (NBS), so this read is not scoped."""
    q = q.strip()
    units = OrgUnit.objects.filter(
        is_active=True, kind=Kind.TERRITORIAL, level__in=(Level.VILLAGE, Level.GRID)
    )
    if not q:
        return units.none()
    return units.filter(Q(code=q) | Q(name=q) | Q(short_name=q)).order_by("code")


def _village_units(user: Any, capability: Capability) -> QuerySet[OrgUnit]:
    return scoped(
        user,
        OrgUnit.objects.filter(
            is_active=True, kind=Kind.TERRITORIAL, level__in=(Level.VILLAGE, Level.GRID)
        ),
        capability,
        field="code",
    ).order_by("code")


def signal_units(*, user: Any, capability: Capability = Capability.HANDLE_SIGNALS) -> list[OrgUnit]:
    """Villages and grids where the user may file a signal (hotline entry)."""
    return list(_village_units(user, capability))


def signal_unit(
    *, user: Any, code: str, capability: Capability = Capability.HANDLE_SIGNALS
) -> OrgUnit | None:
    """The village or grid `code` if the user may file a signal there, else None."""
    return _village_units(user, capability).filter(code=code).first()


@dataclass
class UnitWaits:
    """How a unit handles its signals: what waits now, and how fast the recent ones went."""

    unit: OrgUnit
    open: int = 0
    new: int = 0
    oldest_found_at: datetime | None = None
    handled: int = 0
    avg_handling_seconds: int | None = None
    max_handling_seconds: int | None = None

    def longest_wait(self, now: datetime) -> timedelta | None:
        return None if self.oldest_found_at is None else now - self.oldest_found_at


def child_units(
    *, user: Any, unit: OrgUnit, capability: Capability = VIEW_SIGNALS
) -> list[OrgUnit]:
    """The territorial children of `unit` in the user's scope (villages of a township, grids
    of a village), or the unit itself when it has none."""
    children = list(
        scoped(
            user,
            OrgUnit.objects.filter(parent=unit, is_active=True, kind=Kind.TERRITORIAL),
            capability,
            field="code",
        ).order_by("code")
    )
    return children or [unit]


def signal_waits(
    *, user: Any, unit: OrgUnit, now: datetime | None = None, days: int = 7
) -> list[UnitWaits]:
    """The waits of each child of `unit` (a township sees its villages): open and new signals,
    the oldest still open, and the handling latency of those handled in the last `days`.

    Two grouped queries over code prefixes, whatever the number of children.
    """
    now = now or timezone.now()
    children = child_units(user=user, unit=unit)
    result = {c.scope_prefix: UnitWaits(unit=c) for c in children}
    lengths = {len(p) for p in result}
    # Signals filed on the unit itself, above its children (a village with grids).
    direct = UnitWaits(unit=unit)

    def bucket(prefix: str) -> UnitWaits:
        return result.get(prefix, direct)

    base = scoped(
        user, Signal.objects.filter(unit_code__startswith=unit.scope_prefix), VIEW_SIGNALS
    )
    for length in lengths:
        grouped = base.annotate(_prefix=Substr("unit_code", 1, length)).values("_prefix").order_by()
        open_rows = grouped.filter(status__in=OPEN_STATUSES).annotate(
            n=Count("pk"),
            n_new=Count("pk", filter=Q(status=SignalStatus.NEW)),
            oldest=Min("found_at"),
        )
        for row in open_rows:
            waits = bucket(row["_prefix"])
            waits.open += row["n"]
            waits.new += row["n_new"]
            if waits.oldest_found_at is None or row["oldest"] < waits.oldest_found_at:
                waits.oldest_found_at = row["oldest"]
        handled_rows = grouped.filter(
            handled_at__gte=now - timedelta(days=days), handling_seconds__isnull=False
        ).annotate(n=Count("pk"), avg=Avg("handling_seconds"), worst=Max("handling_seconds"))
        for handled in handled_rows:
            waits = bucket(handled["_prefix"])
            total = waits.handled + handled["n"]
            previous = (waits.avg_handling_seconds or 0) * waits.handled
            waits.avg_handling_seconds = round((previous + handled["avg"] * handled["n"]) / total)
            waits.max_handling_seconds = max(waits.max_handling_seconds or 0, handled["worst"])
            waits.handled = total
    rows = list(result.values())
    if direct.open or direct.handled:
        rows.append(direct)
    return sorted(
        rows,
        key=lambda w: (-w.new, -w.open, w.oldest_found_at or now, w.unit.code),
    )
