"""Import jobs API (导入): upload (checked in the background), status with progress and the
preview, confirm (applied in the background)."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Schema, Status, UploadedFile

from bastion.core.errors import ValidationError
from bastion.core.schemas import ErrorOut, UnitCode
from bastion.screening import selectors, services
from bastion.screening.api import router
from bastion.screening.api.common import ERRORS, WRITE_ERRORS, ObjectId
from bastion.screening.forms.verification import MAX_UPLOAD_BYTES
from bastion.screening.models import ImportJob, ImportStatus
from bastion.screening.tasks import import_apply_task, import_preview_task

StatusCode = Literal["queued", "previewing", "previewed", "applying", "applied", "failed"]


class CellErrorOut(Schema):
    sheet: str
    row: int
    column: str
    message: str


class ResultOut(Schema):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    unrouted: int = Field(0, description="rows of a township/county import that no village took")
    routed: dict[str, int] = Field(
        default_factory=dict, description="village code -> rows routed there"
    )
    errors: list[CellErrorOut] = []


class JobOut(Schema):
    id: int
    unit_code: str
    file_name: str
    status: StatusCode
    message: str
    rows_total: int
    rows_done: int
    percent: int
    stage: str = Field(description="while applying: reading / planning / writing")
    result: ResultOut | None
    created_at: datetime
    applied_at: datetime | None

    @staticmethod
    def of(job: ImportJob) -> "JobOut":
        return JobOut(
            id=job.pk,
            unit_code=job.unit_code,
            file_name=job.file_name,
            status=job.status,  # type: ignore[arg-type]
            message=job.message,
            rows_total=job.rows_total,
            rows_done=job.rows_done,
            percent=job.percent,
            stage=job.stage,
            result=ResultOut(**job.result) if job.result else None,
            created_at=job.created_at,
            applied_at=job.applied_at,
        )


@router.get("/imports", response={200: list[JobOut], **ERRORS}, summary="Import jobs (导入记录)")
def import_list(request: HttpRequest) -> Any:
    return [JobOut.of(j) for j in selectors.import_jobs(user=request.user)[:100]]


@router.post(
    "/imports",
    response={202: JobOut, **WRITE_ERRORS},
    summary="Upload a returnee list (multipart: unit, file); it is checked in the background",
)
def import_upload(request: HttpRequest, file: File[UploadedFile], unit: Form[UnitCode]) -> Any:
    if (file.size or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "文件不能超过 20 MB。"})
    target = selectors.import_units(user=request.user).filter(code=unit).first()
    job = services.import_job_create(
        actor=request.user, unit=target, content=file.read(), file_name=file.name or ""
    )
    import_preview_task.enqueue(job.pk)
    job.refresh_from_db()
    return Status(202, JobOut.of(job))


@router.get(
    "/imports/{job_id}",
    response={200: JobOut, **ERRORS},
    summary="An import's status, progress and preview (created / updated / unchanged / rejected)",
)
def import_get(request: HttpRequest, job_id: ObjectId) -> Any:
    return JobOut.of(selectors.import_job_get(user=request.user, job_id=job_id))


@router.post(
    "/imports/{job_id}/confirm",
    response={202: JobOut, **WRITE_ERRORS, 409: ErrorOut},
    summary="Apply a previewed import (all accepted rows in one transaction, in the background)",
)
def import_confirm(request: HttpRequest, job_id: ObjectId) -> Any:
    job = selectors.import_job_get(user=request.user, job_id=job_id)
    if job.status != ImportStatus.PREVIEWED:
        return Status(409, ErrorOut(detail="该导入已确认过，或还未完成检查。"))
    import_apply_task.enqueue(job.pk, request.user.pk)
    job.refresh_from_db()
    return Status(202, JobOut.of(job))
