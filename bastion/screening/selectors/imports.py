"""Scoped reads of import jobs (导入记录)."""

from typing import Any

from django.db.models import QuerySet

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.screening.models import ImportJob


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
