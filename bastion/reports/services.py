"""Writes of the reports app: signing a day's report (日报签发)."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import scope_prefixes
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.orgs.models import OrgUnit
from bastion.reports.models import ReportSignOff
from bastion.reports.selectors import situation_report
from bastion.reports.selectors.report import SituationReport

NOTE_MAX = 500


def snapshot_of(report: SituationReport) -> dict[str, Any]:
    """The figures of a report as JSON: the unit's totals and every row's."""
    return {
        "own": dict(report.own.values),
        "rows": {
            row.code if row is not report.direct else "direct": dict(row.values)
            for row in report.rows
        },
    }


def can_sign(*, user: Any, unit: OrgUnit) -> bool:
    """Only the unit's own head signs its report: a membership of this unit (same scope)
    holding SIGN_REPORTS. A county officer reads a township's report but does not sign it."""
    return unit.scope_prefix in scope_prefixes(user, Capability.SIGN_REPORTS)


def signoff_create(
    *, actor: Any, unit: OrgUnit, day: date, note: str = "", now: datetime | None = None
) -> ReportSignOff:
    """Sign `unit`'s report of `day` with the figures as they stand now.

    Preconditions: the caller has scoped `unit` to the actor. Raises ValidationError when the
    actor may not sign this unit's report, the day is in the future, or the note is too long.
    """
    now = now or timezone.now()
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if not can_sign(user=actor, unit=unit):
        errors["unit"] = ["只有本单位负责人可以签发本单位的日报。"]
    if day > timezone.localdate(now):
        errors["date"] = ["不能签发未来日期的日报。"]
    if len(note) > NOTE_MAX:
        errors["note"] = [f"说明不能超过 {NOTE_MAX} 个字。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = situation_report(unit, day)
        return ReportSignOff.objects.create(
            unit=unit,
            unit_code=unit.code,
            day=day,
            signed_by=actor,
            signed_at=now,
            note=note,
            figures=snapshot_of(report),
        )
