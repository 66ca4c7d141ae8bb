"""Import pages (Excel 导入): upload → background check with a progress bar → preview with
created / updated / unchanged / rejected and each rejected row's reason → confirm. The
rejected rows download as a workbook with a reason column; a template is offered."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors
from bastion.screening import selectors, services
from bastion.screening.forms.imports import ImportForm
from bastion.screening.models import ImportStatus
from bastion.screening.spreadsheets.exports import import_template_write, rejected_rows_write
from bastion.screening.spreadsheets.reading import UnreadableFile
from bastion.screening.tasks import import_apply_task, import_preview_task
from bastion.screening.views.common import is_htmx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUNNING = (ImportStatus.QUEUED, ImportStatus.PREVIEWING, ImportStatus.APPLYING)


@login_required
@require(Capability.RECORD_SCREENING)
@never_cache
def import_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = list(selectors.import_units(user=user))
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                actor=user,
                unit=form.units.get(form.cleaned_data["unit"]),
                content=upload.read(),
                file_name=upload.name or "",
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            import_preview_task.enqueue(job.pk)
            return redirect("screening:import", job_id=job.pk)
    return render(
        request,
        "screening/import_index.html",
        {"form": form, "jobs": selectors.import_jobs(user=user)[:30]},
    )


@login_required
@require(Capability.RECORD_SCREENING)
@never_cache
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job's page; htmx polls the same URL for the progress partial while it runs."""
    job = selectors.import_job_get(user=request.user, job_id=job_id)
    context = {
        "job": job,
        "running": job.status in RUNNING,
        "result": job.result or {},
        "routed": selectors.import_routed(job=job) if job.status not in RUNNING else [],
        "stage": services.IMPORT_STAGES.get(job.stage, ""),
    }
    template = (
        "screening/_import_status.html" if is_htmx(request) else "screening/import_detail.html"
    )
    return render(request, template, context)


@login_required
@require(Capability.RECORD_SCREENING)
@require_POST
def import_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.import_job_get(user=request.user, job_id=job_id)
    if job.status != ImportStatus.PREVIEWED:
        messages.warning(request, _("该导入已确认过，或还未完成检查。"))
    else:
        import_apply_task.enqueue(job.pk, request.user.pk)
    return redirect("screening:import", job_id=job.pk)


@login_required
@require(Capability.RECORD_SCREENING)
@never_cache
def import_rejected(request: HttpRequest, job_id: int) -> HttpResponse:
    """The rejected rows with a reason column, to fix and import again (logged)."""
    user = request.user
    job = selectors.import_job_get(user=user, job_id=job_id)
    try:
        read = services.import_rejected_rows(job=job)
    except UnreadableFile as e:
        messages.error(request, str(e))
        return redirect("screening:import", job_id=job.pk)
    buffer = io.BytesIO()
    count = rejected_rows_write(buffer, read.rejected)
    access_log_write(
        user=user,
        action=Action.EXPORT,
        object_type="import_job",
        object_id=job.pk,
        unit_code=job.unit_code,
        reason="下载导入被拒绝的行",
        detail={"count": count},
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rejected-{job.pk}.xlsx"'
    return response


@login_required
@require(Capability.RECORD_SCREENING)
def import_template(request: HttpRequest) -> HttpResponse:
    buffer = io.BytesIO()
    import_template_write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="returnees-template.xlsx"'
    return response
