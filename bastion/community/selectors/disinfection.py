"""Scoped reads of disinfection (消毒消杀): sites with today's status, overdue ones first,
runs, and compliance (runs done / runs due) per unit and day.

A site is in a user's jurisdiction as a place (its unit) or as a duty (its responsible unit):
a city department sees the sites it is responsible for across the city. Every read passes
`now` explicitly or takes the current time, so overdue rules can be tested on a fixed clock.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.db.models import Count, Max, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bastion.accounts.jurisdiction import scoped
from bastion.accounts.roles import Capability
from bastion.community.models import DisinfectionRun, Site
from bastion.community.selectors.common import Buckets, unit_in_scope
from bastion.community.services.common import now_or
from bastion.orgs.models import OrgUnit

VIEW = Capability.VIEW_SITES

M = TypeVar("M", bound=Model)


def site_scope(user: Any, queryset: QuerySet[M], capability: Capability = VIEW) -> QuerySet[M]:
    """Rows of sites (or runs) in scope as a place or as a duty of the responsible unit."""
    by_place = scoped(user, queryset, capability, field="unit_code")
    by_duty = scoped(user, queryset, capability, field="responsible_unit_code")
    return by_place | by_duty


def _under(unit: OrgUnit) -> Q:
    prefix = unit.scope_prefix
    return Q(unit_code__startswith=prefix) | Q(responsible_unit_code__startswith=prefix)


def _sites(
    user: Any, unit_code: str | None, kind: str | None, include_inactive: bool = False
) -> QuerySet[Site]:
    qs = site_scope(user, Site.objects.select_related("unit", "responsible_unit"))
    if unit_code:
        qs = qs.filter(_under(unit_in_scope(user=user, code=unit_code, capability=VIEW)))
    if kind:
        qs = qs.filter(kind=kind)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs


def due_on(site: Site, day: date, moment: datetime) -> int:
    """Runs due at `site` on `day`, counted up to `moment` when `day` is its local date."""
    if not site.is_active or site.active_from > day:
        return 0
    local = timezone.localtime(moment)
    if day > local.date():
        return 0
    if day == local.date():
        return site.due_by(local.time())
    return len(site.times)


@dataclass
class SiteStatus:
    """A site as the sites page shows it: today's runs against today's deadlines so far."""

    site: Site
    runs_today: int
    due_now: int
    last_run_at: datetime | None

    @property
    def overdue(self) -> bool:
        return self.runs_today < self.due_now

    @property
    def missing(self) -> int:
        return max(self.due_now - self.runs_today, 0)

    @property
    def next_deadline(self) -> str:
        return self.site.next_deadline(self.runs_today)


def _today_counts(sites: QuerySet[Site], moment: datetime) -> dict[int, tuple[int, datetime]]:
    """{site id: (runs today up to `moment`, latest)} in one grouped query."""
    rows = (
        DisinfectionRun.objects.filter(
            site__in=sites.values("pk"), done_on=timezone.localdate(moment), done_at__lte=moment
        )
        .values("site_id")
        .annotate(n=Count("id"), last=Max("done_at"))
        .order_by()
    )
    return {r["site_id"]: (r["n"], r["last"]) for r in rows}


def site_statuses(
    *,
    user: Any,
    unit_code: str | None = None,
    kind: str | None = None,
    overdue_only: bool = False,
    now: datetime | None = None,
) -> list[SiteStatus]:
    """Active sites in scope with today's status, overdue ones first (今日逾期优先).

    Overdue: fewer runs done today than deadlines passed so far today. Two queries however
    many sites: the sites, and today's runs grouped by site.
    """
    moment = now_or(now)
    sites_qs = _sites(user, unit_code, kind)
    counts = _today_counts(sites_qs, moment)
    today = timezone.localdate(moment)
    statuses = []
    for site in sites_qs:
        n, last = counts.get(site.pk, (0, None))
        statuses.append(
            SiteStatus(
                site=site, runs_today=n, due_now=due_on(site, today, moment), last_run_at=last
            )
        )
    if overdue_only:
        statuses = [s for s in statuses if s.overdue]
    statuses.sort(key=lambda s: (not s.overdue, -s.missing, s.site.unit_code, s.site.name))
    return statuses


def site_get(*, user: Any, site_id: int, capability: Capability = VIEW) -> Site:
    """One site in scope; missing and out of jurisdiction are the same Http404."""
    qs = site_scope(user, Site.objects.select_related("unit", "responsible_unit"), capability)
    site = qs.filter(pk=site_id).first()
    if site is None:
        raise Http404("未找到")
    return site


def site_status(*, site: Site, now: datetime | None = None) -> SiteStatus:
    moment = now_or(now)
    counts = _today_counts(Site.objects.filter(pk=site.pk), moment)
    n, last = counts.get(site.pk, (0, None))
    today = timezone.localdate(moment)
    return SiteStatus(
        site=site, runs_today=n, due_now=due_on(site, today, moment), last_run_at=last
    )


def run_list(
    *,
    user: Any,
    site_id: int | None = None,
    unit_code: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[DisinfectionRun]:
    """Runs in scope, newest first; by site, by unit and by local date."""
    qs = site_scope(user, DisinfectionRun.objects.select_related("site", "site__unit"))
    if site_id is not None:
        qs = qs.filter(site_id=site_id)
    if unit_code:
        qs = qs.filter(_under(unit_in_scope(user=user, code=unit_code, capability=VIEW)))
    if date_from is not None:
        qs = qs.filter(done_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(done_on__lte=date_to)
    return qs.order_by("-done_at", "-id")


def last_run_of(*, user: Any) -> DisinfectionRun | None:
    """The user's latest run, to prefill the next form (agent, concentration, operator)."""
    return DisinfectionRun.objects.filter(recorded_by=user).order_by("-created_at", "-id").first()


def run_export_rows(
    *,
    user: Any,
    unit_code: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Iterator[DisinfectionRun]:
    qs = run_list(user=user, unit_code=unit_code, date_from=date_from, date_to=date_to)
    return qs.order_by("done_at", "id").iterator(chunk_size=500)


@dataclass
class Cell:
    """Runs due and done for some sites on one day. `done` counts at most the runs due at
    each site (extra runs at one site do not make up for another); `runs` counts them all."""

    due: int = 0
    done: int = 0
    runs: int = 0

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None

    def add(self, other: "Cell") -> None:
        self.due += other.due
        self.done += other.done
        self.runs += other.runs


@dataclass
class ComplianceRow:
    unit: OrgUnit
    days: list[date]
    cells: dict[date, Cell] = field(default_factory=dict)
    sites: int = 0
    overdue: int = 0  # today, at `now`

    @property
    def total(self) -> Cell:
        total = Cell()
        for cell in self.cells.values():
            total.add(cell)
        return total

    def cell(self, day: date) -> Cell:
        return self.cells.setdefault(day, Cell())

    @property
    def row(self) -> list[Cell]:
        return [self.cell(d) for d in self.days]


def compliance(
    *,
    user: Any,
    unit: OrgUnit,
    children: list[OrgUnit],
    days: list[date],
    now: datetime | None = None,
) -> tuple[list[ComplianceRow], ComplianceRow]:
    """Compliance per child of `unit` and per day (消杀完成率 = runs done / runs due).

    Two queries: the active sites under the unit (as places or duties) and their runs grouped
    by site and day. Today counts the deadlines passed by `now`; later days are left out.
    """
    moment = now_or(now)
    today = timezone.localdate(moment)
    days = sorted(d for d in days if d <= today)
    buckets = Buckets(unit, children)
    rows = {u.code: ComplianceRow(unit=u, days=days) for u in buckets.units}
    total = ComplianceRow(unit=unit, days=days)
    if not days:
        return [rows[c.code] for c in children], total
    sites_qs = site_scope(user, Site.objects.filter(_under(unit), is_active=True))
    sites = list(sites_qs.only("id", "unit_code", "times", "active_from", "is_active"))
    grouped = (
        DisinfectionRun.objects.filter(
            site__in=sites_qs.values("pk"),
            done_on__gte=days[0],
            done_on__lte=days[-1],
            done_at__lte=moment,
        )
        .values("site_id", "done_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    runs = {(r["site_id"], r["done_on"]): r["n"] for r in grouped}
    for site in sites:
        in_unit = site.unit_code.startswith(unit.scope_prefix)
        row = rows[buckets.of(site.unit_code) if in_unit else unit.code]
        row.sites += 1
        total.sites += 1
        for day in days:
            due = due_on(site, day, moment)
            n = runs.get((site.pk, day), 0)
            cell = Cell(due=due, done=min(n, due), runs=n)
            row.cell(day).add(cell)
            total.cell(day).add(cell)
            if day == today and n < due:
                row.overdue += 1
                total.overdue += 1
    ordered = [rows[u.code] for u in buckets.units]
    if not ordered[-1].sites:
        ordered.pop()
    return ordered, total
