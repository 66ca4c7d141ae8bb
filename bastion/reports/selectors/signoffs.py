"""Sign-offs of a unit's day and the changes since the latest one."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from bastion.orgs.models import OrgUnit
from bastion.reports.catalogue import FIGURES, Figure
from bastion.reports.models import ReportSignOff
from bastion.reports.selectors.report import SituationReport
from bastion.reports.selectors.sections import Value


def signoff_list(*, unit: OrgUnit, day: date) -> QuerySet[ReportSignOff]:
    """Every sign-off of the unit's report of `day`, latest first (the unit is scoped by the
    caller)."""
    return ReportSignOff.objects.filter(unit_code=unit.code, day=day).select_related("signed_by")


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    figure: Figure
    old: Value
    new: Value


def _close(a: Value, b: Value) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-9


def changes_since(signoff: ReportSignOff, report: SituationReport) -> list[Change]:
    """Figures whose value now differs from the signed one: the unit's totals first, then
    each row. A figure added to the catalogue after signing is not a change."""
    signed = signoff.figures or {}
    changes: list[Change] = []
    current = [(report.unit.code, report.unit.name, report.own.values, signed.get("own", {}))]
    rows = signed.get("rows", {})
    for row in report.rows:
        key = "direct" if row is report.direct else row.code
        current.append((row.code, row.name, row.values, rows.get(key, {})))
    for code, name, values, old_values in current:
        for key, new in values.items():
            if key not in old_values or key not in FIGURES:
                continue
            old = old_values[key]
            if not _close(old, new):
                changes.append(Change(code, name, FIGURES[key], old, new))
    return changes
