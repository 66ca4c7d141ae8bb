"""Engagement of Party organisations and members (党组织和党员在岗情况), computed from the facts.

Nothing here is typed by anyone: a member is *on duty* in a period when a work log, a volunteer
assignment (任务) or a checkpoint roster entry (卡点排班) of theirs falls in it, or when the
account they sign in with (`Member.account`) recorded a household visit of a sweep (入户排查), a
staff check-in of someone under observation (随访测温; self-reports are the person's own, not
the member's), a disinfection run (消杀) or a supply issue (物资发放) in it. Those facts also give
"where they serve", attributed to the member's unit; an account linked to no member counts for
nobody. Hours and cancelled leave (取消休假) come from the work logs; an organisation is
*engaged* when the unit it leads has a member on duty, or when it is the temporary branch of a
team sent out.

Rows are the unit (its whole subtree) and each direct child, zeros included. Each figure is one
aggregate query for the unit plus one grouped query per prefix length among the children
(grouped on `Substr(code, 1, n)`), never a query per unit.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from bastion.accounts.jurisdiction import scoped
from bastion.accounts.roles import Capability
from bastion.checkpoints.models import Checkpoint, DutyAssignment
from bastion.community.models import DisinfectionRun
from bastion.core.days import day_bounds
from bastion.mobilisation.models import Assignment, Member, Team, TeamMembership, WorkLog
from bastion.observation.models import CheckIn, CheckinSource
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.orgs.selectors import unit_children
from bastion.party.models import VanguardPost
from bastion.screening.models import HouseholdVisit
from bastion.supplies.models import MovementKind, StockMovement

VIEW = Capability.VIEW_PARTY

# The figures of a row, in display order, with their Chinese labels and units.
FIGURES: dict[str, tuple[str, str]] = {
    "orgs": ("党组织", "个"),
    "orgs_engaged": ("投入一线的党组织", "个"),
    "temporary_branches": ("临时党支部", "个"),
    "members": ("登记队员", "人"),
    "party_members": ("党员", "名"),
    "on_duty": ("在岗人员", "人"),
    "party_on_duty": ("在岗党员", "名"),
    "non_party_on_duty": ("在岗群众", "人"),
    "hours": ("工作时长", "小时"),
    "cancelled_leave": ("取消休假", "人"),
    "shifts": ("卡点值守班次", "人次"),
    "assignments": ("志愿服务任务", "项"),
    "visits": ("入户排查走访", "户次"),
    "checkins": ("居家观察随访", "人次"),
    "disinfections": ("消杀作业", "次"),
    "deliveries": ("物资发放", "批次"),
    "team_members": ("外派队员", "人"),
    "posts": ("党员先锋岗", "个"),
    "areas": ("党员责任区", "个"),
}


@dataclass
class EngagementRow:
    code: str
    name: str
    level: str
    values: dict[str, int | Decimal] = field(default_factory=dict)

    def __getitem__(self, key: str) -> int | Decimal:
        return self.values[key]


@dataclass
class Engagement:
    unit: OrgUnit
    start: date
    end: date
    own: EngagementRow
    children: list[EngagementRow]
    duties: list[tuple[str, int]]

    def value(self, key: str, code: str | None = None) -> int | Decimal:
        if code is None:
            return self.own.values[key]
        return next(r for r in self.children if r.code == code).values[key]


def _grouped(
    *,
    user: Any,
    queryset: QuerySet[Any],
    field: str,
    unit: OrgUnit,
    children: list[OrgUnit],
    aggregates: Mapping[str, Any],
) -> dict[str, dict[str, Any]]:
    """Aggregates of `queryset` over the unit and over each child, keyed by unit code."""
    qs = scoped(user, queryset, VIEW, field=field).filter(
        **{f"{field}__startswith": unit.scope_prefix}
    )
    out: dict[str, dict[str, Any]] = {c.code: dict.fromkeys(aggregates, 0) for c in children}
    own = qs.aggregate(**aggregates)
    out[unit.code] = {k: v or 0 for k, v in own.items()}
    by_length: dict[int, dict[str, str]] = {}
    for c in children:
        by_length.setdefault(len(c.scope_prefix), {})[c.scope_prefix] = c.code
    for length, prefix_to_code in by_length.items():
        rows = (
            qs.annotate(_prefix=Substr(field, 1, length))
            .filter(_prefix__in=list(prefix_to_code))
            .values("_prefix")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            out[prefix_to_code[row["_prefix"]]] = {k: row[k] or 0 for k in aggregates}
    return out


# The member's unit, reached from a fact through the account that recorded it.
MEMBER_UNIT = "mobilisation_member__unit_code"


def _account_facts(start: date, end: date) -> dict[str, tuple[QuerySet[Any], str]]:
    """Per figure: the facts recorded by an account in the period, and the account's field."""
    since, until = day_bounds(start, end)
    return {
        "visits": (
            HouseholdVisit.objects.filter(visited_at__gte=since, visited_at__lt=until),
            "visited_by",
        ),
        # Staff check-ins (phone or visit); a self-report is the observed person's own. A
        # corrected reading counts once: the superseded one is left out.
        "checkins": (
            CheckIn.objects.filter(day__gte=start, day__lte=end)
            .exclude(source=CheckinSource.SELF)
            .filter(~Exists(CheckIn.objects.filter(corrects=OuterRef("pk")))),
            "recorded_by",
        ),
        "disinfections": (
            DisinfectionRun.objects.filter(done_on__gte=start, done_on__lte=end),
            "recorded_by",
        ),
        "deliveries": (
            StockMovement.objects.filter(
                kind=MovementKind.ISSUE, occurred_at__gte=since, occurred_at__lt=until
            ),
            "actor",
        ),
    }


def _on_duty(start: date, end: date) -> Q:
    """A member with a work log, an assignment or a roster entry in the period, or whose
    account recorded a visit, a staff check-in, a disinfection run or an issue in it."""
    logged = WorkLog.objects.filter(member=OuterRef("pk"), day__gte=start, day__lte=end)
    assigned = Assignment.objects.filter(
        member=OuterRef("pk"), starts_on__lte=end, ends_on__gte=start
    )
    rostered = DutyAssignment.objects.filter(
        member=OuterRef("pk"), shift__day__gte=start, shift__day__lte=end
    )
    on_duty = Q(Exists(logged)) | Q(Exists(assigned)) | Q(Exists(rostered))
    for facts, account in _account_facts(start, end).values():
        on_duty |= Q(Exists(facts.filter(**{account: OuterRef("account")})))
    return on_duty


def _active_posts(start: date, end: date) -> QuerySet[VanguardPost]:
    return VanguardPost.objects.filter(starts_on__lte=end).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=start)
    )


def engagement(*, user: Any, unit: OrgUnit, start: date, end: date | None = None) -> Engagement:
    """Engagement of the unit and its direct children over [start, end] (inclusive)."""
    end = end or start
    children = list(unit_children(user=user, unit=unit))
    on_duty = _on_duty(start, end)
    args = {"user": user, "unit": unit, "children": children}
    members = _grouped(
        queryset=Member.objects.all(),
        field="unit_code",
        aggregates={
            "members": Count("pk"),
            "party_members": Count("pk", filter=Q(is_party_member=True)),
            "on_duty": Count("pk", filter=on_duty),
            "party_on_duty": Count("pk", filter=on_duty & Q(is_party_member=True)),
        },
        **args,
    )
    logs = _grouped(
        queryset=WorkLog.objects.filter(day__gte=start, day__lte=end),
        field="unit_code",
        aggregates={
            "hours": Sum("hours"),
            "cancelled_leave": Count("member", filter=Q(cancelled_leave=True), distinct=True),
        },
        **args,
    )
    shifts = _grouped(
        queryset=DutyAssignment.objects.filter(
            member__isnull=False, shift__day__gte=start, shift__day__lte=end
        ),
        field="member__unit_code",
        aggregates={"shifts": Count("pk")},
        **args,
    )
    assignments = _grouped(
        queryset=Assignment.objects.filter(starts_on__lte=end, ends_on__gte=start),
        field="unit_code",
        aggregates={"assignments": Count("pk")},
        **args,
    )
    teams = _grouped(
        queryset=TeamMembership.objects.filter(team__created_at__lt=day_bounds(end, end)[1]),
        field="team__unit_code",
        aggregates={"team_members": Count("member", distinct=True)},
        **args,
    )
    engaged_units = Member.objects.filter(on_duty).values("unit_code").order_by().distinct()
    team_branches = Team.objects.filter(party_branch__isnull=False).values("party_branch_id")
    orgs = _grouped(
        queryset=OrgUnit.objects.filter(kind=Kind.PARTY_BRANCH, is_active=True),
        field="code",
        aggregates={
            "orgs": Count("pk"),
            "orgs_engaged": Count(
                "pk",
                filter=Q(parent__code__in=engaged_units) | Q(pk__in=team_branches),
            ),
            "temporary_branches": Count("pk", filter=Q(party_kind="temporary_branch")),
        },
        **args,
    )
    posts = _grouped(
        queryset=_active_posts(start, end),
        field="unit_code",
        aggregates={
            "posts": Count("pk", filter=Q(kind="post")),
            "areas": Count("pk", filter=Q(kind="area")),
        },
        **args,
    )
    served = [
        _grouped(
            queryset=facts.filter(**{f"{account}__mobilisation_member__isnull": False}),
            field=f"{account}__{MEMBER_UNIT}",
            aggregates={key: Count("pk")},
            **args,
        )
        for key, (facts, account) in _account_facts(start, end).items()
    ]
    parts = (members, logs, shifts, assignments, teams, orgs, posts, *served)

    def row(u: OrgUnit) -> EngagementRow:
        values: dict[str, int | Decimal] = {}
        for part in parts:
            values.update(part[u.code])
        values["non_party_on_duty"] = int(values["on_duty"]) - int(values["party_on_duty"])
        values["hours"] = Decimal(values["hours"] or 0)
        return EngagementRow(u.code, u.short_name or u.name, u.level, values)

    duties = list(
        scoped(user, Assignment.objects.all(), VIEW)
        .filter(unit_code__startswith=unit.scope_prefix, starts_on__lte=end, ends_on__gte=start)
        .values_list("duty")
        .annotate(n=Count("pk"))
        .order_by("-n", "duty")[:10]
    )
    return Engagement(unit, start, end, row(unit), [row(c) for c in children], duties)


@dataclass
class CoverageRow:
    code: str
    name: str
    checkpoints: int
    checkpoints_covered: int
    grids: int
    grids_covered: int

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def checkpoint_share(self) -> float | None:
        return self._share(self.checkpoints_covered, self.checkpoints)

    @property
    def grid_share(self) -> float | None:
        return self._share(self.grids_covered, self.grids)


def coverage(*, user: Any, unit: OrgUnit, on: date) -> list[CoverageRow]:
    """Share of checkpoints and grids with a vanguard post or area on `on`: the unit first,
    then each direct child."""
    children = list(unit_children(user=user, unit=unit))
    posts = _active_posts(on, on)
    post_checkpoints = posts.filter(checkpoint__isnull=False).values("checkpoint_id")
    post_shift_checkpoints = posts.filter(shift__isnull=False).values("shift__checkpoint_id")
    args = {"user": user, "unit": unit, "children": children}
    cps = _grouped(
        queryset=Checkpoint.objects.filter(unit__is_active=True),
        field="unit_code",
        aggregates={
            "checkpoints": Count("pk"),
            "checkpoints_covered": Count(
                "pk", filter=Q(pk__in=post_checkpoints) | Q(pk__in=post_shift_checkpoints)
            ),
        },
        **args,
    )
    grids = _grouped(
        queryset=OrgUnit.objects.filter(level=Level.GRID, is_active=True),
        field="code",
        aggregates={
            "grids": Count("pk"),
            "grids_covered": Count("pk", filter=Q(pk__in=posts.values("area_id"))),
        },
        **args,
    )
    return [
        CoverageRow(u.code, u.short_name or u.name, **cps[u.code], **grids[u.code])
        for u in [unit, *children]
    ]


@dataclass
class LeaveCancelled:
    member: Member
    days: int
    hours: Decimal


def leave_cancelled(
    *, user: Any, unit: OrgUnit, start: date, end: date, limit: int = 50
) -> list[LeaveCancelled]:
    """Who cancelled their leave (取消休假) in the period, most hours first. Two queries."""
    rows = list(
        scoped(user, WorkLog.objects.all(), VIEW)
        .filter(
            unit_code__startswith=unit.scope_prefix,
            day__gte=start,
            day__lte=end,
            cancelled_leave=True,
        )
        .values("member_id")
        .annotate(days=Count("pk"), hours=Sum("hours"))
        .order_by("-hours", "member_id")[:limit]
    )
    members = Member.objects.select_related("person", "unit").in_bulk(
        [r["member_id"] for r in rows]
    )
    return [LeaveCancelled(members[r["member_id"]], r["days"], r["hours"]) for r in rows]
