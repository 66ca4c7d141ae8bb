"""Export pages: request (申请导出) → the job page with a progress bar → download; "我的导出"."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import active_memberships, has_capability
from bastion.accounts.roles import ROLE_CAPABILITIES, Capability
from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors
from bastion.exports import selectors, services
from bastion.exports.datasets import DATASETS, dataset_get
from bastion.exports.forms import ExportRequestForm
from bastion.exports.tasks import export_run_task
from bastion.orgs.models import OrgUnit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The request page counts the rows up to this many and says "more than" beyond: counting a
# city's million persons took 130 ms of the page at tier M; the job counts them all anyway.
ROWS_COUNTED = 100_000


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require(Capability.EXPORT_LISTS)
@never_cache
def export_new(request: HttpRequest) -> HttpResponse:
    """GET /exports/new/?dataset=persons&unit=CODE&<the list's filters>; POST the purpose."""
    user = request.user
    dataset = dataset_get(request.GET.get("dataset", "")[:40])
    unit_code = request.GET.get("unit", "")[:40]
    scope_prefix, _code = services.export_scope(actor=user, dataset=dataset, unit_code=unit_code)
    may_reveal = services.reveal_allowed(actor=user, scope_prefix=scope_prefix)
    form = ExportRequestForm(request.POST or None, may_reveal=may_reveal)
    filters: dict[str, str] = {}
    filter_errors: dict[str, list[str]] = {}
    try:
        filters = dataset.clean_filters(request.GET)
    except ValidationError as e:
        filter_errors = e.message_dict
    if request.method == "POST" and form.is_valid() and not filter_errors:
        data = form.cleaned_data
        try:
            job = services.export_job_create(
                actor=user,
                dataset_name=dataset.name,
                unit_code=unit_code,
                filters=filters,
                purpose=data["purpose"],
                reveal=bool(data.get("reveal")),
                reveal_reason=data.get("reveal_reason", ""),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            export_run_task.enqueue(job.pk)
            return redirect("exports:detail", job_id=job.pk)
    labels = {f.name: f for f in dataset.filters}
    shown = [
        (str(labels[k].label), str((labels[k].choices or {}).get(v, v))) for k, v in filters.items()
    ]
    selected = dataset.queryset(user=user, scope_prefix=scope_prefix, filters=filters)
    rows = selected[: ROWS_COUNTED + 1].count()
    unit = OrgUnit.objects.filter(code=unit_code).first() if unit_code else None
    # Without a unit, the export covers every unit where the user may export: name them.
    scope_units = [
        m.unit.name
        for m in active_memberships(user)
        if Capability.EXPORT_LISTS in ROLE_CAPABILITIES.get(m.role, frozenset())
    ]
    context: dict[str, Any] = {
        "form": form,
        "dataset": dataset,
        "unit": unit,
        "scope_units": scope_units,
        "filters": shown,
        "filter_errors": filter_errors,
        "rows_more": rows > ROWS_COUNTED,
        "rows_counted": ROWS_COUNTED,
        "rows": rows,
        "ttl_hours": int(services.export_ttl().total_seconds() // 3600),
    }
    return render(request, "exports/new.html", context)


@login_required
@never_cache
def export_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job's page; htmx polls the same URL for the progress partial while it runs."""
    job = selectors.export_job_get(user=request.user, job_id=job_id)
    context = {
        "job": job,
        "dataset": dataset_get(job.dataset),
        "expired": selectors.is_expired(job),
    }
    template = "exports/_status.html" if _is_htmx(request) else "exports/detail.html"
    return render(request, template, context)


@login_required
@never_cache
def export_list(request: HttpRequest) -> HttpResponse:
    """我的导出: the user's own jobs, newest first."""
    jobs = list(selectors.export_job_list(user=request.user)[:50])
    labels = {name: d.label for name, d in DATASETS.items()}
    user = request.user
    may_export = has_capability(user, Capability.EXPORT_LISTS)
    return render(
        request,
        "exports/list.html",
        {
            "jobs": [(j, labels.get(j.dataset, j.dataset), selectors.is_expired(j)) for j in jobs],
            "datasets": selectors.datasets_for(user=user) if may_export else [],
        },
    )


@login_required
@never_cache
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    """The file, to its requester only and before it expires; each download is logged."""
    user = request.user
    job = selectors.export_job_downloadable(user=user, job_id=job_id)
    services.export_download_log(actor=user, job=job)
    response = FileResponse(job.file.open("rb"), content_type=XLSX, as_attachment=True)
    response["Content-Disposition"] = f'attachment; filename="export-{job.dataset}-{job.pk}.xlsx"'
    return response
