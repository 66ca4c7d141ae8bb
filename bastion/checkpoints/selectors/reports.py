"""Roll-ups of the roadside log for a checkpoint, township, county or the city: vehicles and
persons per day and per shift (or per checkpoint), fevers, hand-overs and how fast the
destination villages took them up, vehicles from high-risk areas, staffing gaps.

Every figure comes from grouped queries over the rows' own unit codes (a prefix test), never
one query per checkpoint or per day.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bastion.accounts.jurisdiction import scoped
from bastion.accounts.roles import Capability
from bastion.checkpoints.models import (
    Decision,
    PassengerCheck,
    Shift,
    StaffKind,
)
from bastion.checkpoints.selectors.rosters import KIND_LABELS
from bastion.core.days import day_bounds
from bastion.orgs.models import Kind, OrgUnit
from bastion.reports import rollups

VIEW = Capability.VIEW_CHECKPOINTS
MAX_DAYS = 62


@dataclass
class Counts:
    vehicles: int = 0
    persons: int = 0
    fevers: int = 0
    hand_overs: int = 0
    referred: int = 0
    high_risk: int = 0
    turned_back: int = 0


@dataclass
class Uptake:
    """Hand-overs to one destination village and how fast it took them up (handled − found)."""

    code: str
    name: str
    hand_overs: int = 0
    taken_up: int = 0
    minutes: list[float] = field(default_factory=list)
    open_since: list[datetime] = field(default_factory=list)

    @property
    def median_minutes(self) -> float | None:
        return statistics.median(self.minutes) if self.minutes else None

    @property
    def still_open(self) -> int:
        return len(self.open_since)

    def longest_wait_minutes(self, now: datetime) -> float | None:
        if not self.open_since:
            return None
        return (now - min(self.open_since)).total_seconds() / 60


@dataclass
class Gap:
    shift: Shift
    staffed: int
    missing: list[str]


@dataclass
class TrafficReport:
    unit: OrgUnit
    start: date
    end: date
    total: Counts
    by_day: list[tuple[date, Counts]]
    by_group: list[tuple[str, str, Counts]]  # (key, label, counts): per shift or per checkpoint
    grouped_by: str  # "shift" or "checkpoint"
    uptake: list[Uptake]
    gaps: list[Gap]
    now: datetime

    @property
    def hand_overs_open(self) -> int:
        return sum(u.still_open for u in self.uptake)

    @property
    def median_uptake_minutes(self) -> float | None:
        minutes = [m for u in self.uptake for m in u.minutes]
        return statistics.median(minutes) if minutes else None


def report_range(start: date | None, end: date | None, *, today: date) -> tuple[date, date]:
    """The days of a report: by default the last 7, never more than MAX_DAYS."""
    end = end or today
    start = start or end - timedelta(days=6)
    if start > end:
        start, end = end, start
    return max(start, end - timedelta(days=MAX_DAYS - 1)), end


def _add(counts: Counts, values: dict[str, int]) -> None:
    for name, value in values.items():
        if hasattr(counts, name):
            setattr(counts, name, getattr(counts, name) + (value or 0))


def traffic_report(
    *,
    user: Any,
    unit: OrgUnit,
    start: date,
    end: date,
    now: datetime | None = None,
) -> TrafficReport:
    """The roll-up of `unit` (a checkpoint or a territorial unit) from `start` to `end`."""
    now = now or timezone.now()
    since, until = day_bounds(start, end)
    prefix = unit.scope_prefix
    occupants = scoped(
        user,
        PassengerCheck.objects.filter(
            unit_code__startswith=prefix, occurred_at__gte=since, occurred_at__lt=until
        ),
        VIEW,
    )
    # Vehicles and persons per day, per checkpoint and per shift: the closed days from the
    # reports app's daily roll-up (decision 0006), the open days over their own rows.
    counts = rollups.counts_by(
        start,
        end,
        lambda qs: scoped(user, qs.filter(unit_code__startswith=prefix), VIEW, field="unit_code"),
        by=("day", "unit_code", "shift_id"),
    )
    is_checkpoint = unit.kind == Kind.CHECKPOINT
    by_day: dict[date, Counts] = {}
    groups: dict[Any, Counts] = {}
    for (day, code, shift_id), values in counts.items():
        _add(by_day.setdefault(day, Counts()), values)
        _add(groups.setdefault(shift_id if is_checkpoint else code, Counts()), values)

    labels: dict[Any, str] = {}
    if is_checkpoint:
        shifts = Shift.objects.filter(pk__in=[k for k in groups if k is not None])
        starts = {s.pk: s.starts_at for s in shifts}
        labels = {s.pk: f"{s.day:%m-%d} {s.label}" for s in shifts}
        order = sorted(groups, key=lambda k: (k not in starts, starts.get(k, now)))
    else:
        for u in OrgUnit.objects.filter(code__in=list(groups)):
            labels[u.code] = u.name
        order = sorted(groups)

    total = Counts()
    for of_day in by_day.values():
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(of_day, name))

    return TrafficReport(
        unit=unit,
        start=start,
        end=end,
        total=total,
        by_day=sorted(by_day.items()),
        by_group=[(str(k), labels.get(k, "—"), groups[k]) for k in order],
        grouped_by="shift" if is_checkpoint else "checkpoint",
        uptake=_uptake(occupants),
        gaps=_gaps(user, prefix, start, end),
        now=now,
    )


def _uptake(occupants: QuerySet[PassengerCheck]) -> list[Uptake]:
    """Per destination village: hand-overs, how many it took up and how fast. One query."""
    rows = (
        occupants.filter(decision=Decision.PASS_AND_HAND_OVER, signal__isnull=False)
        .values(
            "passage__destination_code",
            "passage__destination__name",
            "signal__found_at",
            "signal__handled_at",
        )
        .order_by()
    )
    villages: dict[str, Uptake] = {}
    for row in rows:
        code = row["passage__destination_code"]
        u = villages.setdefault(code, Uptake(code=code, name=row["passage__destination__name"]))
        u.hand_overs += 1
        found, handled = row["signal__found_at"], row["signal__handled_at"]
        if handled is not None:
            u.taken_up += 1
            u.minutes.append(max(0.0, (handled - found).total_seconds() / 60))
        else:
            u.open_since.append(found)
    return sorted(villages.values(), key=lambda u: (-u.still_open, -(u.median_minutes or 0)))


def _gaps(user: Any, prefix: str, start: date, end: date) -> list[Gap]:
    """Shifts below their minimums (in total or per kind). One query with a count per kind."""
    per_kind = {
        f"n_{kind}": Count("assignments", filter=Q(assignments__staff_kind=kind))
        for kind in StaffKind.values
    }
    shifts = (
        scoped(
            user,
            Shift.objects.filter(unit_code__startswith=prefix, day__gte=start, day__lte=end),
            VIEW,
        )
        .select_related("checkpoint__unit")
        .annotate(n_total=Count("assignments"), **per_kind)
        .order_by("starts_at")
    )
    gaps = []
    for s in shifts:
        missing = []
        total = getattr(s, "n_total", 0)
        if total < s.minimum_total:
            missing.append(f"人数不足 {total}/{s.minimum_total}")
        for kind, minimum in sorted(s.minimum_by_kind.items()):
            short = int(minimum) - getattr(s, f"n_{kind}", 0)
            if short > 0:
                missing.append(f"缺{KIND_LABELS.get(kind, kind)} {short} 人")
        if missing:
            gaps.append(Gap(shift=s, staffed=total, missing=missing))
    return gaps
