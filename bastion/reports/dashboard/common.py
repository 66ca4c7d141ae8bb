"""Reads shared by the dashboard's parts: the unit and its children, local days, and the one
helper that counts rows per child unit with a grouped query on code prefixes."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.orgs.models import Kind, OrgUnit

VIEW = Capability.VIEW_REPORTS


def unit_get(*, user: Any, code: str) -> OrgUnit:
    """A unit whose dashboard the user may open; Http404 if missing or out of jurisdiction."""
    return get_scoped_or_404(
        user, OrgUnit.objects.select_related("parent"), VIEW, field="code", code=code
    )


def children_of(*, user: Any, unit: OrgUnit) -> list[OrgUnit]:
    """The rows of the ranking: the unit's direct children that the user may see, as the
    situation report has them (territorial ones first, no Party organisations)."""
    children = scoped(
        user,
        OrgUnit.objects.filter(parent=unit, is_active=True).exclude(kind=Kind.PARTY_BRANCH),
        VIEW,
        field="code",
    )
    return sorted(children, key=lambda c: (c.kind != Kind.TERRITORIAL, c.code))


def breadcrumbs(*, user: Any, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors whose dashboard the user may open, top first (one query)."""
    prefixes = [unit.code[:i] for i in range(1, len(unit.code))]
    ancestors = OrgUnit.objects.filter(scope_prefix__in=prefixes).exclude(code=unit.code)
    return list(scoped(user, ancestors, VIEW, field="code").order_by("depth", "code"))


def today_of(now: datetime | None) -> date:
    return timezone.localdate(now if now is not None else timezone.now())


def midnight(day: date) -> datetime:
    """The first instant of a local (Asia/Shanghai) day."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


@dataclass
class Buckets:
    """Which child of `unit` a unit code falls under. Codes under no child (facts filed on the
    unit itself, or on its checkpoints and departments) fall in the unit's own bucket."""

    unit: OrgUnit
    children: list[OrgUnit]

    def __post_init__(self) -> None:
        self.by_length: dict[int, dict[str, str]] = {}
        for child in self.children:
            self.by_length.setdefault(len(child.scope_prefix), {})[child.scope_prefix] = child.code

    def of(self, code: str) -> str:
        for length in sorted(self.by_length, reverse=True):
            child = self.by_length[length].get(code[:length])
            if child is not None:
                return child
        return self.unit.code

    def zeros(self) -> dict[str, int]:
        """A zero for every child and for the unit's own bucket: a zero is a real zero."""
        return {c.code: 0 for c in [*self.children, self.unit]}


def under(user: Any, queryset: QuerySet[Any], unit: OrgUnit, field: str = "unit_code") -> Any:
    """Rows of `queryset` inside `unit`, through the one scoping function."""
    rows = queryset.filter(**{f"{field}__startswith": unit.scope_prefix})
    return scoped(user, rows, VIEW, field=field)


def count_by_child(
    qs: QuerySet[Model], buckets: Buckets, field: str = "unit_code", **aggregates: Any
) -> dict[str, dict[str, int]]:
    """Aggregates of `qs` (already inside the unit) per child, grouped on the code prefix in the
    database: one query per distinct prefix length of the children (normally one), plus one
    for the unit's own facts when it has any child. Never a query per child."""
    result = {code: dict.fromkeys(aggregates, 0) for code in buckets.zeros()}
    seen_in_child: dict[str, int] = dict.fromkeys(aggregates, 0)
    for length in sorted(buckets.by_length):
        rows = (
            qs.annotate(_prefix=Substr(field, 1, length))
            .values("_prefix")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            code = buckets.by_length[length].get(row["_prefix"])
            if code is None:
                continue
            for name in aggregates:
                value = row[name] or 0
                result[code][name] += value
                seen_in_child[name] += value
    total = qs.aggregate(**aggregates)
    for name in aggregates:
        result[buckets.unit.code][name] = (total[name] or 0) - seen_in_child[name]
    return result
