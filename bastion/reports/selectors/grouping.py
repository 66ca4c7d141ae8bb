"""Roll-ups by code prefix: the facts of a unit's subtree, per direct child, in one grouped
query per distinct child prefix length (normally one), never one query per unit.

A child's facts are the rows whose unit code starts with the child's scope prefix (a grid's
code extends its village's, so a grid's facts roll up into its village; decision 0003). Rows
filed on the unit itself, or on an attached unit that is not a child, count only in the unit's
own total; `DIRECT` collects them so that nothing is silently dropped.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Substr

from bastion.core.days import day_bounds
from bastion.orgs.models import Kind, OrgUnit

OWN = "__own__"
DIRECT = "__direct__"


def report_children(unit: OrgUnit) -> list[OrgUnit]:
    """The rows of the report: the unit's active direct children, territorial ones first.
    Party organisations are left out: they have no facts of their own."""
    children = OrgUnit.objects.filter(parent=unit, is_active=True).exclude(kind=Kind.PARTY_BRANCH)
    return sorted(children, key=lambda c: (c.kind != Kind.TERRITORIAL, c.code))


@dataclass
class Context:
    """What every section needs: the unit, its children, the days and their bounds."""

    unit: OrgUnit
    children: list[OrgUnit]
    start: date
    end: date
    # The figures the caller reads (None: all). A section may skip the work of figures nobody
    # reads; they are None then.
    figures: frozenset[str] | None = None

    def wants(self, *keys: str) -> bool:
        return self.figures is None or any(k in self.figures for k in keys)

    def __post_init__(self) -> None:
        self.since, self.until = day_bounds(self.start, self.end)
        self._by_length: dict[int, dict[str, str]] = {}
        for child in self.children:
            self._by_length.setdefault(len(child.scope_prefix), {})[child.scope_prefix] = child.code

    @property
    def keys(self) -> list[str]:
        return [OWN, DIRECT, *(c.code for c in self.children)]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def child_of(self, code: str) -> str:
        for length, prefixes in self._by_length.items():
            child = prefixes.get(code[:length])
            if child is not None:
                return child
        return DIRECT

    def grouped(
        self,
        qs: QuerySet[Any],
        *,
        field: str = "unit_code",
        by: Sequence[str] = (),
        per_code: bool = False,
        **aggregates: Any,
    ) -> dict[str, list[dict[str, Any]]]:
        """The aggregates of `qs` inside the unit, per row key (OWN, DIRECT, child codes), as
        lists of rows (one per value of the `by` fields). One query per prefix length.

        `per_code`: one query grouped by the code itself, added up per row key here, for
        additive aggregates without `by`. A count of a large table (`Count("*")`) is then read
        from its code index alone, in code order, with no prefix computed per row (the city's
        households at tier M: 39 → 22 ms)."""
        under = qs.filter(**{f"{field}__startswith": self.unit.scope_prefix})
        if per_code and not by and self._by_length:
            return self._per_code(under, field, aggregates)
        result: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if not self._by_length:
            if by:
                result[OWN] = list(under.values(*by).annotate(**aggregates).order_by())
            else:
                result[OWN] = [under.aggregate(**aggregates)]
            result[DIRECT] = list(result[OWN])
            return result
        for index, (length, prefixes) in enumerate(self._by_length.items()):
            rows = (
                under.annotate(_prefix=Substr(field, 1, length))
                .values("_prefix", *by)
                .annotate(**aggregates)
                .order_by()
            )
            for row in rows:
                prefix = row.pop("_prefix")
                child = prefixes.get(prefix)
                if child is not None:
                    result[child].append(row)
                if index == 0:
                    # Every row of the subtree is in exactly one bucket of one length: the
                    # first length's buckets give the own total.
                    result[OWN].append(row)
        result[DIRECT] = self._direct_rows(result, by, aggregates)
        return result

    def _per_code(
        self, under: QuerySet[Any], field: str, aggregates: Any
    ) -> dict[str, list[dict[str, Any]]]:
        totals: dict[str, dict[str, Any]] = {}
        for row in under.values(field).annotate(**aggregates).order_by():
            code = row.pop(field)
            for key in (OWN, self.child_of(code)):
                target = totals.setdefault(key, dict.fromkeys(aggregates, 0))
                for name in aggregates:
                    target[name] += row[name] or 0
        result: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for key, values in totals.items():
            result[key].append(values)
        return result

    def _direct_rows(
        self, result: dict[str, list[dict[str, Any]]], by: Sequence[str], aggregates: Any
    ) -> list[dict[str, Any]]:
        """Own minus the children, for the additive aggregates (the facts of the unit itself)."""
        totals: dict[tuple[Any, ...], dict[str, Any]] = {}
        for key, sign in [(OWN, 1), *((c.code, -1) for c in self.children)]:
            for row in result.get(key, []):
                group = tuple(row.get(b) for b in by)
                target = totals.setdefault(group, {**{b: row.get(b) for b in by}})
                for name in aggregates:
                    target[name] = (target.get(name) or 0) + sign * (row.get(name) or 0)
        return list(totals.values())

    def raw(
        self, qs: QuerySet[Any], *fields: str, field: str = "unit_code"
    ) -> dict[str, list[tuple[Any, ...]]]:
        """The rows themselves (for medians and worst cases), per row key: one query."""
        under = qs.filter(**{f"{field}__startswith": self.unit.scope_prefix})
        result: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in under.values_list(field, *fields).order_by():
            values = tuple(row[1:])
            result[OWN].append(values)
            result[self.child_of(row[0])].append(values)
        return result


def totals(rows: list[dict[str, Any]], *names: str) -> dict[str, Any]:
    """Sum the aggregate columns `names` over rows (None counts as 0)."""
    return {n: sum((r.get(n) or 0) for r in rows) for n in names}
