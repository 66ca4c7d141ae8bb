"""Reads shared by gatherings and disinfection: units in scope and roll-up buckets."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.orgs.models import Kind, Level, OrgUnit

MAX_PERIOD_DAYS = 31


def unit_in_scope(*, user: Any, code: str, capability: Capability) -> OrgUnit:
    """The unit `code` if the user holds `capability` over it; Http404 otherwise."""
    return get_scoped_or_404(user, OrgUnit.objects.select_related("parent"), capability, code=code)


def filter_units(*, user: Any, capability: Capability) -> QuerySet[OrgUnit]:
    """Units offered as a list filter: the territorial tree (down to villages) in scope, and
    the attached units (departments…) that may be responsible for sites."""
    return scoped(
        user,
        OrgUnit.objects.filter(is_active=True).exclude(level=Level.GRID),
        capability,
        field="code",
    ).order_by("code")


def unit_children(*, user: Any, unit: OrgUnit, capability: Capability) -> list[OrgUnit]:
    """The unit's direct children in scope: the rows of a roll-up table."""
    return list(
        scoped(user, OrgUnit.objects.filter(parent=unit, is_active=True), capability, field="code")
        .exclude(kind=Kind.PARTY_BRANCH)
        .order_by("kind", "code")
    )


class Buckets:
    """Which child of `unit` a unit code falls under, in Python, for grouped rows.

    Codes that fall under no child (rows filed on the unit itself) go to the unit's own bucket.
    """

    def __init__(self, unit: OrgUnit, children: list[OrgUnit]) -> None:
        self.unit = unit
        self.children = children
        self._by_length: dict[int, dict[str, str]] = {}
        for child in children:
            self._by_length.setdefault(len(child.scope_prefix), {})[child.scope_prefix] = child.code
        self._lengths = sorted(self._by_length, reverse=True)

    def of(self, code: str) -> str:
        for length in self._lengths:
            child = self._by_length[length].get(code[:length])
            if child is not None:
                return child
        return self.unit.code

    @property
    def units(self) -> list[OrgUnit]:
        """The rows in order: the children, then the unit itself (its own records)."""
        return [*self.children, self.unit]


def period_days(date_from: date, date_to: date) -> list[date]:
    """The days of a period, at most MAX_PERIOD_DAYS, ending at `date_to`."""
    if date_to < date_from:
        return []
    span = min((date_to - date_from).days, MAX_PERIOD_DAYS - 1)
    start = date_to - timedelta(days=span)
    return [start + timedelta(days=i) for i in range(span + 1)]


def today_of(now: datetime | None) -> date:
    return timezone.localdate(now if now is not None else timezone.now())


def unit_or_none(*, user: Any, code: str, capability: Capability) -> OrgUnit | None:
    """The active unit `code` if the user holds `capability` over it, else None (for writes,
    which answer with a field error rather than a 404)."""
    return (
        scoped(user, OrgUnit.objects.filter(code=code, is_active=True), capability, field="code")
        .select_related("parent")
        .first()
    )


def site_units(*, user: Any) -> list[OrgUnit]:
    """Units where the user may set up sites (not the city itself: sites are local)."""
    qs = OrgUnit.objects.filter(is_active=True).exclude(level=Level.CITY)
    return list(scoped(user, qs, Capability.MANAGE_SITES, field="code").order_by("code"))


def responsible_units(*, user: Any) -> list[OrgUnit]:
    """Units that may carry a site as a duty: departments and other attached units, townships
    and counties in the user's view (a village answers for its own sites itself)."""
    qs = OrgUnit.objects.filter(is_active=True).exclude(kind=Kind.PARTY_BRANCH)
    qs = qs.exclude(kind=Kind.TERRITORIAL, level__in=(Level.VILLAGE, Level.GRID))
    return list(scoped(user, qs, Capability.VIEW_UNITS, field="code").order_by("code"))
