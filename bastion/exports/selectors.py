"""Reading export jobs: a job is its requester's alone. Anybody else, whatever their rank,
gets the same 404 as for a job that does not exist."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from bastion.accounts.jurisdiction import has_capability
from bastion.accounts.roles import Capability
from bastion.exports.datasets import DATASETS, Dataset
from bastion.exports.models import ExportJob, ExportStatus


def export_job_list(*, user: Any) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(requester_id=user.pk)


def export_job_get(*, user: Any, job_id: int) -> ExportJob:
    try:
        return ExportJob.objects.get(pk=job_id, requester_id=user.pk)
    except (ExportJob.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("未找到") from None


def is_expired(job: ExportJob, *, now: datetime | None = None) -> bool:
    return job.expires_at <= (now or timezone.now())


def export_job_downloadable(*, user: Any, job_id: int, now: datetime | None = None) -> ExportJob:
    """The job whose file the user may download now: theirs, done, not expired, and they
    still may export (a worker moved off the unit loses their pending files too)."""
    job = export_job_get(user=user, job_id=job_id)
    if not has_capability(user, Capability.EXPORT_LISTS):
        raise Http404("未找到")
    if job.status != ExportStatus.DONE or not job.file or is_expired(job, now=now):
        raise Http404("未找到")
    return job


def datasets_for(*, user: Any) -> list[Dataset]:
    """The datasets whose list the user may see (and so export)."""
    return [d for d in DATASETS.values() if has_capability(user, d.capability)]
