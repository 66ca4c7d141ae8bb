"""Import jobs (导入任务): an uploaded file kept, checked in the background (预览), then
applied on confirmation (确认导入), with progress the page polls. The import itself is
`services.imports`."""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import ValidationError
from bastion.orgs.models import OrgUnit
from bastion.screening.models import HighRiskArea, ImportJob, ImportStatus
from bastion.screening.services.imports import (
    IMPORT_LEVELS,
    ImportResult,
    Progress,
    import_route,
    import_unit_check,
    import_year,
    returnees_import,
)
from bastion.screening.spreadsheets.reading import UnreadableFile
from bastion.screening.spreadsheets.returnees import ReadResult, returnee_rows_read


def import_job_create(
    *, actor: Any, unit: OrgUnit | None, content: bytes, file_name: str
) -> ImportJob:
    """Keep an uploaded file as an import job (导入任务), to be previewed in the background."""
    unit = import_unit_check(actor, unit)
    if not content:
        raise ValidationError({"file": "文件是空的。"})
    today = timezone.localdate()
    job = ImportJob(
        unit=unit,
        unit_code=unit.code,
        file_name=file_name[:200] or "import.xlsx",
        sha256=hashlib.sha256(content).hexdigest(),
        year=import_year(unit, today),
        created_by=actor,
    )
    job.file.save(f"{job.sha256[:16]}.xlsx", ContentFile(content), save=False)
    job.save()
    return job


# While applying, the job's bar: reading is the first half, planning and writing the rest.
STAGES = {
    "reading": "正在读取并检查文件",
    "planning": "正在比对已有人员和行程",
    "writing": "正在写入（一次提交，全部或全不）",
}


def _rows_progress(job: ImportJob) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    return report


def _apply_progress(job: ImportJob) -> tuple[Callable[[int, int], None], Progress]:
    def rows(done: int, total: int) -> None:
        percent = round(50 * done / total) if total else 50
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=done, rows_total=total, stage="reading", progress=percent
        )

    def stage(name: str, percent: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(stage=name, progress=percent)

    return rows, stage


def _read_job(
    job: ImportJob,
    progress: Callable[[int, int], None] | None = None,
    *,
    keep_rows: bool | None = None,
) -> ReadResult:
    """The job's file read and checked. The accepted rows keep their cells as read only when
    they may be sent back: an import above the village routes them, and the rows that go
    nowhere are downloaded (by default, decided by the job's level)."""
    today = timezone.localdate()
    if keep_rows is None:
        keep_rows = job.unit.level not in IMPORT_LEVELS
    with job.file.open("rb") as f:
        return returnee_rows_read(
            f,
            year=job.year,
            today=today,
            areas=list(HighRiskArea.objects.all()),
            progress=progress or _rows_progress(job),
            keep_rows=keep_rows,
        )


def import_job_preview(*, job: ImportJob) -> ImportJob:
    """Check the file and plan it without writing (预览): counts, each rejected row, and at
    township or county level the villages the rows go to and the rows that go nowhere."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PREVIEWING)
    try:
        read = _read_job(job)
    except UnreadableFile as e:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, message=str(e)[:300])
        job.refresh_from_db()
        return job
    result = returnees_import(actor=job.created_by, unit=job.unit, read=read, dry_run=True)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.PREVIEWED,
        result=result.as_job(),
        rows_done=read.total,
        rows_total=read.total,
    )
    job.refresh_from_db()
    return job


def import_job_apply(*, job: ImportJob, actor: Any) -> ImportJob:
    """Apply a previewed file (确认导入): all accepted rows in one transaction, logged. The
    job's `stage` and `progress` move while it runs, for the page's bar."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.APPLYING, stage="reading", progress=0
    )
    if not claimed:
        raise ValidationError({"__all__": "该导入已确认过，或还未完成检查。"})
    rows, stage = _apply_progress(job)
    try:
        read = _read_job(job, rows)
    except UnreadableFile as e:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, message=str(e)[:300])
        job.refresh_from_db()
        return job
    result = returnees_import(actor=actor, unit=job.unit, read=read, dry_run=False, progress=stage)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.APPLIED,
        result=result.as_job(),
        applied_at=timezone.now(),
        stage="",
        progress=100,
    )
    if getattr(actor, "pk", None) is not None:
        access_log_write(
            user=actor,
            action=Action.CREATE,
            object_type="import_job",
            object_id=job.pk,
            unit_code=job.unit_code,
            detail={k: v for k, v in result.as_job().items() if k != "errors"},
        )
    job.refresh_from_db()
    return job


def import_rejected_rows(*, job: ImportJob) -> ReadResult:
    """The file's check again, routed as the import routes it, for the download of its
    rejected (and unroutable) rows."""
    read = _read_job(job, lambda done, total: None, keep_rows=True)
    import_route(job.unit, read, ImportResult())
    return read
