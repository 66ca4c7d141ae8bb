"""Export jobs (导出): request, run, download. Every step that shows personal data is logged.

An export states a purpose, is masked unless the requester holds REVEAL_PERSONAL_DATA over
the whole exported scope and gives a reason, and expires (BASTION_EXPORT_TTL, 24 h).
"""

import logging
import tempfile
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bastion.accounts.jurisdiction import get_scoped_or_404, has_capability, scope_prefixes
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import ValidationError
from bastion.exports.datasets import Dataset, dataset_get
from bastion.exports.models import ExportJob, ExportStatus
from bastion.exports.spreadsheets import rows_write
from bastion.orgs.models import OrgUnit

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 2000


def export_ttl() -> timedelta:
    ttl = getattr(settings, "BASTION_EXPORT_TTL", timedelta(hours=24))
    return ttl if isinstance(ttl, timedelta) else timedelta(seconds=int(ttl))


def _text(value: str | None, field: str, label: str, errors: dict[str, str]) -> str:
    text = " ".join((value or "").split())
    if not 4 <= len(text) <= 200:
        errors[field] = _("%(label)s应为 4–200 个字。") % {"label": label}
    return text


def _covered(prefixes: tuple[str, ...], by: tuple[str, ...]) -> bool:
    return bool(prefixes) and all(any(p.startswith(b) for b in by) for p in prefixes)


def _code_of(prefix: str) -> str:
    """The unit code a scope prefix stands for: '430211003' -> '430211003000'."""
    return prefix.ljust(12, "0") if prefix.isdigit() else prefix


def log_codes(*, actor: Any, unit_code: str) -> list[str]:
    """The unit codes an export is logged under: its unit, or each unit of the requester's
    export scope, so that every auditor above any of them sees it."""
    if unit_code:
        return [unit_code]
    return [_code_of(p) for p in scope_prefixes(actor, Capability.EXPORT_LISTS)] or [""]


def export_scope(*, actor: Any, dataset: Dataset, unit_code: str) -> tuple[str, str]:
    """(scope prefix, first unit code to log) of an export. A unit outside the requester's
    jurisdiction for the dataset or for exporting is a 404, as on the list itself."""
    if not has_capability(actor, dataset.capability):
        raise Http404("未找到")
    if unit_code:
        unit = get_scoped_or_404(
            actor, OrgUnit.objects.all(), Capability.EXPORT_LISTS, field="code", code=unit_code
        )
        get_scoped_or_404(
            actor, OrgUnit.objects.all(), dataset.capability, field="code", code=unit_code
        )
        return unit.scope_prefix, unit.code
    prefixes = scope_prefixes(actor, Capability.EXPORT_LISTS)
    if not prefixes:
        raise Http404("未找到")
    return "", _code_of(prefixes[0])


def reveal_allowed(*, actor: Any, scope_prefix: str) -> bool:
    """Full values only where the requester may reveal them: over the whole exported scope."""
    reveal = scope_prefixes(actor, Capability.REVEAL_PERSONAL_DATA)
    wanted = (scope_prefix,) if scope_prefix else scope_prefixes(actor, Capability.EXPORT_LISTS)
    return _covered(wanted, reveal)


def export_job_create(
    *,
    actor: Any,
    dataset_name: str,
    unit_code: str = "",
    filters: Mapping[str, Any] | None = None,
    purpose: str,
    reveal: bool = False,
    reveal_reason: str = "",
    channel: str = "web",
    now: datetime | None = None,
) -> ExportJob:
    """Queue an export; the caller enqueues `export_run_task` with the job's id.

    Raises Http404 for an unknown dataset or an out-of-scope unit, ValidationError (per
    field) for a short purpose, a bad filter or a reveal without capability or reason.
    """
    dataset = dataset_get(dataset_name)
    scope_prefix, _log_code = export_scope(actor=actor, dataset=dataset, unit_code=unit_code)
    errors: dict[str, str] = {}
    clean_purpose = _text(purpose, "purpose", _("用途"), errors)
    clean_reason = ""
    if reveal:
        if not reveal_allowed(actor=actor, scope_prefix=scope_prefix):
            errors["reveal"] = _("你没有在该范围内显示完整信息的权限。")
        else:
            clean_reason = _text(reveal_reason, "reveal_reason", _("显示完整信息的理由"), errors)
    try:
        clean_filters = dataset.clean_filters(filters or {})
    except ValidationError as e:
        errors.update({k: str(v[0]) for k, v in e.message_dict.items()})
        clean_filters = {}
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    return ExportJob.objects.create(
        requester=actor,
        dataset=dataset.name,
        filters=clean_filters,
        unit_code=unit_code,
        purpose=clean_purpose,
        masked=not reveal,
        reveal_reason=clean_reason,
        channel=channel,
        expires_at=now + export_ttl(),
    )


def _progress(job_id: int, done: int) -> None:
    # A plain UPDATE: the page polls these two numbers, nothing else changes.
    ExportJob.objects.filter(pk=job_id).update(rows_done=done)


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Build the job's file, streaming the rows; log the export (who, what, how many,
    masked or not, why). A failure marks the job failed with a message, never half-done."""
    # Claim the job in one UPDATE: a retried or duplicated task does not run it twice.
    claimed = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    if not claimed:
        job.refresh_from_db()
        return job
    job.status = ExportStatus.RUNNING
    actor = job.requester
    try:
        dataset = dataset_get(job.dataset)
        scope_prefix, _code = export_scope(actor=actor, dataset=dataset, unit_code=job.unit_code)
        if not job.masked and not reveal_allowed(actor=actor, scope_prefix=scope_prefix):
            raise Http404("未找到")
        qs = dataset.queryset(user=actor, scope_prefix=scope_prefix, filters=job.filters)
        job.rows_total = qs.count()
        job.save(update_fields=["rows_total"])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.xlsx"
            count = rows_write(
                str(path),
                title=str(dataset.label),
                headers=dataset.headers,
                rows=dataset.rows(qs, masked=job.masked),
                progress=lambda done: _progress(job.pk, done),
                every=PROGRESS_EVERY,
            )
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            with transaction.atomic(), path.open("rb") as fh:
                job.file.save(f"{dataset.name}-{job.pk}-{stamp}.xlsx", File(fh), save=False)
                job.status = ExportStatus.DONE
                job.row_count = count
                job.rows_done = count
                job.finished_at = timezone.now()
                job.save()
                for code in log_codes(actor=actor, unit_code=job.unit_code):
                    access_log_write(
                        user=actor,
                        action=Action.EXPORT,
                        object_type=dataset.object_type,
                        object_id=f"export:{job.pk}",
                        unit_code=code,
                        reason=job.purpose if job.masked else f"{job.purpose}；{job.reveal_reason}",
                        detail={
                            "dataset": dataset.name,
                            "filters": job.filters,
                            "count": count,
                            "masked": job.masked,
                            "job": job.pk,
                        },
                        channel=job.channel,
                    )
    except Http404:
        _fail(job, _("你已不再有权导出该范围的数据。"))
    except Exception:  # the page must say "failed", whatever broke
        logger.exception("export job %s failed", job.pk)
        _fail(job, _("导出失败，请稍后重试。"))
    return job


def _fail(job: ExportJob, message: str) -> None:
    job.status = ExportStatus.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])


def export_download_log(*, actor: Any, job: ExportJob, channel: str = "web") -> None:
    """Each download of a file is logged, beside the export itself."""
    dataset = dataset_get(job.dataset)
    for code in log_codes(actor=actor, unit_code=job.unit_code):
        access_log_write(
            user=actor,
            action=Action.EXPORT,
            object_type=dataset.object_type,
            object_id=f"export:{job.pk}",
            unit_code=code,
            field="download",
            reason=job.purpose,
            detail={"dataset": job.dataset, "count": job.row_count, "masked": job.masked},
            channel=channel,
        )


def export_files_expire(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete the files of expired jobs (the job rows stay, as the record of the export)."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lte=now).exclude(file="")
    if dry_run:
        return expired.count()
    removed = 0
    for job in expired:
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        removed += 1
    return removed
