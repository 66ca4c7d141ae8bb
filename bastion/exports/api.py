"""Exports API (导出): request an export, follow its progress, download the file; and the
auditor's "who saw this person" (谁看过此人).

A job is its requester's alone: anyone else gets 404, as for a missing job. Creates honour
an `Idempotency-Key` header, so a retried request never queues the export twice.
"""

from datetime import datetime
from typing import Annotated, Any

from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from bastion.accounts.jurisdiction import has_capability
from bastion.accounts.roles import Capability
from bastion.audit.selectors import person_viewers
from bastion.core.idempotency import idempotent
from bastion.core.schemas import MAX_ID, ErrorOut, Page, UnitCode, page_bounds
from bastion.exports import selectors, services
from bastion.exports.datasets import DATASETS
from bastion.exports.models import ExportJob
from bastion.exports.tasks import export_run_task

router = Router(tags=["exports"])

CHANNEL = "api"
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut}
FilterValue = Annotated[str, Field(max_length=40, pattern=r"^[^\x00-\x1f\x7f]*$")]


class ExportIn(Schema):
    dataset: str = Field(max_length=40, description="数据集，如 persons、observations")
    unit: UnitCode | None = Field(None, description="单元代码；不填为本人全部辖区")
    filters: dict[Annotated[str, Field(max_length=40)], FilterValue] = Field(
        default_factory=dict, max_length=20, description="名单的筛选条件，如 since、status"
    )
    purpose: str = Field(max_length=200, description="用途（4–200 字）")
    reveal: bool = Field(False, description="完整信息（需要显示完整信息的权限和理由）")
    reveal_reason: str = Field("", max_length=200)


class ExportOut(Schema):
    id: int
    dataset: str
    dataset_label: str
    unit_code: str
    filters: dict[str, str]
    purpose: str
    masked: bool
    status: str
    rows_done: int
    rows_total: int
    row_count: int | None
    percent: int
    message: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime
    expired: bool
    file_url: str | None

    @staticmethod
    def of(job: ExportJob) -> "ExportOut":
        dataset = DATASETS.get(job.dataset)
        expired = selectors.is_expired(job)
        ready = job.status == "done" and bool(job.file) and not expired
        return ExportOut(
            id=job.pk,
            dataset=job.dataset,
            dataset_label=str(dataset.label) if dataset else job.dataset,
            unit_code=job.unit_code,
            filters=dict(job.filters),
            purpose=job.purpose,
            masked=job.masked,
            status=job.status,
            rows_done=job.rows_done,
            rows_total=job.rows_total,
            row_count=job.row_count,
            percent=job.percent,
            message=job.message,
            created_at=job.created_at,
            finished_at=job.finished_at,
            expires_at=job.expires_at,
            expired=expired,
            file_url=f"/api/v1/exports/{job.pk}/file" if ready else None,
        )


class ExportPage(Page):
    items: list[ExportOut]


class Paging(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


def _require(request: HttpRequest, capability: Capability) -> None:
    if not has_capability(request.user, capability):
        raise Http404("未找到")


@router.post("/exports", response={201: ExportOut, **WRITE_ERRORS}, summary="Request an export")
def export_create(request: HttpRequest, payload: ExportIn) -> Any:
    _require(request, Capability.EXPORT_LISTS)

    def work() -> tuple[int, Any]:
        job = services.export_job_create(
            actor=request.user,
            dataset_name=payload.dataset,
            unit_code=payload.unit or "",
            filters=payload.filters,
            purpose=payload.purpose,
            reveal=payload.reveal,
            reveal_reason=payload.reveal_reason,
            channel=CHANNEL,
        )
        export_run_task.enqueue(job.pk)
        job.refresh_from_db()
        return 201, ExportOut.of(job)

    return Status(*idempotent(request, work))


class FilterOut(Schema):
    name: str
    label: str
    kind: str
    choices: dict[str, str] | None


class DatasetOut(Schema):
    name: str
    label: str
    columns: list[str]
    filters: list[FilterOut]


@router.get(
    "/exports/datasets",
    response={200: list[DatasetOut], **ERRORS},
    summary="The lists the caller may export, their columns and filters",
)
def export_datasets(request: HttpRequest) -> Any:
    _require(request, Capability.EXPORT_LISTS)
    return [
        DatasetOut(
            name=d.name,
            label=str(d.label),
            columns=d.headers,
            filters=[
                FilterOut(
                    name=f.name,
                    label=str(f.label),
                    kind=str(f.kind),
                    choices={k: str(v) for k, v in f.choices.items()} if f.choices else None,
                )
                for f in d.filters
            ],
        )
        for d in selectors.datasets_for(user=request.user)
    ]


@router.get("/exports", response={200: ExportPage, **ERRORS}, summary="My exports")
def export_list(request: HttpRequest, paging: Query[Paging]) -> Any:
    jobs = selectors.export_job_list(user=request.user)
    start, end = page_bounds(paging.page, paging.page_size)
    return ExportPage(
        items=[ExportOut.of(j) for j in jobs[start:end]],
        count=jobs.count(),
        page=paging.page,
        page_size=paging.page_size,
    )


@router.get("/exports/{job_id}", response={200: ExportOut, **ERRORS}, summary="An export")
def export_get(request: HttpRequest, job_id: Id) -> Any:
    return ExportOut.of(selectors.export_job_get(user=request.user, job_id=job_id))


@router.get(
    "/exports/{job_id}/file",
    response={200: None, **ERRORS},
    summary="Download an export's file (requester only, before expiry)",
)
def export_file(request: HttpRequest, job_id: Id) -> Any:
    job = selectors.export_job_downloadable(user=request.user, job_id=job_id)
    services.export_download_log(actor=request.user, job=job, channel=CHANNEL)
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"export-{job.dataset}-{job.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class ViewerOut(Schema):
    user_id: int | None
    username: str
    display_name: str
    actions: list[str]
    count: int
    first_at: datetime
    last_at: datetime


class ViewersOut(Schema):
    person_id: int
    viewers: list[ViewerOut]


@router.get(
    "/audit/persons/{person_id}/viewers",
    response={200: ViewersOut, **ERRORS},
    summary="Who saw this person's records (谁看过此人), for auditors",
)
def audit_person_viewers(request: HttpRequest, person_id: Id) -> Any:
    _require(request, Capability.VIEW_ACCESS_LOG)
    viewers = person_viewers(user=request.user, person_id=person_id)
    return ViewersOut(person_id=person_id, viewers=[ViewerOut(**v) for v in viewers.summary])
