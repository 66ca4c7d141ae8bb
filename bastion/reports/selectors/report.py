"""The daily situation report (日报) of one unit for a day or a range of days.

Computed from the facts, never typed: each section is a few grouped queries over code
prefixes (see grouping), whatever the number of child units.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from bastion.orgs.models import OrgUnit
from bastion.reports.catalogue import FIGURES, SECTIONS, Section
from bastion.reports.selectors.grouping import DIRECT, OWN, Context, report_children
from bastion.reports.selectors.sections import SECTION_FACTS, Value

# Longest range a report covers; longer ranges are refused by the views (422).
MAX_RANGE_DAYS = 366


@dataclass
class ReportRow:
    code: str
    name: str
    level: str
    values: dict[str, Value] = field(default_factory=dict)

    def get(self, key: str) -> Value:
        return self.values.get(key)


@dataclass
class SituationReport:
    unit: OrgUnit
    start: date
    end: date
    sections: list[Section]
    own: ReportRow
    children: list[ReportRow]
    # The facts filed on the unit itself (or on attached units that are not rows), additive
    # figures only; None when there are none, so that the children add up to the total.
    direct: ReportRow | None = None

    def value(self, key: str, code: str | None = None) -> Value:
        if code is None or code == self.unit.code:
            return self.own.values.get(key)
        for row in self.children:
            if row.code == code:
                return row.values.get(key)
        raise KeyError(code)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def rows(self) -> list[ReportRow]:
        """The table rows: the children, then the unit's direct facts when there are any."""
        return [*self.children, *([self.direct] if self.direct else [])]


def situation_report(
    unit: OrgUnit,
    start: date,
    end: date | None = None,
    *,
    sections: Iterable[str] | None = None,
    figures: Iterable[str] | None = None,
) -> SituationReport:
    """The report of `unit` (its whole subtree) for the local days start..end inclusive.

    `sections` (section keys of the catalogue) limits what is computed, for callers that read
    only a few figures: the figures of the other sections are None and `sections` of the report
    lists only those computed. Default: all.

    The caller has scoped `unit` to the user. Raises ValueError for an empty or too long range
    or an unknown section.
    """
    end = end or start
    if end < start:
        raise ValueError("end before start")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ValueError("range too long")
    chosen = SECTIONS
    if sections is not None:
        wanted = set(sections)
        unknown = wanted - {s.key for s in SECTIONS}
        if unknown:
            raise ValueError(f"unknown sections: {sorted(unknown)}")
        chosen = [s for s in SECTIONS if s.key in wanted]
    children = report_children(unit)
    wanted_figures = frozenset(figures) if figures is not None else None
    ctx = Context(unit=unit, children=children, start=start, end=end, figures=wanted_figures)
    values: dict[str, dict[str, Value]] = {key: {} for key in ctx.keys}
    for section in chosen:
        for key, figures in SECTION_FACTS[section.key](ctx).items():
            values[key].update(figures)
    own = ReportRow(unit.code, unit.name, unit.level, _ordered(values[OWN]))
    rows = [ReportRow(c.code, c.name, c.level, _ordered(values[c.code])) for c in children]
    direct_values = {
        k: (v if FIGURES[k].additive else None) for k, v in _ordered(values[DIRECT]).items()
    }
    direct = None
    if children and any(v for v in direct_values.values()):
        direct = ReportRow(unit.code, str(_("本级及直属")), unit.level, direct_values)
    return SituationReport(unit, start, end, list(chosen), own, rows, direct)


def _ordered(values: dict[str, Value]) -> dict[str, Value]:
    """Catalogue order, every figure present (a missing figure would be a bug: 0 is real)."""
    return {key: values.get(key) for key in FIGURES}
