"""Background task (django-tasks): an export runs off the request, so a 500,000-row list never
holds a request open; the job page polls the progress."""

from django_tasks import task

from bastion.exports.models import ExportJob
from bastion.exports.services import export_job_run


@task()
def export_run_task(job_id: int) -> str:
    job = ExportJob.objects.select_related("requester").get(pk=job_id)
    return str(export_job_run(job=job).status)
