"""Scoped reads of import jobs (导入记录)."""

from typing import Any

from django.db.models import QuerySet

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.screening.models import ImportJob

IMPORT_TARGET_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID)


def import_jobs(*, user: Any) -> QuerySet[ImportJob]:
    return scoped(
        user, ImportJob.objects.select_related("unit", "created_by"), Capability.RECORD_SCREENING
    ).order_by("-created_at", "-id")


def import_job_get(*, user: Any, job_id: int) -> ImportJob:
    return get_scoped_or_404(
        user,
        ImportJob.objects.select_related("unit", "created_by"),
        Capability.RECORD_SCREENING,
        pk=job_id,
    )


def import_units(*, user: Any) -> QuerySet[OrgUnit]:
    """Where the user may import a list: a village or grid, or a county or township whose
    rows are routed to their villages."""
    return scoped(
        user,
        OrgUnit.objects.filter(
            is_active=True, kind=Kind.TERRITORIAL, level__in=IMPORT_TARGET_LEVELS
        ),
        Capability.RECORD_SCREENING,
        field="code",
    ).order_by("code")


def import_routed(*, job: ImportJob) -> list[tuple[OrgUnit, int]]:
    """The villages a job's rows were routed to, with their row counts (one query)."""
    routed: dict[str, int] = (job.result or {}).get("routed") or {}
    units = OrgUnit.objects.filter(code__in=list(routed)).order_by("code")
    return [(u, int(routed[u.code])) for u in units]
