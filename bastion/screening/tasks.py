"""Background tasks (django-tasks): an import is checked and applied off the request, so a
100,000-row sheet never holds a request open; the page polls the job's progress."""

from typing import Any

from django_tasks import task

from bastion.accounts.models import User
from bastion.screening.models import ImportJob
from bastion.screening.services.import_jobs import import_job_apply, import_job_preview


@task()
def import_preview_task(job_id: int) -> str:
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job_id)
    return str(import_job_preview(job=job).status)


@task()
def import_apply_task(job_id: int, user_id: int | None) -> str:
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    actor: Any = User.objects.filter(pk=user_id).first() if user_id else None
    return str(import_job_apply(job=job, actor=actor).status)
