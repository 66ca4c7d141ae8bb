"""The facts behind each section of the daily report, one function per section.

Each returns, for every row key of the context (OWN, DIRECT and each child code), the
section's figures. Counts of events are "in the range" (local days start..end inclusive);
states (active observations, stock on hand, open signals) are "at the end of the range".
"""

import statistics
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from bastion.checkpoints.models import Decision, Disposition, PassengerCheck, VehiclePassage
from bastion.community.models import DisinfectionRun, Gathering, GatheringOutcome, Site
from bastion.core.kept import kept
from bastion.mobilisation.models import Assignment, Member, WorkLog
from bastion.observation import slots as slot_rules
from bastion.observation.models import (
    Alert,
    AlertKind,
    Case,
    Observation,
    ObservationKind,
    ObservationStatus,
    Policy,
    VisitOutcome,
)
from bastion.orgs.models import Kind, Level, OrgUnit, RiskState
from bastion.people.models import Household
from bastion.people.selectors import REGISTRY_COUNTS_SECONDS
from bastion.reports import rollups
from bastion.reports.selectors.grouping import DIRECT, Context, totals
from bastion.screening.models import (
    CLOSED_STATUSES,
    DONE_RESULTS,
    HouseholdVisit,
    Signal,
    SignalStatus,
    Sweep,
    VisitResult,
)
from bastion.supplies.models import Category, Donation, MovementKind, StockMovement

Value = int | float | None
Rows = dict[str, dict[str, Value]]
BURN_WINDOW_DAYS = 7  # as the supplies app computes its burn rate


def _number(value: Any) -> int | float:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value or 0


def _additive(ctx: Context, grouped: dict[str, list[dict[str, Any]]], prefix: str) -> Rows:
    """Sum every aggregate of `grouped` per row key, named '<prefix>.<aggregate>'."""
    out: Rows = {}
    for key in ctx.keys:
        rows = grouped.get(key, [])
        names = {n for r in rows for n in r}
        out[key] = {f"{prefix}.{n}": _number(v) for n, v in totals(rows, *names).items()}
    return out


def _merge(*parts: Rows) -> Rows:
    merged: Rows = {}
    for part in parts:
        for key, values in part.items():
            merged.setdefault(key, {}).update(values)
    return merged


def _added(*parts: Rows) -> Rows:
    """Figure by figure sums of additive parts (a range read partly from a roll-up)."""
    added: Rows = {}
    for part in parts:
        for key, values in part.items():
            target = added.setdefault(key, {})
            for name, value in values.items():
                target[name] = (target.get(name) or 0) + (value or 0)
    return added


def _percent(part: Value, whole: Value) -> float | None:
    if not whole:
        return None
    return round(100 * float(part or 0) / float(whole), 1)


def _hours(seconds: list[float], pick: Callable[[list[float]], float]) -> float | None:
    return round(pick(seconds) / 3600, 1) if seconds else None


def _zeros(ctx: Context, rows: Rows, *keys: str) -> Rows:
    """A zero is a real zero: every row has every figure of the section."""
    for key in ctx.keys:
        values = rows.setdefault(key, {})
        for figure in keys:
            values.setdefault(figure, 0)
    return rows


def signals(ctx: Context) -> Rows:
    a, b = ctx.since, ctx.until
    handled = Q(handled_at__gte=a, handled_at__lt=b, status__in=CLOSED_STATUSES)
    grouped = ctx.grouped(
        Signal.objects.filter(found_at__lt=b),
        found=Count("pk", filter=Q(found_at__gte=a)),
        handled=Count("pk", filter=handled),
        to_observation=Count("pk", filter=handled & Q(status=SignalStatus.UNDER_OBSERVATION)),
        open=Count("pk", filter=Q(handled_at__isnull=True) | Q(handled_at__gte=b)),
    )
    names = ("found", "handled", "to_observation", "open")
    rows = _zeros(ctx, _additive(ctx, grouped, "signals"), *(f"signals.{n}" for n in names))
    durations = ctx.raw(
        Signal.objects.filter(handled, handling_seconds__isnull=False), "handling_seconds"
    )
    for key in ctx.keys:
        seconds = [float(r[0]) for r in durations.get(key, [])]
        rows[key]["signals.handling_median"] = _hours(seconds, statistics.median)
    return rows


def _households(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    """The households under each row of the report (coverage's denominator), at most a few
    minutes old, as the unit page keeps the same count (`people.selectors.registry_counts`):
    a count of the whole registry (the city's 333,000 households: 20 ms of the report at tier
    M) that no reader needs to the second, and that no date of the report changes."""
    return kept(
        "reports:households",
        (ctx.unit.code, ctx.keys),
        REGISTRY_COUNTS_SECONDS,
        lambda: dict(ctx.grouped(Household.objects.all(), per_code=True, households=Count("*"))),
    )


def screening(ctx: Context) -> Rows:
    a, b = ctx.since, ctx.until
    overlapping = Q(sweep__starts_on__lte=ctx.end, sweep__ends_on__gte=ctx.start)
    rows = _merge(
        _additive(
            ctx,
            ctx.grouped(
                Sweep.objects.filter(starts_on__lte=ctx.end, ends_on__gte=ctx.start),
                sweeps=Count("pk"),
            ),
            "screening",
        ),
        _additive(ctx, _households(ctx), "screening"),
        _additive(
            ctx,
            ctx.grouped(
                HouseholdVisit.objects.filter(visited_at__lt=b).filter(overlapping),
                visits=Count("pk", filter=Q(visited_at__gte=a)),
                not_home=Count("pk", filter=Q(visited_at__gte=a, result=VisitResult.NOT_HOME)),
                refused=Count("pk", filter=Q(visited_at__gte=a, result=VisitResult.REFUSED)),
                # A household counts once however many sweeps or visits found it.
                covered=Count("household_id", distinct=True, filter=Q(result__in=DONE_RESULTS)),
            ),
            "screening",
        ),
    )
    _zeros(ctx, rows, "screening.sweeps", "screening.households", "screening.visits")
    _zeros(ctx, rows, "screening.not_home", "screening.refused", "screening.covered")
    for values in rows.values():
        values["screening.coverage"] = _percent(
            values["screening.covered"], values["screening.households"]
        )
    return rows


def observation(ctx: Context) -> Rows:
    a, b = ctx.since, ctx.until
    active = Q(ended_at__isnull=True) | Q(ended_at__gte=b)
    ended = Q(ended_at__gte=a, ended_at__lt=b)
    kinds = {
        "active_home": ObservationKind.HOME,
        "active_centralised": ObservationKind.CENTRALISED,
        "active_hospital": ObservationKind.HOSPITAL,
    }
    by_kind: dict[str, Any] = {
        name: Count("pk", filter=active & Q(kind=kind)) for name, kind in kinds.items()
    }
    observations = ctx.grouped(
        Observation.objects.filter(started_at__lt=b).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gte=a)
        ),
        new=Count("pk", filter=Q(started_at__gte=a)),
        active=Count("pk", filter=active),
        **by_kind,
        completed=Count("pk", filter=ended & Q(status=ObservationStatus.COMPLETED)),
        referred=Count("pk", filter=ended & Q(status=ObservationStatus.REFERRED)),
        lost=Count("pk", filter=ended & Q(status=ObservationStatus.LOST_TO_FOLLOW_UP)),
    )
    # A superseded check-in (one with a correction) no longer counts. Closed days from the
    # daily roll-up (decision 0006), open days over their own rows.
    closed, live = rollups.split(ctx.start, ctx.end)
    checkins: list[Rows] = []
    if closed is not None:
        rolled = ctx.grouped(
            rollups.checkin_days(*closed), checkins_done=Sum("done"), fevers=Sum("fevers")
        )
        checkins.append(_additive(ctx, rolled, "observation"))
    if live is not None:
        counts = rollups.checkin_counts()
        closed_slot = _slot_closed(*live, limit=min(timezone.now(), ctx.until))
        today = ctx.grouped(
            rollups.counted_checkins(*live),
            checkins_done=Count("pk", filter=Q(outcome=VisitOutcome.COOPERATIVE) & closed_slot),
            fevers=counts["fevers"],
        )
        checkins.append(_additive(ctx, today, "observation"))
    missed = ctx.grouped(
        Alert.objects.filter(kind=AlertKind.MISSED, day__gte=ctx.start, day__lte=ctx.end),
        checkins_missed=Count("pk"),
    )
    rows = _merge(
        _additive(ctx, observations, "observation"),
        _added(*checkins),
        _additive(ctx, missed, "observation"),
    )
    names = ["new", "active", *kinds, "completed", "referred", "lost"]
    names += ["checkins_done", "checkins_missed", "fevers"]
    _zeros(ctx, rows, *(f"observation.{n}" for n in names))
    if not ctx.wants("observation.checkins_due", "observation.checkin_rate"):
        # Nobody reads them (the dashboard's headline): the due slots are the costly part.
        for values in rows.values():
            values["observation.checkins_due"] = None
            values["observation.checkin_rate"] = None
        return rows
    due = _checkins_due(ctx)
    for key, values in rows.items():
        values["observation.checkins_due"] = due.get(key, 0)
        rate = _percent(values["observation.checkins_done"], due.get(key, 0))
        # A late or repeated measurement can outnumber the due slots: never above 100 %.
        values["observation.checkin_rate"] = None if rate is None else min(rate, 100.0)
    return rows


def _slot_closed(start: date, end: date, limit: datetime) -> Q:
    """The check-ins of the days start..end, but those of a slot whose window is still open
    at `limit`.

    One rule for 应测温 and 已测温: a slot counts once its window has closed. `_checkins_due`
    counts the closed slots; the check-ins of a slot still open (this morning's, before noon)
    join 已测温 when it closes, as its 未测温 alerts do. A past day has every slot closed and
    counts all its check-ins (as the roll-up does). The slot is told by its code; only when
    policies close the same code at different times is the observation's policy read too."""
    policies = [(p.pk, slot_rules.policy_slots(p)) for p in Policy.objects.all()]
    terms: list[Q] = []
    for day in (start + timedelta(days=i) for i in range((end - start).days + 1)):
        still_open: dict[int, set[str]] = {
            pk: {s.code for s in slots if slot_rules.window(s, day)[1] > limit}
            for pk, slots in policies
        }
        opened = set().union(*still_open.values())
        closed = {s.code for pk, slots in policies for s in slots if s.code not in still_open[pk]}
        if not opened & closed:
            terms.append(Q(day=day) & ~Q(slot__in=opened) if opened else Q(day=day))
            continue
        terms += [
            Q(day=day, observation__policy_id=pk) & (~Q(slot__in=codes) if codes else Q())
            for pk, codes in still_open.items()
        ]
    condition = terms[0]
    for term in terms[1:]:
        condition |= term
    return condition


def _checkins_due(ctx: Context) -> dict[str, int]:
    """Check-in slots due in the range: every slot of the observation's policy whose window
    closed while the observation was open (after it started, before it ended, before now),
    as the observation app counts them.

    Most observations started before the range and are still open at its limit: their due
    slots depend only on (policy, start date, planned end), so they are counted in a grouped
    query and Python loops over the groups. Those that started or ended inside the range (a
    few thousand a day in a city) depend on their times only through the closing times on
    either side of them; closing times fall on whole minutes (whole hours in the default
    policy), so those times are grouped truncated to that precision, which keeps every
    comparison with a closing time. Full days inside the open period are counted without
    looking at each slot."""
    now = timezone.now()
    limit_default = min(now, ctx.until)
    base = Observation.objects.filter(
        started_at__lt=limit_default,
        start_date__lte=ctx.end,
        planned_end__gte=ctx.start,
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=ctx.since))
    # Started before the range and open through its limit: started_at < every closing time
    # of the range, and the limit is the range's own.
    steady = Q(started_at__lt=ctx.since) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=limit_default)
    )
    shapes = ("policy_id", "start_date", "planned_end")
    groups = ctx.grouped(base.filter(steady), by=shapes, n=Count("pk"))
    slots = {p.pk: slot_rules.policy_slots(p) for p in Policy.objects.all()}
    tz = timezone.get_current_timezone()
    on_the_hour = all(s.closes.minute == 0 for policy in slots.values() for s in policy)
    precision = "hour" if on_the_hour else "minute"
    others = ctx.grouped(
        base.exclude(steady).annotate(
            _from=Trunc("started_at", precision, tzinfo=tz),
            _to=Trunc("ended_at", precision, tzinfo=tz),
        ),
        by=("_from", "_to", *shapes),
        n=Count("pk"),
    )
    closes: dict[tuple[int, date], list[datetime]] = {}
    limit_day = limit_default.astimezone(tz).date()

    def closing_times(policy_id: int, day: date) -> list[datetime]:
        key = (policy_id, day)
        if key not in closes:
            closes[key] = [slot_rules.window(s, day)[1] for s in slots.get(policy_id, [])]
        return closes[key]

    def due_of(
        started_at: datetime,
        ended_at: datetime | None,
        start_date: date,
        planned_end: date,
        policy_id: int,
    ) -> int:
        if ended_at is not None and ended_at < limit_default:
            limit, limit_date = ended_at, ended_at.astimezone(tz).date()
        else:
            limit, limit_date = limit_default, limit_day
        first = max(start_date, ctx.start, started_at.astimezone(tz).date())
        last = min(planned_end, ctx.end, limit_date)
        per_day = len(slots.get(policy_id, ()))
        if last < first or not per_day:
            return 0
        total = sum(1 for c in closing_times(policy_id, first) if started_at < c <= limit)
        if last != first:
            total += sum(1 for c in closing_times(policy_id, last) if started_at < c <= limit)
        return total + max((last - first).days - 1, 0) * per_day

    # Just before the range: earlier than every closing time in it, on the day before.
    before = ctx.since - timedelta(microseconds=1)
    known: dict[tuple[Any, ...], int] = {}
    due: dict[str, int] = {}
    for key in ctx.keys:
        total = 0
        # DIRECT's counts are own minus children (never negative in fact).
        for g in groups.get(key, []):
            shape = (before, None, g["start_date"], g["planned_end"], g["policy_id"])
            if shape not in known:
                known[shape] = due_of(*shape)
            total += int(g["n"] or 0) * known[shape]
        for g in others.get(key, []):
            shape = (g["_from"], g["_to"], g["start_date"], g["planned_end"], g["policy_id"])
            if shape not in known:
                known[shape] = due_of(*shape)
            total += int(g["n"] or 0) * known[shape]
        due[key] = total
    return due


# The four steps between the five early timestamps (早发现→早报告→早隔离→早诊断→早治疗).
LATENCY_STEPS = (
    ("report", "detected_at", "reported_at"),
    ("isolate", "reported_at", "isolated_at"),
    ("diagnose", "isolated_at", "diagnosed_at"),
    ("treat", "diagnosed_at", "treated_at"),
)
_CHAIN = ("detected_at", "reported_at", "isolated_at", "diagnosed_at", "treated_at")


def five_early(ctx: Context) -> Rows:
    a, b = ctx.since, ctx.until
    counts = ctx.grouped(
        Case.objects.filter(referred_at__lt=b),
        referred=Count("pk", filter=Q(referred_at__gte=a)),
        suspected=Count("pk", filter=Q(suspected_at__gte=a, suspected_at__lt=b)),
        confirmed=Count("pk", filter=Q(confirmed_at__gte=a, confirmed_at__lt=b)),
        confirmed_total=Count("pk", filter=Q(confirmed_at__lt=b)),
    )
    rows = _zeros(
        ctx,
        _additive(ctx, counts, "five_early"),
        *(f"five_early.{n}" for n in ("referred", "suspected", "confirmed", "confirmed_total")),
    )
    # Latencies of the cases detected in the range (SQLite has no median aggregate; the rows
    # are the cases of one unit and range, never many).
    chains = ctx.raw(Case.objects.filter(detected_at__gte=a, detected_at__lt=b), *_CHAIN)
    for key in ctx.keys:
        cases = chains.get(key, [])
        for step, start_field, end_field in LATENCY_STEPS:
            i, j = _CHAIN.index(start_field), _CHAIN.index(end_field)
            seconds = [
                (c[j] - c[i]).total_seconds()
                for c in cases
                if c[i] is not None and c[j] is not None
            ]
            rows[key][f"five_early.{step}_median"] = _hours(seconds, statistics.median)
            rows[key][f"five_early.{step}_worst"] = _hours(seconds, max)
    return rows


def checkpoints(ctx: Context) -> Rows:
    """Closed days from the daily roll-up (decision 0006), open days over their own rows."""
    closed, live = rollups.split(ctx.start, ctx.end)
    parts: list[Rows] = []
    if closed is not None:
        rolled = ctx.grouped(
            rollups.closed_days(*closed),
            vehicles=Sum("vehicles"),
            turned_back=Sum("turned_back"),
            persons=Sum("persons"),
            fevers=Sum("fevers"),
            hand_overs=Sum("hand_overs"),
            to_fever_point=Sum("referred"),
        )
        parts.append(_additive(ctx, rolled, "checkpoints"))
    if live is not None:
        vehicles = ctx.grouped(
            rollups.live_rows(VehiclePassage, *live),
            vehicles=Count("pk"),
            turned_back=Count("pk", filter=Q(disposition=Disposition.TURNED_BACK)),
        )
        persons = ctx.grouped(
            rollups.live_rows(PassengerCheck, *live),
            persons=Count("pk"),
            fevers=Count("pk", filter=Q(is_fever=True)),
            hand_overs=Count("pk", filter=Q(decision=Decision.PASS_AND_HAND_OVER)),
            to_fever_point=Count("pk", filter=Q(decision=Decision.REFER_FEVER_POINT)),
        )
        parts += [_additive(ctx, vehicles, "checkpoints"), _additive(ctx, persons, "checkpoints")]
    rows = _added(*parts)
    names = ("vehicles", "persons", "fevers", "hand_overs", "to_fever_point", "turned_back")
    return _zeros(ctx, rows, *(f"checkpoints.{n}" for n in names))


def gatherings(ctx: Context) -> Rows:
    outcomes: dict[str, Any] = {
        o.value: Count("pk", filter=Q(outcome=o.value)) for o in GatheringOutcome
    }
    grouped = ctx.grouped(
        Gathering.objects.filter(planned_date__gte=ctx.start, planned_date__lte=ctx.end),
        reported=Count("pk"),
        pending=Count("pk", filter=Q(outcome="")),
        **outcomes,
    )
    names = ("reported", *outcomes, "pending")
    return _zeros(ctx, _additive(ctx, grouped, "gatherings"), *(f"gatherings.{n}" for n in names))


def disinfection(ctx: Context) -> Rows:
    """Runs due: each active site's runs per day, for each day of the range from the day it
    opened. Runs done: the runs recorded in the range."""
    sites = ctx.grouped(
        Site.objects.filter(is_active=True, active_from__lte=ctx.end),
        by=("active_from",),
        sites=Count("pk"),
        per_day=Sum("runs_per_day"),
    )
    runs = ctx.grouped(
        DisinfectionRun.objects.filter(done_on__gte=ctx.start, done_on__lte=ctx.end),
        done=Count("pk"),
    )
    rows = _zeros(ctx, _additive(ctx, runs, "disinfection"), "disinfection.done")
    for key in ctx.keys:
        due = count = 0
        for row in sites.get(key, []):
            days = (ctx.end - max(ctx.start, row["active_from"])).days + 1
            due += int(row["per_day"] or 0) * max(days, 0)
            count += int(row["sites"] or 0)
        values = rows[key]
        values["disinfection.sites"] = count
        values["disinfection.due"] = due
        values["disinfection.rate"] = _percent(values["disinfection.done"], due)
    return rows


# Key items, by category: stock on hand at the end of the range, days of supply at the burn
# rate of the seven days before it (the supplies app's rule).
KEY_CATEGORIES = {
    Category.MASK: "masks",
    Category.DISINFECTANT: "disinfectant",
    Category.PROTECTIVE: "protective",
    Category.THERMOMETER: "thermometers",
}
WITH_DAYS = ("masks", "disinfectant", "protective")


def supplies(ctx: Context) -> Rows:
    b = ctx.until
    burn = Q(kind=MovementKind.ISSUE, occurred_at__gte=b - timedelta(days=BURN_WINDOW_DAYS))
    issued = Q(kind=MovementKind.ISSUE, occurred_at__gte=ctx.since)
    grouped = ctx.grouped(
        StockMovement.objects.filter(occurred_at__lt=b),
        by=("item__category",),
        on_hand=Sum("delta"),
        burn=Sum("quantity", filter=burn),
        issued=Sum("quantity", filter=issued),
    )
    rows: Rows = {}
    for key in ctx.keys:
        values: dict[str, Value] = {}
        by_category: dict[str, dict[str, int]] = {}
        for row in grouped.get(key, []):
            cat = by_category.setdefault(row["item__category"], {"on_hand": 0, "burn": 0})
            cat["on_hand"] += int(row["on_hand"] or 0)
            cat["burn"] += int(row["burn"] or 0)
            values["supplies.issued"] = int(values.get("supplies.issued") or 0) + int(
                row["issued"] or 0
            )
        values.setdefault("supplies.issued", 0)
        for category, name in KEY_CATEGORIES.items():
            cat = by_category.get(category, {"on_hand": 0, "burn": 0})
            values[f"supplies.{name}"] = cat["on_hand"]
            if name in WITH_DAYS:
                rate = cat["burn"] / BURN_WINDOW_DAYS
                days = round(max(cat["on_hand"], 0) / rate, 1) if rate > 0 else None
                values[f"supplies.{name}_days"] = days
        rows[key] = values
    return rows


def donations(ctx: Context) -> Rows:
    money = ctx.grouped(
        Donation.objects.filter(donated_on__gte=ctx.start, donated_on__lte=ctx.end),
        count=Count("pk"),
        money=Sum("money"),
    )
    goods = ctx.grouped(
        StockMovement.objects.filter(
            donation__isnull=False,
            kind=MovementKind.RECEIPT,
            occurred_at__gte=ctx.since,
            occurred_at__lt=ctx.until,
        ),
        goods=Sum("quantity"),
    )
    rows = _merge(_additive(ctx, money, "donations"), _additive(ctx, goods, "donations"))
    return _zeros(ctx, rows, "donations.count", "donations.money", "donations.goods")


def mobilisation(ctx: Context) -> Rows:
    """On duty: a work log on a day of the range, or an assignment covering one of its days."""
    logged = WorkLog.objects.filter(member=OuterRef("pk"), day__gte=ctx.start, day__lte=ctx.end)
    assigned = Assignment.objects.filter(
        member=OuterRef("pk"), starts_on__lte=ctx.end, ends_on__gte=ctx.start
    )
    on_duty = Q(Exists(logged)) | Q(Exists(assigned))
    members = ctx.grouped(
        # Members as registered now: the register keeps no history of joining dates.
        Member.objects.all(),
        members=Count("pk"),
        party_members=Count("pk", filter=Q(is_party_member=True)),
        on_duty=Count("pk", filter=on_duty),
        party_on_duty=Count("pk", filter=on_duty & Q(is_party_member=True)),
        volunteers_on_duty=Count("pk", filter=on_duty & Q(is_party_member=False)),
    )
    hours = ctx.grouped(
        WorkLog.objects.filter(day__gte=ctx.start, day__lte=ctx.end), hours=Sum("hours")
    )
    rows = _merge(_additive(ctx, members, "mobilisation"), _additive(ctx, hours, "mobilisation"))
    names = ("members", "party_members", "on_duty", "party_on_duty", "volunteers_on_duty", "hours")
    return _zeros(ctx, rows, *(f"mobilisation.{n}" for n in names))


def risk(ctx: Context) -> Rows:
    """The communities (villages) in each risk state now: the state has no history."""
    states: dict[str, Any] = {
        state.value: Count("pk", filter=Q(risk_state=state.value)) for state in RiskState
    }
    grouped = ctx.grouped(
        OrgUnit.objects.filter(level=Level.VILLAGE, kind=Kind.TERRITORIAL, is_active=True),
        field="code",
        **states,
    )
    rows = _additive(ctx, grouped, "risk")
    # A village's own row is itself: its code is not under a child, so DIRECT holds it.
    return _zeros(ctx, rows, *(f"risk.{s.value}" for s in RiskState))


SECTION_FACTS: dict[str, Callable[[Context], Rows]] = {
    "signals": signals,
    "screening": screening,
    "observation": observation,
    "five_early": five_early,
    "checkpoints": checkpoints,
    "gatherings": gatherings,
    "disinfection": disinfection,
    "supplies": supplies,
    "donations": donations,
    "mobilisation": mobilisation,
    "risk": risk,
}

__all__ = ["DIRECT", "SECTION_FACTS", "Rows", "Value"]
