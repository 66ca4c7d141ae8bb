"""Scoped reads of the org tree."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from pypinyin import lazy_pinyin

from bastion.accounts.jurisdiction import active_memberships, get_scoped_or_404, scoped
from bastion.accounts.roles import ROLE_CAPABILITIES, Capability
from bastion.orgs.models import OrgUnit

UNITS = Capability.VIEW_UNITS


def unit_get(*, user: Any, code: str) -> OrgUnit:
    return get_scoped_or_404(user, OrgUnit.objects.select_related("parent"), UNITS, code=code)


def home_unit(*, user: Any, capability: Capability) -> OrgUnit | None:
    """The highest unit where the user holds `capability`: where an area's pages open.

    From the memberships already loaded for scoping: no query of its own.
    """
    units = [
        m.unit
        for m in active_memberships(user)
        if capability in ROLE_CAPABILITIES.get(m.role, frozenset())
    ]
    return min(units, key=lambda u: (u.depth, u.code)) if units else None


def unit_roots(*, user: Any) -> list[OrgUnit]:
    """The top units of the user's jurisdiction: membership units not inside another one."""
    units = {m.unit.code: m.unit for m in active_memberships(user)}.values()
    return [
        u
        for u in units
        if not any(o.code != u.code and u.code.startswith(o.scope_prefix) for o in units)
    ]


def unit_children(*, user: Any, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """Direct children with their own counts of children, persons and households."""
    return (
        scoped(user, OrgUnit.objects.filter(parent=unit, is_active=True), UNITS)
        .select_related("parent")
        .annotate(n_children=Count("children", distinct=True))
        .order_by("kind", "code")
    )


def unit_breadcrumbs(*, user: Any, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors that the user may open, top first, in one query: an ancestor is a
    unit whose scope prefix is a proper prefix of this unit's code."""
    prefixes = [unit.code[:i] for i in range(1, len(unit.code))]
    ancestors = OrgUnit.objects.filter(scope_prefix__in=prefixes).exclude(code=unit.code)
    return list(scoped(user, ancestors, UNITS).order_by("depth", "code"))


def unit_search(*, user: Any, q: str, limit: int = 20) -> QuerySet[OrgUnit]:
    """By code (or code prefix), name, alias, variant spelling or pinyin initials."""
    q = q.strip().lower()
    qs = scoped(user, OrgUnit.objects.filter(is_active=True), UNITS)
    if not q:
        return qs.none()
    if q.isdigit():
        return qs.filter(code__startswith=q).order_by("code")[:limit]
    condition = Q(search_text__contains=q)
    if any("\u4e00" <= ch <= "\u9fff" for ch in q):
        # Variant characters (塅/段) sound the same: match on the pinyin of what was typed.
        condition |= Q(search_text__contains="".join(lazy_pinyin(q)))
    return qs.filter(condition).order_by("depth", "code")[:limit]


def counts_by_child(
    *,
    user: Any,
    queryset: QuerySet[Any],
    unit: OrgUnit,
    children: list[OrgUnit],
    capability: Capability,
) -> dict[str, int]:
    """How many rows of `queryset` (a model that carries a unit code) fall under each child.

    One grouped query per distinct prefix length among the children (normally one), never
    one query per child.
    """
    field = queryset.model.scope_field
    counts: dict[str, int] = {c.code: 0 for c in children}
    by_length: dict[int, dict[str, str]] = {}
    for c in children:
        by_length.setdefault(len(c.scope_prefix), {})[c.scope_prefix] = c.code
    under_unit = queryset.filter(**{f"{field}__startswith": unit.scope_prefix})
    for length, prefix_to_code in by_length.items():
        rows = (
            scoped(user, under_unit, capability)
            .annotate(_prefix=Substr(field, 1, length))
            .values("_prefix")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            code = prefix_to_code.get(row["_prefix"])
            if code:
                counts[code] += row["n"]
    return counts
