"""The pages' numbers: the grid worker's today screen, the unit pages' counts per child unit
(grouped queries, never one per unit), the missed-days buckets and the five-early latencies."""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from bastion.accounts.jurisdiction import scoped
from bastion.accounts.roles import Capability
from bastion.core.days import day_bounds, midnight
from bastion.observation import slots as slot_rules
from bastion.observation.models import (
    UNRESOLVED,
    Alert,
    AlertKind,
    CareVisit,
    CareVisitStatus,
    Case,
    CheckIn,
    Observation,
    ObservationStatus,
    VisitOutcome,
)
from bastion.observation.selectors.alerts import alert_list
from bastion.observation.selectors.policy import policy_for, policy_get
from bastion.orgs.models import OrgUnit

VIEW = Capability.VIEW_OBSERVATIONS
TODAY_LIMIT = 500
# Each list of the today screen shows this many people; the counts are of all of them. A
# grid worker has a few dozen; a township officer's hundreds are for the unit page, and
# rendering them all made the screen 200 ms on the server and a long scroll on a phone.
TODAY_SHOWN = 100
BUCKETS = ("1", "2", "3", ">3")


@dataclass
class DueItem:
    observation: Observation
    slots: list[str]


@dataclass
class Today:
    # The people listed (at most TODAY_SHOWN per list) and how many there are in all.
    due: list[DueItem] = field(default_factory=list)
    missed: list[DueItem] = field(default_factory=list)
    due_total: int = 0
    missed_total: int = 0
    alerts: list[Alert] = field(default_factory=list)
    care_visits: list[CareVisit] = field(default_factory=list)
    active: int = 0
    done: int = 0
    # More active observations in scope than the screen reads (TODAY_LIMIT).
    capped: bool = False

    @property
    def due_hidden(self) -> int:
        return self.due_total - len(self.due)

    @property
    def missed_hidden(self) -> int:
        return self.missed_total - len(self.missed)


# What the screen needs of each active observation to find its due and missed slots. The
# whole rows (with the person and the unit) are read for the people it lists only: a county
# officer's 500 observations as model instances with four related rows each were 2,000
# objects built for a screen that lists 200 (issue 8).
_SLOT_FIELDS = ("pk", "start_date", "planned_end", "started_at", "policy_id", "grid_worker_id")


def _open_slots(
    row: dict[str, Any], done: set[tuple[int, date, str]], now: datetime, yesterday: date
) -> tuple[list[str], list[str]]:
    """The observation's slots of yesterday and today with no check-in: (open now, closed)."""
    slots = slot_rules.policy_slots(policy_get(row["policy_id"]))
    due, missed = [], []
    for day in (yesterday, yesterday + timedelta(days=1)):
        if not row["start_date"] <= day <= row["planned_end"]:
            continue
        for slot in slots:
            if (row["pk"], day, slot.code) in done:
                continue
            opens, closes = slot_rules.window(slot, day)
            if closes <= row["started_at"]:
                continue
            if opens <= now < closes:
                due.append(slot.label)
            elif closes <= now:
                missed.append(("昨" if day == yesterday else "今") + slot.label)
    return due, missed


def worker_today(*, user: Any, now: datetime | None = None) -> Today:
    """What the grid worker must do now (今日工作), in five queries: who is due in the slot
    open now, who missed a slot today or yesterday (and the rows of those listed), the
    unresolved alerts, the care visits due. The worker's own observations come first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    yesterday = today - timedelta(days=1)
    active = scoped(
        user,
        Observation.objects.filter(status=ObservationStatus.ACTIVE, start_date__lte=today),
        Capability.RECORD_CHECKINS,
    )
    rows = list(
        active.order_by("unit_code", "person__name", "pk").values(*_SLOT_FIELDS)[: TODAY_LIMIT + 1]
    )
    capped = len(rows) > TODAY_LIMIT
    del rows[TODAY_LIMIT:]
    # Any check-in but an "unavailable" attempt fills its slot (a corrected one, too: its
    # correction is in the same slot).
    done = set(
        CheckIn.objects.filter(
            observation_id__in=[r["pk"] for r in rows], day__in=[yesterday, today]
        )
        .exclude(outcome=VisitOutcome.UNAVAILABLE)
        .values_list("observation_id", "day", "slot")
    )
    result = Today(active=len(rows), capped=capped)
    due: list[tuple[int, list[str]]] = []
    missed: list[tuple[int, list[str]]] = []
    for row in sorted(rows, key=lambda r: r["grid_worker_id"] != user.pk):
        open_now, closed = _open_slots(row, done, now, yesterday)
        if open_now:
            due.append((row["pk"], open_now))
        if closed:
            missed.append((row["pk"], closed))
        if not open_now and not closed:
            result.done += 1
    due_shown, missed_shown = due[:TODAY_SHOWN], missed[:TODAY_SHOWN]
    listed = {pk for pk, _slots in (*due_shown, *missed_shown)}
    observations = active.filter(pk__in=listed).select_related("person", "unit").in_bulk()
    # One ended or moved away between the two reads is no longer listed (still counted).
    result.due = [DueItem(observations[pk], s) for pk, s in due_shown if pk in observations]
    result.missed = [DueItem(observations[pk], s) for pk, s in missed_shown if pk in observations]
    result.due_total, result.missed_total = len(due), len(missed)
    # Missed check-ins are the "missed" list above; the alerts here need a decision.
    result.alerts = list(alert_list(user=user, unresolved=True).exclude(kind=AlertKind.MISSED)[:50])
    result.care_visits = list(
        scoped(
            user,
            CareVisit.objects.filter(status=CareVisitStatus.SCHEDULED, due_on__lte=today),
            Capability.RECORD_CHECKINS,
        )
        .select_related("observation__person")
        .order_by("due_on", "pk")[:50]
    )
    return result


def bucket_conditions(today: date) -> dict[str, Q]:
    """Days without a check-in (连续未测温天数), as SORMAS counts them: the full days since the
    last check-in (or since the day before the start, for one never seen) up to yesterday.
    Checked in yesterday or today: 0 — not in a bucket."""
    conditions = {}
    for n in (1, 2, 3):
        last_day = today - timedelta(days=n + 1)
        conditions[str(n)] = Q(
            last_checkin_at__gte=midnight(last_day),
            last_checkin_at__lt=midnight(last_day + timedelta(days=1)),
        ) | Q(last_checkin_at__isnull=True, start_date=last_day + timedelta(days=1))
    conditions[">3"] = Q(last_checkin_at__lt=midnight(today - timedelta(days=4))) | Q(
        last_checkin_at__isnull=True, start_date__lt=today - timedelta(days=3)
    )
    return conditions


@dataclass
class UnitCounts:
    active: int = 0
    due_now: int = 0
    fever: int = 0
    open_alerts: int = 0
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))

    @property
    def without_checkin(self) -> int:
        return sum(self.buckets.values())


def _grouped(
    qs: QuerySet[Any], unit: OrgUnit, children: list[OrgUnit], **aggregates: Any
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Aggregates per child unit (by code prefix; one grouped query per distinct prefix
    length, normally one) and for the whole unit (one more query)."""
    under = qs.filter(unit_code__startswith=unit.scope_prefix)
    per_child: dict[str, dict[str, int]] = {c.code: dict.fromkeys(aggregates, 0) for c in children}
    by_length: dict[int, dict[str, str]] = {}
    for child in children:
        by_length.setdefault(len(child.scope_prefix), {})[child.scope_prefix] = child.code
    for length, prefix_to_code in by_length.items():
        rows = (
            under.annotate(_prefix=Substr("unit_code", 1, length))
            .values("_prefix")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            code = prefix_to_code.get(row["_prefix"])
            if code:
                for name in aggregates:
                    per_child[code][name] += row[name] or 0
    total = under.aggregate(**aggregates)
    return per_child, {k: v or 0 for k, v in total.items()}


def unit_counts(
    *, user: Any, unit: OrgUnit, children: list[OrgUnit], now: datetime | None = None
) -> tuple[dict[str, UnitCounts], UnitCounts]:
    """Active observations, due now, open fever alerts, open alerts and the missed-days
    buckets, per child unit and for the unit: six grouped queries whatever the number of
    children."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    active = scoped(user, Observation.objects.filter(status=ObservationStatus.ACTIVE), VIEW)
    obs_aggregates: dict[str, Any] = {"active": Count("pk")}
    for name, condition in bucket_conditions(today).items():
        obs_aggregates["b" + name] = Count("pk", filter=condition)
    obs_children, obs_total = _grouped(active, unit, children, **obs_aggregates)
    alerts = scoped(user, Alert.objects.filter(status__in=UNRESOLVED), VIEW)
    alert_children, alert_total = _grouped(
        alerts,
        unit,
        children,
        open_alerts=Count("pk"),
        fever=Count("pk", filter=Q(kind=AlertKind.FEVER)),
    )
    # The slot open now under the unit's policy: who of the active has not been seen in it.
    seen_children: dict[str, dict[str, int]] = {c.code: {"seen": 0} for c in children}
    seen_total = {"seen": 0}
    policy = policy_for(unit_code=unit.code, on=today)
    open_slot = next(
        (s for s in slot_rules.policy_slots(policy) if slot_rules.is_open_now(s, today, now)),
        None,
    )
    if open_slot is not None:
        seen = scoped(
            user,
            CheckIn.objects.filter(
                day=today, slot=open_slot.code, observation__status=ObservationStatus.ACTIVE
            ).exclude(outcome=VisitOutcome.UNAVAILABLE),
            VIEW,
        )
        seen_children, seen_total = _grouped(
            seen, unit, children, seen=Count("observation_id", distinct=True)
        )

    def counts(obs: dict[str, int], alert: dict[str, int], seen: dict[str, int]) -> UnitCounts:
        return UnitCounts(
            active=obs["active"],
            due_now=max(obs["active"] - seen["seen"], 0) if open_slot is not None else 0,
            fever=alert["fever"],
            open_alerts=alert["open_alerts"],
            buckets={b: obs["b" + b] for b in BUCKETS},
        )

    per_child = {
        c.code: counts(obs_children[c.code], alert_children[c.code], seen_children[c.code])
        for c in children
    }
    return per_child, counts(obs_total, alert_total, seen_total)


LATENCY_STEPS: tuple[tuple[str, str], ...] = (
    ("reported", "发现→报告"),
    ("isolated", "报告→隔离"),
    ("diagnosed", "隔离→诊断"),
    ("treated", "诊断→治疗"),
)
_CHAIN = ("detected_at", "reported_at", "isolated_at", "diagnosed_at", "treated_at")


@dataclass
class LatencyStats:
    """Medians and worst cases of the four steps between the five early timestamps."""

    cases: int = 0
    median: dict[str, timedelta | None] = field(default_factory=dict)
    worst: dict[str, timedelta | None] = field(default_factory=dict)
    measured: dict[str, int] = field(default_factory=dict)


def _stats(rows: Iterable[tuple[Any, ...]]) -> LatencyStats:
    rows = list(rows)
    result = LatencyStats(cases=len(rows))
    for index, (step, _label) in enumerate(LATENCY_STEPS):
        seconds = [
            (row[index + 1] - row[index]).total_seconds()
            for row in rows
            if row[index] is not None and row[index + 1] is not None
        ]
        result.measured[step] = len(seconds)
        result.median[step] = timedelta(seconds=statistics.median(seconds)) if seconds else None
        result.worst[step] = timedelta(seconds=max(seconds)) if seconds else None
    return result


def unit_latencies(
    *,
    user: Any,
    unit: OrgUnit,
    children: list[OrgUnit],
    date_from: date,
    date_to: date,
) -> tuple[dict[str, LatencyStats], LatencyStats]:
    """Five-early latencies (五早时效) of the cases detected in the date range, per child unit
    and for the unit: one query for the timestamps, medians computed here (SQLite has no
    median aggregate; the rows are the cases of one unit and range, never many)."""
    start, end = day_bounds(date_from, date_to)
    rows = list(
        scoped(user, Case.objects.all(), VIEW)
        .filter(
            unit_code__startswith=unit.scope_prefix, detected_at__gte=start, detected_at__lt=end
        )
        .values_list("unit_code", *_CHAIN)
    )
    prefixes = sorted(((c.scope_prefix, c.code) for c in children), key=lambda p: -len(p[0]))
    grouped: dict[str, list[tuple[Any, ...]]] = {c.code: [] for c in children}
    for row in rows:
        code = next((c for p, c in prefixes if row[0].startswith(p)), None)
        if code is not None:
            grouped[code].append(row[1:])
    return (
        {code: _stats(items) for code, items in grouped.items()},
        _stats(row[1:] for row in rows),
    )
