"""Daily totals of checkpoint traffic and check-ins: a derived, rebuildable cache (decision 0006).

The checkpoints log a few million rows a month at city scale and the observed check in twice a
day; the dashboard's trends, the daily report and the checkpoint reports read the same counts
per day and unit code again and again. Closed days are rolled up once (`CheckpointDay`: seven
counts per day, unit code and shift; `CheckinDay`: cooperative check-ins and fevers per day and
unit code) and read from there; the days that are not closed yet (today, and yesterday for
`SEAL_MARGIN` after midnight) are always counted over their own rows.

Exactness. Passages are immutable once written and their occupants are written with them;
check-ins are never updated (a correction is a new check-in). So a closed day changes only
when a fact is entered late (an offline post, a correction, an admin's fix). Every write of a
fact of a closed day gives the day a new stamp once it commits (`days_touched`, from the
models' signals in `reports.signals`); a day's roll-up is used only while the stamp it was
computed at is still the day's stamp, and is recomputed at the next read otherwise. Bulk paths
that bypass the models' signals call `days_touched` themselves, or `rebuild`
(`bastion rollups --days N`).
"""

import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from bastion.checkpoints.models import Decision, Disposition, PassengerCheck, VehiclePassage
from bastion.core.days import LocalDate, midnight
from bastion.observation.models import CheckIn, VisitOutcome
from bastion.reports.models import CheckinDay, CheckpointDay, RollupDay

SOURCE = "checkpoints"
Narrow = Callable[[QuerySet[Any]], QuerySet[Any]]
SEAL_MARGIN = timedelta(minutes=15)

VEHICLE_COUNTS = ("vehicles", "high_risk", "turned_back")
PERSON_COUNTS = ("persons", "fevers", "hand_overs", "referred")
COUNTS = (*VEHICLE_COUNTS, *PERSON_COUNTS)


def vehicle_counts() -> dict[str, Any]:
    """The aggregates of one day's passages (as the checkpoint reports count them)."""
    return {
        "vehicles": Count("pk"),
        "high_risk": Count("pk", filter=Q(origin_high_risk=True)),
        "turned_back": Count("pk", filter=Q(disposition=Disposition.TURNED_BACK)),
    }


def person_counts() -> dict[str, Any]:
    """The aggregates of one day's occupants."""
    return {
        "persons": Count("pk"),
        "fevers": Count("pk", filter=Q(is_fever=True)),
        "hand_overs": Count("pk", filter=Q(decision=Decision.PASS_AND_HAND_OVER)),
        "referred": Count("pk", filter=Q(decision=Decision.REFER_FEVER_POINT)),
    }


def last_closed(now: datetime | None = None) -> date:
    """The latest day that may be read from the roll-up: closed for at least SEAL_MARGIN."""
    now = now or timezone.now()
    return timezone.localdate(now - SEAL_MARGIN) - timedelta(days=1)


def split(
    start: date, end: date, now: datetime | None = None
) -> tuple[tuple[date, date] | None, tuple[date, date] | None]:
    """[start, end] as (the closed days, read from the roll-up; the open days, counted live)."""
    closed_end = min(end, last_closed(now))
    closed = (start, closed_end) if closed_end >= start else None
    live_start = max(start, closed_end + timedelta(days=1))
    live = (live_start, end) if live_start <= end else None
    return closed, live


def _stamp() -> str:
    return uuid.uuid4().hex


def days_touched(
    days: Iterable[date], now: datetime | None = None, *, source: str = SOURCE
) -> None:
    """Facts of these days were written: their roll-ups are stale. Only closed days matter
    (an open day is never rolled up). Called once the write is committed (the models'
    signals, through `transaction.on_commit`), so that a reader that rolled the day up
    without the fact finds a new stamp afterwards."""
    today = timezone.localdate(now or timezone.now())
    closed = sorted({d for d in days if d < today})
    if not closed:
        return
    RollupDay.objects.bulk_create(
        [RollupDay(source=source, day=d, stamp=_stamp()) for d in closed],
        update_conflicts=True,
        unique_fields=["source", "day"],
        update_fields=["stamp"],
    )


def day_of(moment: datetime) -> date:
    return timezone.localdate(moment)


def ensure(start: date, end: date, *, source: str = SOURCE) -> None:
    """Make the roll-up of the closed days start..end valid: compute the days never rolled up
    or touched since. Two queries when nothing changed; a grouped query per table over the
    stale days otherwise (a full scan of the range the first time)."""
    days = {start + timedelta(days=i) for i in range((end - start).days + 1)}
    in_range = RollupDay.objects.filter(source=source, day__gte=start, day__lte=end)
    marks = {m.day: m for m in in_range}
    missing = days - set(marks)
    if missing:
        RollupDay.objects.bulk_create(
            [RollupDay(source=source, day=d, stamp=_stamp()) for d in sorted(missing)],
            ignore_conflicts=True,
        )
    if not missing and all(m.rolled == m.stamp for m in marks.values()):
        return
    with transaction.atomic():
        # Locked, so that a fact written meanwhile either is in what we read or gives the day
        # a new stamp once we commit.
        stale = sorted(m.day for m in in_range.select_for_update() if m.rolled != m.stamp)
        if not stale:
            return
        _COMPUTE[source](stale)
        in_range.filter(day__in=stale).update(rolled=F("stamp"))


def _compute(days: list[date]) -> None:
    """Replace the roll-up rows of `days` with fresh counts: one grouped query per table over
    the span of the days (the days outside `days` in that span are dropped here)."""
    wanted = set(days)
    rows = _grouped(days[0], days[-1], lambda qs: qs, by=("day", "unit_code", "shift_id"))
    CheckpointDay.objects.filter(day__in=wanted).delete()
    CheckpointDay.objects.bulk_create(
        [
            CheckpointDay(day=d, unit_code=code, shift_id=shift, **values)
            for (d, code, shift), values in rows.items()
            if d in wanted
        ],
        batch_size=2000,
    )


# --- Check-ins (观察对象打卡): cooperative check-ins and fevers per day and unit code, of the
# check-ins no correction superseded. A correction is a new check-in; it touches its own day
# and the corrected one's.
CHECKINS = "checkins"


def superseded() -> Exists:
    """A check-in that has a correction (partial index checkin_corrections)."""
    return Exists(CheckIn.objects.filter(corrects__isnull=False, corrects=OuterRef("pk")))


def checkin_counts() -> dict[str, Any]:
    return {
        "done": Count("pk", filter=Q(outcome=VisitOutcome.COOPERATIVE)),
        "fevers": Count("pk", filter=Q(is_fever=True)),
    }


def counted_checkins(start: date, end: date) -> QuerySet[CheckIn]:
    """The check-ins of the days start..end that count (not superseded)."""
    return CheckIn.objects.filter(day__gte=start, day__lte=end).filter(~superseded())


def _compute_checkins(days: list[date]) -> None:
    wanted = set(days)
    rows: Any = (
        counted_checkins(days[0], days[-1])
        .values("day", "unit_code")
        .annotate(**checkin_counts())
        .order_by()
    )
    CheckinDay.objects.filter(day__in=wanted).delete()
    CheckinDay.objects.bulk_create(
        [
            CheckinDay(day=r["day"], unit_code=r["unit_code"], done=r["done"], fevers=r["fevers"])
            for r in rows
            if r["day"] in wanted
        ],
        batch_size=2000,
    )


def checkin_days(start: date, end: date) -> QuerySet[CheckinDay]:
    """The check-in roll-up rows of the closed days start..end, made valid first."""
    ensure(start, end, source=CHECKINS)
    return CheckinDay.objects.filter(day__gte=start, day__lte=end)


_COMPUTE: dict[str, Callable[[list[date]], None]] = {
    SOURCE: _compute,
    CHECKINS: _compute_checkins,
}


def closed_days(start: date, end: date) -> QuerySet[CheckpointDay]:
    """The roll-up rows of the closed days start..end, made valid first."""
    ensure(start, end)
    return CheckpointDay.objects.filter(day__gte=start, day__lte=end)


def live_rows(
    model: type[VehiclePassage] | type[PassengerCheck], start: date, end: date
) -> QuerySet[Any]:
    """The facts of the open days start..end (counted over their own rows)."""
    return model.objects.filter(
        occurred_at__gte=midnight(start), occurred_at__lt=midnight(end + timedelta(days=1))
    )


def rebuild(start: date, end: date) -> int:
    """Recompute the closed days start..end whatever their stamps (after a bulk load that
    bypassed the signals). Returns the number of days recomputed."""
    closed, _live = split(start, end)
    if closed is None:
        return 0
    days = [closed[0] + timedelta(days=i) for i in range((closed[1] - closed[0]).days + 1)]
    for source in _COMPUTE:
        days_touched(days, source=source)
        ensure(*closed, source=source)
    return len(days)


# How each table names a grouping of the roll-up (occupants have their passage's shift).
_FACT_FIELDS = {
    VehiclePassage: {"unit_code": "unit_code", "shift_id": "shift_id"},
    PassengerCheck: {"unit_code": "unit_code", "shift_id": "passage__shift_id"},
}


def _grouped(
    start: date, end: date, narrow: Narrow, by: tuple[str, ...]
) -> dict[tuple[Any, ...], dict[str, int]]:
    """The seven counts of the facts of start..end per value of `by` (of "day", "unit_code",
    "shift_id"), over the facts themselves: one grouped query per table."""
    result: dict[tuple[Any, ...], dict[str, int]] = {}
    tables = ((VehiclePassage, vehicle_counts()), (PassengerCheck, person_counts()))
    for model, counts in tables:
        names = {"day": "_day", **_FACT_FIELDS[model]}
        rows = (
            narrow(live_rows(model, start, end))
            .annotate(_day=LocalDate("occurred_at", start=start, end=end))
            .values(*(names[b] for b in by))
            .annotate(**counts)
            .order_by()
        )
        for row in rows:
            key = tuple(row[names[b]] for b in by)
            target = result.setdefault(key, dict.fromkeys(COUNTS, 0))
            target.update({c: row[c] for c in counts})
    return result


def counts_by(
    start: date, end: date, narrow: Narrow, by: tuple[str, ...] = ("day", "unit_code")
) -> dict[tuple[Any, ...], dict[str, int]]:
    """The seven counts per value of `by` (of "day", "unit_code", "shift_id") over
    [start, end]: the closed days from the roll-up, the open ones over their own rows.
    `narrow` restricts a queryset (of the roll-up or of the facts; both have `unit_code`) to
    the unit and the user's jurisdiction. One to three queries (a few more the first time a
    day is read)."""
    result: dict[tuple[Any, ...], dict[str, int]] = {}
    closed, live = split(start, end)
    if closed is not None:
        rows = (
            narrow(closed_days(*closed))
            .values(*by)
            .annotate(**{c: Sum(c) for c in COUNTS})
            .order_by()
        )
        for row in rows:
            result[tuple(row[b] for b in by)] = {c: int(row[c] or 0) for c in COUNTS}
    if live is not None:
        for key, values in _grouped(*live, narrow, by).items():
            target = result.setdefault(key, dict.fromkeys(COUNTS, 0))
            for c in COUNTS:
                target[c] += values[c]
    return result
