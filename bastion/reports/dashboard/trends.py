"""Daily series over the epidemic period for the dashboard's charts (趋势).

Each series is one grouped query over the facts under the unit: by the fact's own day column
(`CheckIn.day`) or by the local (Asia/Shanghai) date of its timestamp (`core.days.LocalDate`). Days
without a fact are filled with 0 here: a zero is a real zero, never a gap in the line.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bastion.core.days import LocalDate
from bastion.observation.models import Observation
from bastion.orgs.models import OrgUnit
from bastion.reports import rollups
from bastion.reports.catalogue import FIGURES
from bastion.reports.dashboard.common import days_between, midnight, under
from bastion.screening.models import Signal

# The period shown when nothing happened yet, and the longest one a chart draws.
MIN_PERIOD_DAYS = 14
MAX_PERIOD_DAYS = 120


@dataclass
class Series:
    key: str
    label: str
    values: list[int]

    @property
    def total(self) -> int:
        return sum(self.values)

    @property
    def last(self) -> int:
        return self.values[-1] if self.values else 0


@dataclass
class Trends:
    days: list[date]
    series: dict[str, Series] = field(default_factory=dict)

    def chart(self) -> dict[str, Any]:
        """What the page's JSON block carries to ECharts."""
        return {
            "days": [f"{d:%m-%d}" for d in self.days],
            "series": {k: {"label": s.label, "values": s.values} for k, s in self.series.items()},
        }


def period_start(*, user: Any, unit: OrgUnit, today: date) -> date:
    """The start of the epidemic period in the unit: its first signal or observation (two
    aggregate queries), at most MAX_PERIOD_DAYS ago and at least MIN_PERIOD_DAYS ago."""
    first_found = under(user, Signal.objects.all(), unit).aggregate(d=Min("found_at"))["d"]
    first_signal = timezone.localdate(first_found) if first_found is not None else None
    observations = under(user, Observation.objects.all(), unit)
    first_observation = observations.aggregate(d=Min("start_date"))["d"]
    firsts = [d for d in (first_signal, first_observation) if d is not None]
    earliest = today - timedelta(days=MAX_PERIOD_DAYS - 1)
    latest = today - timedelta(days=MIN_PERIOD_DAYS - 1)
    start = min(firsts) if firsts else latest
    return min(max(start, earliest), latest)


def _per_day(qs: QuerySet[Any], field: str, start: date, end: date) -> list[int]:
    """Rows per local day of `field` (a date, or a timestamp taken at its Asia/Shanghai date)
    for every day of [start, end], zeros included: one grouped query. The range is filtered on
    the column itself, so that the (unit_code, time) indexes serve it."""
    if qs.model._meta.get_field(field).get_internal_type() == "DateField":
        in_range = qs.filter(**{f"{field}__gte": start, f"{field}__lte": end})
        day: Any = F(field)
    else:
        in_range = qs.filter(
            **{f"{field}__gte": midnight(start), f"{field}__lt": midnight(end + timedelta(days=1))}
        )
        day = LocalDate(field, start=start, end=end)
    rows = in_range.annotate(_day=day).values("_day").annotate(n=Count("pk")).order_by()
    counts = {r["_day"]: r["n"] for r in rows}
    return [counts.get(d, 0) for d in days_between(start, end)]


def active_per_day(*, user: Any, unit: OrgUnit, days: list[date]) -> list[int]:
    """People under observation at the end of each day (as the situation report counts
    `observation.active`): taken in on or before the day and not ended by its end.
    One query grouped by (start day, end day), then a running sum here."""
    rows = (
        under(user, Observation.objects.all(), unit)
        # Only those that could be active on a day of the period.
        .filter(started_at__lt=midnight(days[-1] + timedelta(days=1)))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=midnight(days[0])))
        .annotate(
            _start=LocalDate("started_at", start=days[0], end=days[-1]),
            _end=LocalDate("ended_at", start=days[0], end=days[-1]),
        )
        .values("_start", "_end")
        .annotate(n=Count("pk"))
        .order_by()
    )
    delta: Counter[date] = Counter()
    before = 0
    for row in rows:
        begin, end, n = row["_start"], row["_end"], row["n"]
        if end is not None and end <= begin:
            continue  # closed on its first day: never active at a day's end
        if end is not None and end <= days[0]:
            continue
        if begin < days[0]:
            before += n
        else:
            delta[begin] += n
        if end is not None and end <= days[-1]:
            delta[end] -= n
    values, running = [], before
    for d in days:
        running += delta.get(d, 0)
        values.append(running)
    return values


# The daily series besides the observations active and the roll-up's: (key, label, facts,
# their day column).
def _event_series() -> list[tuple[str, Any, QuerySet[Any], str]]:
    return [
        ("signals.found", FIGURES["signals.found"].label, Signal.objects.all(), "found_at"),
    ]


def fevers_per_day(*, user: Any, unit: OrgUnit, start: date, end: date) -> list[int]:
    """Fevers among the check-ins no correction superseded, per day: the closed days from the
    check-in roll-up, the open ones over their own rows (decision 0006)."""
    by_day: Counter[date] = Counter()
    closed, live = rollups.split(start, end)
    if closed is not None:
        rows = (
            under(user, rollups.checkin_days(*closed), unit).values("day").annotate(n=Sum("fevers"))
        )
        by_day.update({r["day"]: r["n"] or 0 for r in rows.order_by()})
    if live is not None:
        rows = (
            under(user, rollups.counted_checkins(*live).filter(is_fever=True), unit)
            .values("day")
            .annotate(n=Count("pk"))
            .order_by()
        )
        by_day.update({r["day"]: r["n"] for r in rows})
    return [by_day[d] for d in days_between(start, end)]


# The checkpoint series, read from the daily roll-up (decision 0006): (key, label, count).
CHECKPOINT_SERIES = (
    ("checkpoints.fevers", _("卡点发热"), "fevers"),
    ("checkpoints.vehicles", FIGURES["checkpoints.vehicles"].label, "vehicles"),
    ("checkpoints.persons", FIGURES["checkpoints.persons"].label, "persons"),
)


def checkpoint_per_day(*, user: Any, unit: OrgUnit, start: date, end: date) -> dict[str, list[int]]:
    """Vehicles, persons and fevers at the checkpoints per day of [start, end]: the closed days
    from the daily roll-up, the open ones over their own rows (decision 0006)."""
    counts = rollups.counts_by(start, end, lambda qs: under(user, qs, unit), by=("day",))
    zero = dict.fromkeys(rollups.COUNTS, 0)
    days = days_between(start, end)
    return {
        name: [counts.get((d,), zero)[name] for d in days]
        for _key, _label, name in CHECKPOINT_SERIES
    }


def trends(*, user: Any, unit: OrgUnit, start: date, end: date) -> Trends:
    """The four charts: observations active, fevers, new signals, checkpoint traffic. Six
    grouped queries whatever the number of days or units."""
    days = days_between(start, end)
    result = Trends(days=days)
    active = active_per_day(user=user, unit=unit, days=days)
    label = str(FIGURES["observation.active"].label)
    result.series["observation.active"] = Series("observation.active", label, active)
    fevers = fevers_per_day(user=user, unit=unit, start=start, end=end)
    result.series["observation.fevers"] = Series(
        "observation.fevers", str(_("观察对象发热")), fevers
    )
    for key, name, facts, field_name in _event_series():
        values = _per_day(under(user, facts, unit), field_name, start, end)
        result.series[key] = Series(key=key, label=str(name), values=values)
    checkpoints = checkpoint_per_day(user=user, unit=unit, start=start, end=end)
    for key, name, count in CHECKPOINT_SERIES:
        result.series[key] = Series(key=key, label=str(name), values=checkpoints[count])
    # The charts' order, as before the roll-up.
    order = ("observation.active", "observation.fevers", "checkpoints.fevers", "signals.found")
    result.series = {
        k: result.series[k] for k in (*order, *(k for k in result.series if k not in order))
    }
    return result
