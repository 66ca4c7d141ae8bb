"""Scoped reads of duty rosters (勤务): the week plan with its warnings, the shift summary."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.checkpoints.models import (
    Checkpoint,
    Decision,
    Disposition,
    DutyAssignment,
    PassengerCheck,
    Shift,
    StaffKind,
    VehiclePassage,
)

VIEW = Capability.VIEW_CHECKPOINTS
KIND_LABELS = dict(StaffKind.choices)


def shift_get(*, user: Any, shift_id: int, capability: Capability = VIEW) -> Shift:
    return get_scoped_or_404(
        user, Shift.objects.select_related("checkpoint__unit"), capability, pk=shift_id
    )


def assignment_get(
    *, user: Any, assignment_id: int, capability: Capability = VIEW
) -> DutyAssignment:
    return get_scoped_or_404(
        user,
        DutyAssignment.objects.select_related("shift__checkpoint__unit"),
        capability,
        pk=assignment_id,
    )


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def staffing_gaps(shift: Shift, assignments: list[DutyAssignment]) -> list[str]:
    """What a shift lacks against its minimums, in words: "人数不足 1/2", "缺公安 1 人"."""
    gaps = []
    if len(assignments) < shift.minimum_total:
        gaps.append(f"人数不足 {len(assignments)}/{shift.minimum_total}")
    by_kind: dict[str, int] = defaultdict(int)
    for a in assignments:
        by_kind[a.staff_kind] += 1
    for kind, minimum in sorted(shift.minimum_by_kind.items()):
        missing = int(minimum) - by_kind.get(kind, 0)
        if missing > 0:
            gaps.append(f"缺{KIND_LABELS.get(kind, kind)} {missing} 人")
    return gaps


def _max_hours_in_24(intervals: list[tuple[datetime, datetime]]) -> float:
    """The most hours on duty within any 24-hour window. The busiest window starts when some
    shift starts, so only those windows are measured."""
    best = 0.0
    for start, _end in intervals:
        window_end = start + timedelta(hours=24)
        total = sum(
            max(0.0, (min(e, window_end) - max(s, start)).total_seconds())
            for s, e in intervals
            if s < window_end and e > start
        )
        best = max(best, total / 3600)
    return best


@dataclass
class Cell:
    shift: Shift
    assignments: list[DutyAssignment]
    gaps: list[str] = field(default_factory=list)
    clashes: dict[int, str] = field(default_factory=dict)  # assignment id -> where else


@dataclass
class PersonLoad:
    key: str
    name: str
    kind: str
    shifts: int
    hours: float
    max_in_24: float
    over_limit: bool


@dataclass
class WeekPlan:
    checkpoint: Checkpoint
    start: date
    days: list[date]
    slots: list[dict[str, Any]]
    rows: list[tuple[dict[str, Any], list[Cell | None]]]
    people: list[PersonLoad]
    warnings: list[str]

    @property
    def cells(self) -> list[Cell]:
        return [c for _slot, cells in self.rows for c in cells if c is not None]

    @property
    def by_day(self) -> list[tuple[date, list[Cell]]]:
        """The week day by day (the phone's layout), each day's shifts in order."""
        return [
            (
                day,
                sorted(
                    (c for c in self.cells if c.shift.day == day), key=lambda c: c.shift.starts_at
                ),
            )
            for day in self.days
        ]


def week_plan(*, user: Any, checkpoint: Checkpoint, shifts: list[Shift]) -> WeekPlan:
    """The roster of `shifts` (one checkpoint's week) with every warning the planner must see:
    a shift below its minimums, a person in two places at once, and anyone on duty longer than
    the checkpoint's limit within 24 hours (the article's 17-hour days are shown, not hidden).

    Two queries: the week's assignments, and every assignment of the same people around the
    week at any checkpoint of the user's jurisdiction.
    """
    days = sorted({s.day for s in shifts})
    start = days[0] if days else week_start(checkpoint.created_at.date())
    assignments = list(
        scoped(
            user,
            DutyAssignment.objects.filter(shift__in=[s.pk for s in shifts]).select_related("user"),
            VIEW,
        )
    )
    by_shift: dict[int, list[DutyAssignment]] = defaultdict(list)
    for a in assignments:
        by_shift[a.shift_id].append(a)
    keys = {a.person_key for a in assignments}
    if shifts:
        first = min(s.starts_at for s in shifts) - timedelta(hours=24)
        last = max(s.ends_at for s in shifts) + timedelta(hours=24)
        around = list(
            scoped(
                user,
                DutyAssignment.objects.filter(
                    person_key__in=keys, shift__starts_at__lt=last, shift__ends_at__gt=first
                ).select_related("shift__checkpoint__unit"),
                VIEW,
            )
        )
    else:
        around = []
    duty: dict[str, list[DutyAssignment]] = defaultdict(list)
    for a in around:
        duty[a.person_key].append(a)

    cells: dict[int, Cell] = {}
    warnings: list[str] = []
    for s in shifts:
        cell = Cell(shift=s, assignments=by_shift.get(s.pk, []))
        cell.gaps = staffing_gaps(s, cell.assignments)
        warnings.extend(f"{s.day:%m-%d} {s.label}：{gap}" for gap in cell.gaps)
        for a in cell.assignments:
            for other in duty[a.person_key]:
                o = other.shift
                if o.pk != s.pk and o.starts_at < s.ends_at and o.ends_at > s.starts_at:
                    where = o.checkpoint.unit.name
                    cell.clashes[a.pk] = f"{where} {o.day:%m-%d} {o.label}"
                    warnings.append(
                        f"{s.day:%m-%d} {s.label}：{a.person_name} 同时排在 {where} {o.label}"
                    )
        cells[s.pk] = cell

    people: list[PersonLoad] = []
    limit = checkpoint.max_hours_in_24
    for key in sorted(keys):
        mine = duty[key]
        here = [a for a in assignments if a.person_key == key]
        intervals = sorted({(a.shift.starts_at, a.shift.ends_at) for a in mine})
        most = _max_hours_in_24(intervals)
        week_hours = sum((a.shift.ends_at - a.shift.starts_at).total_seconds() / 3600 for a in here)
        load = PersonLoad(
            key=key,
            name=here[0].person_name,
            kind=here[0].staff_kind,
            shifts=len(here),
            hours=week_hours,
            max_in_24=most,
            over_limit=most > limit,
        )
        if load.over_limit:
            warnings.append(f"{load.name} 24 小时内在岗 {most:g} 小时，超过 {limit} 小时")
        people.append(load)
    people.sort(key=lambda p: (-p.max_in_24, p.name))

    slots = list(checkpoint.slots)
    codes = [s["code"] for s in slots]
    for s in shifts:  # a shift of a slot since removed still shows
        if s.slot not in codes:
            codes.append(s.slot)
            slots.append({"code": s.slot, "label": s.label})
    grid = {(s.day, s.slot): cells[s.pk] for s in shifts}
    rows = [(slot, [grid.get((d, slot["code"])) for d in days]) for slot in slots]
    return WeekPlan(
        checkpoint=checkpoint,
        start=start,
        days=days,
        slots=slots,
        rows=rows,
        people=people,
        warnings=warnings,
    )


@dataclass
class ShiftSummary:
    shift: Shift
    vehicles: int
    persons: int
    fevers: int
    hand_overs: int
    referred: int
    turned_back_vehicles: int
    high_risk_vehicles: int
    no_temperature: list[PassengerCheck]
    empty_vehicles: list[VehiclePassage]
    assignments: list[DutyAssignment]
    gaps: list[str]

    @property
    def breaches(self) -> int:
        return len(self.empty_vehicles)

    @property
    def came(self) -> int:
        return sum(1 for a in self.assignments if a.checked_in_at is not None)


def shift_summary(*, user: Any, shift: Shift) -> ShiftSummary:
    """Counts of a shift, and every record that breaks "一车不漏、一人不少".

    The services refuse a vehicle without occupants and an occupant without a temperature or
    a reason; the summary still looks, because the admin, an import or a future offline sync
    must not slip one past unseen. Five queries.
    """
    passages = scoped(user, VehiclePassage.objects.filter(shift=shift), VIEW)
    vehicle_counts = passages.aggregate(
        vehicles=Count("pk"),
        turned_back=Count("pk", filter=Q(disposition=Disposition.TURNED_BACK)),
        high_risk=Count("pk", filter=Q(origin_high_risk=True)),
    )
    occupants = scoped(user, PassengerCheck.objects.filter(passage__shift=shift), VIEW)
    person_counts = occupants.aggregate(
        persons=Count("pk"),
        fevers=Count("pk", filter=Q(is_fever=True)),
        hand_overs=Count("pk", filter=Q(decision=Decision.PASS_AND_HAND_OVER)),
        referred=Count("pk", filter=Q(decision=Decision.REFER_FEVER_POINT)),
    )
    empty = list(passages.filter(occupants__isnull=True).order_by("occurred_at"))
    no_temperature = list(
        occupants.filter(temperature__isnull=True).select_related("passage").order_by("id")
    )
    assignments = list(
        scoped(user, DutyAssignment.objects.filter(shift=shift).select_related("user"), VIEW)
    )
    return ShiftSummary(
        shift=shift,
        vehicles=vehicle_counts["vehicles"],
        persons=person_counts["persons"],
        fevers=person_counts["fevers"],
        hand_overs=person_counts["hand_overs"],
        referred=person_counts["referred"],
        turned_back_vehicles=vehicle_counts["turned_back"],
        high_risk_vehicles=vehicle_counts["high_risk"],
        no_temperature=no_temperature,
        empty_vehicles=empty,
        assignments=assignments,
        gaps=staffing_gaps(shift, assignments),
    )


def week_shifts(*, user: Any, checkpoint: Checkpoint, start: date) -> list[Shift]:
    """The checkpoint's shifts of the 7 days from `start` that exist (planning creates them)."""
    return list(
        scoped(
            user,
            Shift.objects.filter(
                checkpoint=checkpoint, day__gte=start, day__lt=start + timedelta(days=7)
            ),
            VIEW,
        ).order_by("starts_at")
    )


def shifts_of_day(*, user: Any, checkpoint: Checkpoint, day: date) -> QuerySet[Shift]:
    return scoped(
        user,
        Shift.objects.filter(checkpoint=checkpoint, day=day).prefetch_related(
            Prefetch("assignments", queryset=DutyAssignment.objects.order_by("staff_kind"))
        ),
        VIEW,
    ).order_by("starts_at")


def previous_shift(*, user: Any, shift: Shift) -> Shift | None:
    """The shift before this one at the same checkpoint: whose handover note it reads."""
    return (
        scoped(
            user,
            Shift.objects.filter(checkpoint_id=shift.checkpoint_id, starts_at__lt=shift.starts_at),
            VIEW,
        )
        .order_by("-starts_at")
        .first()
    )
