"""Writes of deeds (先进事迹): record, photos, backing facts, consent, nomination upward,
commendation."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from bastion.accounts.jurisdiction import scoped
from bastion.accounts.roles import Capability
from bastion.checkpoints.models import Shift
from bastion.core.errors import ValidationError
from bastion.mobilisation.models import Assignment, Member, Team, WorkLog
from bastion.observation.models import Observation
from bastion.orgs.models import Kind, OrgUnit
from bastion.party.models import (
    Deed,
    DeedFact,
    DeedPhoto,
    DeedStatus,
    FactKind,
    Nomination,
)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


# --- Deeds (先进事迹) -------------------------------------------------------------------------


@transaction.atomic
def deed_record(
    *,
    actor: Any,
    unit: OrgUnit,
    title: str,
    text: str,
    happened_on: date,
    place: str = "",
    member: Member | None = None,
    team: Team | None = None,
) -> Deed:
    """A unit records a deed about one of its members or teams (or one of its units')."""
    errors: dict[str, str] = {}
    if (member is None) == (team is None):
        errors["member"] = "请选择一名队员或一支队伍。"
    subject_code = member.unit_code if member else team.unit_code if team else ""
    if subject_code and not subject_code.startswith(unit.scope_prefix):
        errors["member"] = "只能记录本单位及下级单位队员、队伍的事迹。"
    if not title.strip():
        errors["title"] = "请填写标题。"
    if not text.strip():
        errors["text"] = "请填写事迹。"
    if happened_on > timezone.localdate():
        errors["happened_on"] = "日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    return Deed.objects.create(
        unit=unit,
        unit_code=unit.code,
        holder_code=unit.code,
        member=member,
        team=team,
        title=title.strip(),
        text=text.strip(),
        happened_on=happened_on,
        place=place.strip(),
        recorded_by=actor,
    )


def _image_type(upload: UploadedFile[Any]) -> str:
    if (upload.size or 0) > MAX_PHOTO_BYTES:
        raise ValidationError({"image": "照片不能超过 5 MB。"})
    try:
        with Image.open(upload) as img:
            fmt = img.format or ""
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({"image": "请上传 JPEG、PNG 或 WebP 格式的照片。"}) from None
    if fmt not in PHOTO_TYPES:
        raise ValidationError({"image": "请上传 JPEG、PNG 或 WebP 格式的照片。"})
    upload.seek(0)
    return PHOTO_TYPES[fmt]


@transaction.atomic
def deed_photo_add(
    *, actor: Any, deed: Deed, upload: UploadedFile[Any], caption: str = ""
) -> DeedPhoto:
    if deed.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"image": f"每条事迹最多 {MAX_PHOTOS} 张照片。"})
    content_type = _image_type(upload)
    ext = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[content_type]
    upload.name = f"deed-{deed.pk}.{ext}"  # never the uploader's file name
    return DeedPhoto.objects.create(
        deed=deed,
        image=upload,
        content_type=content_type,
        size=upload.size or 0,
        caption=caption.strip()[:100],
        uploaded_by=actor,
    )


def _fact(actor: Any, kind: str, object_id: int) -> tuple[str, str]:
    """Who the fact belongs to ("m<member id>", comma-separated for a shift's roster, "" when
    it names nobody, e.g. an observation followed) and a label without personal data; 422 when
    the fact is missing or outside the actor's jurisdiction."""
    missing = ValidationError({"object_id": "未找到该记录，或不在本辖区。"})
    if kind == FactKind.SHIFT:
        shift = (
            scoped(
                actor, Shift.objects.select_related("checkpoint__unit"), Capability.VIEW_CHECKPOINTS
            )
            .filter(pk=object_id)
            .first()
        )
        if shift is None:
            raise missing
        on_duty = shift.assignments.filter(member__isnull=False).values_list("member_id", flat=True)
        owners = ",".join(f"m{pk}" for pk in on_duty)
        return owners or "-", f"{shift.checkpoint.unit.name} {shift.day:%Y-%m-%d} {shift.label}"
    if kind == FactKind.WORK_LOG:
        log = (
            scoped(actor, WorkLog.objects.all(), Capability.VIEW_MOBILISATION)
            .filter(pk=object_id)
            .first()
        )
        if log is None:
            raise missing
        leave = "，取消休假" if log.cancelled_leave else ""
        return f"m{log.member_id}", f"{log.day:%Y-%m-%d} 工作 {log.hours} 小时{leave}"
    if kind == FactKind.ASSIGNMENT:
        task = (
            scoped(actor, Assignment.objects.all(), Capability.VIEW_MOBILISATION)
            .filter(pk=object_id)
            .first()
        )
        if task is None:
            raise missing
        return f"m{task.member_id}", f"{task.duty} {task.starts_on:%m-%d}至{task.ends_on:%m-%d}"
    if kind == FactKind.OBSERVATION:
        obs = (
            scoped(actor, Observation.objects.all(), Capability.VIEW_OBSERVATIONS)
            .filter(pk=object_id)
            .first()
        )
        if obs is None:
            raise missing
        return "", f"跟进医学观察（{obs.get_kind_display()}）"
    raise ValidationError({"kind": "未知的记录类别。"})


@transaction.atomic
def deed_fact_link(*, actor: Any, deed: Deed, kind: str, object_id: int) -> DeedFact:
    """Link a backing fact to a deed. Idempotent: linking the same fact twice keeps one link."""
    owners, label = _fact(actor, kind, object_id)
    if owners and deed.member_id is not None and f"m{deed.member_id}" not in owners.split(","):
        raise ValidationError({"object_id": "该记录不是本事迹人物的记录。"})
    fact, _ = DeedFact.objects.get_or_create(
        deed=deed, kind=kind, object_id=object_id, defaults={"label": label}
    )
    return fact


@transaction.atomic
def deed_consent(*, actor: Any, deed: Deed, note: str, given: bool = True) -> Deed:
    """Record that the subject agreed to publication (who recorded it, when, how), or withdrew."""
    if given and not note.strip():
        raise ValidationError({"consent_note": "请注明本人同意的方式（如：本人签字、电话确认）。"})
    deed.consented_at = timezone.now() if given else None
    deed.consent_recorded_by = actor
    deed.consent_note = note.strip()[:200]
    deed.save(update_fields=["consented_at", "consent_recorded_by", "consent_note"])
    return deed


@transaction.atomic
def deed_nominate(*, actor: Any, deed: Deed, note: str = "") -> Nomination:
    """Nominate the deed to the unit above the one holding it (逐级推荐)."""
    deed = Deed.objects.select_for_update().get(pk=deed.pk)
    if deed.status == DeedStatus.COMMENDED:
        raise ValidationError({"status": "该事迹已表彰，不能再推荐。"})
    holder = OrgUnit.objects.select_related("parent").get(code=deed.holder_code)
    above = holder.parent
    while above is not None and above.kind != Kind.TERRITORIAL:
        above = above.parent
    if above is None:
        raise ValidationError({"status": "已是最高一级，不能再向上推荐。"})
    nomination = Nomination.objects.create(
        deed=deed,
        from_code=holder.code,
        to_code=above.code,
        note=note.strip()[:200],
        nominated_by=actor,
    )
    deed.holder_code = above.code
    deed.status = DeedStatus.NOMINATED
    deed.save(update_fields=["holder_code", "status"])
    return nomination


@transaction.atomic
def deed_commend(*, actor: Any, deed: Deed, commendation: str) -> Deed:
    """The unit holding the deed commends it (表彰)."""
    if not commendation.strip():
        raise ValidationError({"commendation": "请填写表彰名称。"})
    if deed.status == DeedStatus.COMMENDED:
        raise ValidationError({"status": "该事迹已表彰。"})
    deed.status = DeedStatus.COMMENDED
    deed.commendation = commendation.strip()[:100]
    deed.commended_at = timezone.now()
    deed.save(update_fields=["status", "commendation", "commended_at"])
    return deed
