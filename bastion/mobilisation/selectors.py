"""Scoped reads of mobilisation (动员): lists, one row, counts per unit, who worked too long."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from bastion.accounts.jurisdiction import (
    get_scoped_or_404,
    scope_prefixes,
    scoped,
)
from bastion.accounts.models import User
from bastion.accounts.roles import Capability
from bastion.mobilisation.models import (
    Application,
    Assignment,
    Call,
    CallStatus,
    Member,
    Team,
    TeamMembership,
    WorkLog,
)
from bastion.orgs.models import Kind, OrgUnit
from bastion.orgs.selectors import counts_by_child, unit_children
from bastion.people.models import Person

VIEW = Capability.VIEW_MOBILISATION
MANAGE = Capability.MANAGE_MOBILISATION
# Who has worked too long: more than 12 hours on any day, or more than 70 hours in 7 days.
LONG_DAY_HOURS = Decimal(12)
LONG_WEEK_HOURS = Decimal(70)
WINDOW_DAYS = 7


def unit_get(*, user: Any, code: str, capability: Capability = VIEW) -> OrgUnit:
    return get_scoped_or_404(
        user, OrgUnit.objects.filter(is_active=True), capability, field="code", code=code
    )


def member_list(*, user: Any, unit: OrgUnit, capability: Capability = VIEW) -> QuerySet[Member]:
    """Members of the unit and every unit inside it."""
    return scoped(
        user,
        Member.objects.filter(unit_code__startswith=unit.scope_prefix).select_related(
            "person", "unit"
        ),
        capability,
    ).order_by("unit_code", "pk")


def member_get(*, user: Any, member_id: int, capability: Capability = VIEW) -> Member:
    return get_scoped_or_404(
        user, Member.objects.select_related("person", "unit"), capability, pk=member_id
    )


def member_for(*, user: Any, member_id: int | None, capability: Capability = VIEW) -> Member | None:
    """The member if it is inside the user's jurisdiction, else None (for form choices)."""
    if member_id is None:
        return None
    return (
        scoped(user, Member.objects.select_related("person", "unit"), capability)
        .filter(pk=member_id)
        .first()
    )


def person_choices(*, user: Any, unit: OrgUnit, limit: int = 300) -> QuerySet[Person]:
    """Persons of the registry under the unit, to choose a new member from."""
    return scoped(
        user,
        Person.objects.filter(
            unit_code__startswith=unit.scope_prefix, merged_into__isnull=True
        ).select_related("unit"),
        Capability.VIEW_PERSONS,
    ).order_by("unit_code", "name", "pk")[:limit]


def person_for(*, user: Any, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    return (
        scoped(user, Person.objects.filter(merged_into__isnull=True), Capability.VIEW_PERSONS)
        .filter(pk=person_id)
        .first()
    )


def account_choices(*, user: Any, member: Member) -> QuerySet[User]:
    """Accounts the user may link to the member (关联登录账号): active accounts that hold an
    active role in a unit on the member's line of the tree (the member's unit, a unit inside it
    or a unit above it) and inside the user's MANAGE jurisdiction, and that no other member has.

    An account working only elsewhere is never offered, so nobody links a worker of another
    jurisdiction, not even when the mobile numbers match.
    """
    manage = scope_prefixes(user, MANAGE)
    if not manage:
        return User.objects.none()
    code = member.unit_code
    line = Q(memberships__unit__code__startswith=member.unit.scope_prefix) | Q(
        memberships__unit__scope_prefix__in=[code[:n] for n in range(1, len(code) + 1)]
    )
    mine = Q()
    for prefix in manage:
        mine |= Q(memberships__unit__code__startswith=prefix)
    return (
        User.objects.filter(
            line,
            mine,
            Q(mobilisation_member__isnull=True) | Q(mobilisation_member=member),
            is_active=True,
            memberships__is_active=True,
            memberships__unit__is_active=True,
        )
        .distinct()
        .order_by("display_name", "username", "pk")
    )


def account_suggestion(*, user: Any, member: Member) -> User | None:
    """The account whose mobile is the member's own (手机号一致), when it may be linked: a
    suggestion for the officer to confirm, never a link made on its own."""
    mobile = member.person.mobile
    if member.account_id is not None or not mobile:
        return None
    return account_choices(user=user, member=member).filter(mobile=mobile).first()


def _above(prefixes: list[str] | tuple[str, ...]) -> set[str]:
    """Scope prefixes of the territorial units above these (city, county, township)."""
    return {p[:n] for p in prefixes for n in (4, 6, 9) if n < len(p)}


def _visible_calls(user: Any) -> QuerySet[Call]:
    """Calls inside the user's jurisdiction, and the calls posted by the units above it: a call
    is a public need, and the members below are the ones who answer it."""
    inside = scoped(user, Call.objects.all(), VIEW)
    above = _above(scope_prefixes(user, VIEW))
    return Call.objects.filter(
        Q(pk__in=inside.values("pk")) | Q(unit__scope_prefix__in=above, unit__kind=Kind.TERRITORIAL)
    ).select_related("unit")


def call_list(*, user: Any, unit: OrgUnit) -> QuerySet[Call]:
    """Calls posted by the unit, the units inside it and the units above it; open ones first."""
    return (
        _visible_calls(user)
        .filter(
            Q(unit_code__startswith=unit.scope_prefix)
            | Q(unit__scope_prefix__in=_above([unit.scope_prefix]))
        )
        .order_by("-status", "-created_at", "-pk")
    )


def call_get(*, user: Any, call_id: int, capability: Capability = VIEW) -> Call:
    """A call the user sees (VIEW), or one they manage (MANAGE); else 404."""
    if capability == VIEW:
        call = _visible_calls(user).filter(pk=call_id).first()
        if call is None:
            raise Http404("未找到")
        return call
    return get_scoped_or_404(user, Call.objects.select_related("unit"), capability, pk=call_id)


def applications_of(*, user: Any, call: Call | None = None, team: Team | None = None) -> Any:
    qs = Application.objects.select_related("member__person", "member__unit")
    qs = qs.filter(call=call) if call is not None else qs.filter(team=team)
    return scoped(user, qs, VIEW).order_by("status", "created_at", "pk")


def application_get(
    *, user: Any, application_id: int, capability: Capability = VIEW
) -> Application:
    return get_scoped_or_404(
        user,
        Application.objects.select_related("member__person", "call", "team"),
        capability,
        pk=application_id,
    )


def team_list(*, user: Any, unit: OrgUnit) -> QuerySet[Team]:
    return scoped(
        user,
        Team.objects.filter(unit_code__startswith=unit.scope_prefix).select_related(
            "unit", "party_branch", "leader__person"
        ),
        VIEW,
    )


def team_get(*, user: Any, team_id: int) -> Team:
    return get_scoped_or_404(
        user,
        Team.objects.select_related("unit", "party_branch", "leader__person"),
        VIEW,
        pk=team_id,
    )


def team_members(*, team: Team) -> QuerySet[Member]:
    return team.members.select_related("person", "unit").order_by("-is_party_member", "pk")


def open_calls_count(*, user: Any, unit: OrgUnit) -> int:
    return call_list(user=user, unit=unit).filter(status=CallStatus.OPEN).count()


# --- counts -------------------------------------------------------------------------------


@dataclass
class UnitCounts:
    unit: OrgUnit
    members: int
    party_members: int
    on_duty: int
    party_on_duty: int
    volunteers: int
    pledges: int
    teams: int


def _on_duty(on: date) -> QuerySet[Member]:
    logged = WorkLog.objects.filter(member=OuterRef("pk"), day=on)
    assigned = Assignment.objects.filter(member=OuterRef("pk"), starts_on__lte=on, ends_on__gte=on)
    return Member.objects.filter(Exists(logged) | Exists(assigned))


def unit_counts(*, user: Any, unit: OrgUnit, on: date) -> list[UnitCounts]:
    """The counts of the unit (first row) and of each unit directly below it: members, Party
    members, on duty on `on` (a work log that day or an assignment covering it), volunteers
    (non-Party members who applied), pledges, teams. Grouped queries, never one per unit."""
    children = list(unit_children(user=user, unit=unit))
    rows = [unit, *children]
    volunteers = Member.objects.filter(is_party_member=False).filter(
        Exists(Application.objects.filter(member=OuterRef("pk")))
    )
    on_duty = _on_duty(on)
    querysets: dict[str, QuerySet[Any]] = {
        "members": Member.objects.all(),
        "party_members": Member.objects.filter(is_party_member=True),
        "on_duty": on_duty,
        "party_on_duty": on_duty.filter(is_party_member=True),
        "volunteers": volunteers,
        "pledges": Application.objects.filter(is_pledge=True),
        "teams": Team.objects.all(),
    }
    counts = {
        key: counts_by_child(user=user, queryset=qs, unit=unit, children=rows, capability=VIEW)
        for key, qs in querysets.items()
    }
    return [UnitCounts(r, **{k: counts[k][r.code] for k in querysets}) for r in rows]


@dataclass
class LongHours:
    member: Member
    total: Decimal
    longest_day: Decimal


def worked_too_long(*, user: Any, unit: OrgUnit, on: date) -> list[LongHours]:
    """Members under the unit with more than 12 hours on a day or 70 hours in the 7 days up to
    `on`, most hours first. Two queries."""
    since = on - timedelta(days=WINDOW_DAYS - 1)
    rows = list(
        scoped(
            user,
            WorkLog.objects.filter(
                unit_code__startswith=unit.scope_prefix, day__gte=since, day__lte=on
            ),
            VIEW,
        )
        .values("member_id")
        .annotate(total=Sum("hours"), longest=Max("hours"))
        .filter(Q(total__gt=LONG_WEEK_HOURS) | Q(longest__gt=LONG_DAY_HOURS))
        .order_by("-total", "member_id")
    )
    members = Member.objects.select_related("person", "unit").in_bulk(
        [r["member_id"] for r in rows]
    )
    return [LongHours(members[r["member_id"]], r["total"], r["longest"]) for r in rows]


def work_logs_of(*, user: Any, member: Member, limit: int = 14) -> QuerySet[WorkLog]:
    return scoped(user, WorkLog.objects.filter(member=member), VIEW).order_by("-day")[:limit]


def team_sizes(*, teams: list[Team]) -> dict[int, int]:
    """Members per team, one grouped query."""
    rows = (
        TeamMembership.objects.filter(team__in=teams)
        .values("team_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["team_id"]: r["n"] for r in rows}


def assignment_list(*, user: Any, unit: OrgUnit, on: date | None = None) -> QuerySet[Assignment]:
    """Duties of the members of a unit and the units inside it; with `on`, those that day."""
    rows = scoped(
        user,
        Assignment.objects.filter(unit_code__startswith=unit.scope_prefix).select_related(
            "member__person"
        ),
        VIEW,
    )
    if on is not None:
        rows = rows.filter(starts_on__lte=on, ends_on__gte=on)
    return rows.order_by("-starts_on", "-pk")
