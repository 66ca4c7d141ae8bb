"""Scoped reads of sweeps (排查轮次): coverage per unit and what is left to visit."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from bastion.accounts.jurisdiction import active_memberships, get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.core.days import day_bounds
from bastion.orgs.models import OrgUnit
from bastion.people.models import Household, Person
from bastion.screening.models import (
    DONE_RESULTS,
    HouseholdVisit,
    Sweep,
    VisitMember,
    VisitResult,
)
from bastion.screening.selectors.signals import child_units

VIEW_SCREENING = Capability.VIEW_SCREENING


def _covering(user: Any, capability: Capability) -> Q:
    """Sweeps over a unit that contains one of the user's units (a village worker sees the
    township's sweep): their scope prefix is a leading part of the user's unit code."""
    prefixes = {
        m.unit.code[:i] for m in active_memberships(user) for i in range(2, len(m.unit.code) + 1)
    }
    return Q(scope_prefix__in=prefixes)


def sweep_list(*, user: Any, capability: Capability = VIEW_SCREENING) -> QuerySet[Sweep]:
    """Sweeps inside the user's jurisdiction, and sweeps over a unit containing theirs."""
    inside = scoped(user, Sweep.objects.all(), capability).values("pk")
    return (
        Sweep.objects.filter(Q(pk__in=inside) | _covering(user, capability))
        .select_related("unit")
        .order_by("-starts_on", "-id")
    )


def sweep_get(*, user: Any, sweep_id: int, capability: Capability = VIEW_SCREENING) -> Sweep:
    """One sweep the user may see; missing and out of jurisdiction are the same Http404."""
    sweep = sweep_list(user=user, capability=capability).filter(pk=sweep_id).first()
    if sweep is None:
        raise Http404("未找到")
    return sweep


def sweeps_active(*, user: Any, on: date | None = None) -> list[Sweep]:
    """The sweeps running today that the user can work in."""
    on = on or timezone.localdate()
    return list(sweep_list(user=user).filter(starts_on__lte=on, ends_on__gte=on))


@dataclass
class Coverage:
    """不漏一户: households known in a unit and how far the sweep got with them."""

    unit: OrgUnit
    known: int = 0
    done: int = 0
    not_home: int = 0
    refused: int = 0

    @property
    def to_visit(self) -> int:
        return self.known - self.done

    @property
    def never_visited(self) -> int:
        return self.known - self.done - self.not_home - self.refused

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.known) if self.known else 0

    def add(self, other: "Coverage") -> None:
        self.known += other.known
        self.done += other.done
        self.not_home += other.not_home
        self.refused += other.refused


def _with_states(households: QuerySet[Household], sweep: Sweep) -> Any:
    """Each household's state in the sweep: done, not home (to revisit), refused."""
    visits = HouseholdVisit.objects.filter(sweep=sweep, household=OuterRef("pk"))
    return households.annotate(
        _done=Exists(visits.filter(result__in=DONE_RESULTS)),
        _not_home=Exists(visits.filter(result=VisitResult.NOT_HOME)),
        _refused=Exists(visits.filter(result=VisitResult.REFUSED)),
    )


def sweep_coverage(
    *, user: Any, sweep: Sweep, unit: OrgUnit | None = None
) -> tuple[Coverage, list[Coverage]]:
    """Coverage of `unit` (default: the sweep's unit) in total and per child unit (villages
    of a township, grids of a village), over the households the user may see.

    One grouped query: households by unit code and state, rolled up to the children.
    """
    unit = unit or sweep.unit
    children = child_units(user=user, unit=unit, capability=VIEW_SCREENING)
    households = scoped(
        user,
        Household.objects.filter(unit_code__startswith=unit.scope_prefix).filter(
            unit_code__startswith=sweep.scope_prefix
        ),
        VIEW_SCREENING,
    )
    rows = (
        _with_states(households, sweep)
        .values("unit_code", "_done", "_not_home", "_refused")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_child = {c.scope_prefix: Coverage(unit=c) for c in children}
    direct = Coverage(unit=unit)
    total = Coverage(unit=unit)
    for row in rows:
        part = Coverage(unit=unit, known=row["n"])
        if row["_done"]:
            part.done = row["n"]
        elif row["_refused"]:
            part.refused = row["n"]
        elif row["_not_home"]:
            part.not_home = row["n"]
        target = next((c for p, c in per_child.items() if row["unit_code"].startswith(p)), direct)
        target.add(part)
        total.add(part)
    result = list(per_child.values())
    if direct.known and unit not in children:
        result.append(direct)
    return total, result


@dataclass
class TodoItem:
    household: Household
    last_result: str | None
    last_visited_at: Any


def sweep_todo(
    *,
    user: Any,
    sweep: Sweep,
    unit_code: str | None = None,
    q: str = "",
    limit: int = 200,
) -> list[TodoItem]:
    """What is left (今日待走访): households of the sweep not yet done that the user records
    visits for; never visited first, then the not-home ones to revisit, then refusals."""
    households = scoped(
        user,
        Household.objects.filter(unit_code__startswith=sweep.scope_prefix).select_related("unit"),
        Capability.RECORD_SCREENING,
    )
    if unit_code:
        households = households.filter(unit_code__startswith=unit_code)
    if q.strip():
        households = households.filter(address__contains=q.strip()[:50])
    latest = HouseholdVisit.objects.filter(sweep=sweep, household=OuterRef("pk")).order_by(
        "-visited_at", "-id"
    )
    rows = (
        _with_states(households, sweep)
        .filter(_done=False)
        .annotate(
            _last_result=Subquery(latest.values("result")[:1]),
            _last_at=Subquery(latest.values("visited_at")[:1]),
        )
        .order_by("_refused", "_not_home", "_last_at", "unit_code", "address")[:limit]
    )
    return [
        TodoItem(household=h, last_result=h._last_result, last_visited_at=h._last_at) for h in rows
    ]


def visits_today(*, user: Any, sweep: Sweep, on: date | None = None) -> int:
    """How many visits the user recorded in this sweep today."""
    on = on or timezone.localdate()
    since, until = day_bounds(on, on)
    visits = HouseholdVisit.objects.filter(sweep=sweep, visited_by=user)
    return visits.filter(visited_at__gte=since, visited_at__lt=until).count()


def visit_list(
    *, user: Any, sweep: Sweep, unit_code: str | None = None
) -> QuerySet[HouseholdVisit]:
    qs = scoped(
        user,
        HouseholdVisit.objects.filter(sweep=sweep).select_related("household", "visited_by"),
        VIEW_SCREENING,
    )
    if unit_code:
        qs = qs.filter(unit_code__startswith=unit_code)
    return qs.order_by("-visited_at", "-id")


def sweep_household(*, user: Any, sweep: Sweep, household_id: int) -> Household:
    """A household of the sweep that the user may record a visit for (else Http404)."""
    return get_scoped_or_404(
        user,
        Household.objects.filter(unit_code__startswith=sweep.scope_prefix).select_related("unit"),
        Capability.RECORD_SCREENING,
        pk=household_id,
    )


@dataclass
class KnownMember:
    """A member offered on the next visit: who the last register listed, with the relation
    recorded then ("" for a registry member no visit has listed yet)."""

    person: Person
    relation: str


def household_known_members(*, household: Household) -> list[KnownMember]:
    """Who is known to live in `household` (already read through a scoped selector): the
    latest visit's register, then registry members it did not list. Two queries."""
    latest = (
        HouseholdVisit.objects.filter(household=household, members__isnull=False)
        .order_by("-visited_at", "-id")
        .values("pk")[:1]
    )
    lines = list(
        VisitMember.objects.filter(visit__in=Subquery(latest))
        .select_related("person__merged_into")
        .order_by("id")
    )
    known: list[KnownMember] = []
    seen: set[int] = set()
    for line in lines:
        # A merged person is offered as the person it was merged into.
        person = line.person.merged_into or line.person
        if person.pk not in seen:
            seen.add(person.pk)
            known.append(KnownMember(person, line.relation))
    others = Person.objects.filter(household=household, merged_into__isnull=True).exclude(
        pk__in=seen
    )
    known.extend(KnownMember(p, "") for p in others.order_by("id"))
    return known
