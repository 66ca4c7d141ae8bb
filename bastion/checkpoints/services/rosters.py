"""Writes of duty rosters (勤务): shifts, assignments, attendance, handover notes."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.checkpoints.models import Checkpoint, DutyAssignment, Shift, StaffKind
from bastion.checkpoints.services.checkpoints import slot_start
from bastion.core.errors import ValidationError
from bastion.core.validators import normalize_mobile

ALREADY_ON_SHIFT = "此人已在本班次。"
NAME_REQUIRED = "请填写姓名，或选择账号。"
STAFF_KIND_UNKNOWN = "请选择力量类别（公安、卫健、交通、乡镇或志愿者）。"
CHECK_IN_TOO_EARLY = "班次开始前 2 小时内才能签到。"
CHECK_IN_TOO_LATE = "班次已结束，不能再签到。"
CHECK_OUT_FIRST_IN = "请先签到，再签退。"
NOTE_REQUIRED = "请填写交班记录。"
NOTE_TOO_LONG = "交班记录请控制在 1000 字以内。"

# Staff arrive early to take over; a check-in opens this long before the shift.
CHECK_IN_OPENS = timedelta(hours=2)


def slot_bounds(day: date, slot: dict[str, Any]) -> tuple[datetime, datetime]:
    """The aware start and end of `slot` on `day`, in the deployment's time zone."""
    starts = timezone.make_aware(datetime.combine(day, slot_start(slot)))
    ends = timezone.make_aware(
        datetime.combine(day, slot_start(slot)) + timedelta(hours=int(slot["hours"]))
    )
    return starts, ends


def _shift_of(checkpoint: Checkpoint, day: date, slot: dict[str, Any]) -> Shift:
    starts, ends = slot_bounds(day, slot)
    return Shift(
        checkpoint=checkpoint,
        unit_code=checkpoint.unit_code,
        day=day,
        slot=slot["code"],
        label=slot["label"],
        starts_at=starts,
        ends_at=ends,
        minimum_total=checkpoint.minimum_total,
        minimum_by_kind=dict(checkpoint.minimum_by_kind),
    )


def shifts_ensure(*, checkpoint: Checkpoint, start: date, days: int = 7) -> list[Shift]:
    """The checkpoint's shifts of `days` days from `start`, created from its slots where
    missing. Existing shifts keep their own times and minimums."""
    wanted = [
        _shift_of(checkpoint, start + timedelta(days=d), slot)
        for d in range(days)
        for slot in checkpoint.slots
    ]
    # ignore_conflicts: a concurrent planner may create the same week at the same time.
    Shift.objects.bulk_create(wanted, ignore_conflicts=True)
    return list(
        Shift.objects.filter(
            checkpoint=checkpoint, day__gte=start, day__lt=start + timedelta(days=days)
        ).order_by("starts_at")
    )


def shift_for(*, checkpoint: Checkpoint, at: datetime) -> Shift | None:
    """The shift that covers the moment `at`, created from the slots if missing. A slot that
    runs past midnight belongs to the day it starts. None when no slot covers `at`."""
    local = timezone.localtime(at)
    existing = Shift.objects.filter(
        checkpoint=checkpoint, starts_at__lte=at, ends_at__gt=at
    ).first()
    if existing is not None:
        return existing
    for day in (local.date(), local.date() - timedelta(days=1)):
        for slot in checkpoint.slots:
            starts, ends = slot_bounds(day, slot)
            if starts <= at < ends:
                shift, _created = Shift.objects.get_or_create(
                    checkpoint=checkpoint,
                    day=day,
                    slot=slot["code"],
                    defaults={
                        "unit_code": checkpoint.unit_code,
                        "label": slot["label"],
                        "starts_at": starts,
                        "ends_at": ends,
                        "minimum_total": checkpoint.minimum_total,
                        "minimum_by_kind": dict(checkpoint.minimum_by_kind),
                    },
                )
                return shift
    return None


def person_key_of(*, user: Any = None, member: Any = None, name: str = "", phone: str = "") -> str:
    """One person across shifts and checkpoints: the account, else the registry person behind
    a mobilisation member, else the name and phone."""
    if user is not None:
        return f"u:{user.pk}"
    if member is not None:
        return f"m:{member.person_id}"
    return f"p:{name}:{phone}"[:64]


def assignment_add(
    *,
    actor: Any,
    shift: Shift,
    staff_kind: str,
    user: Any = None,
    member: Any = None,
    person_name: str = "",
    phone: str = "",
    check_in_at: datetime | None = None,
) -> DutyAssignment:
    """Put a person on a shift: an account (`user`), a member of the mobilisation roster
    (`member`, e.g. a volunteer selected for a call), or a named person without either.

    Over-staffing, double booking and long hours are warnings of the roster page, never
    refusals: a commander may need a 17-hour day, but must see it. `check_in_at` records a
    walk-in who came without being planned.
    Precondition: the caller checked that `actor` may plan this shift's checkpoint.
    """
    errors: dict[str, str] = {}
    if staff_kind not in StaffKind.values:
        errors["staff_kind"] = STAFF_KIND_UNKNOWN
    name = " ".join((person_name or "").split())
    if user is not None:
        name = name or str(user)
        phone = phone or (user.mobile or "")
    elif member is not None:
        name = name or member.person.name
        phone = phone or member.person.mobile
    if not name:
        errors["person_name"] = NAME_REQUIRED
    elif len(name) > 40:
        errors["person_name"] = "姓名请控制在 40 字以内。"
    if phone:
        try:
            phone = normalize_mobile(phone)
        except ValueError as e:
            errors["phone"] = str(e)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return DutyAssignment.objects.create(
                shift=shift,
                unit_code=shift.unit_code,
                user=user,
                member=member if user is None else None,
                person_name=name,
                phone=phone,
                person_key=person_key_of(
                    user=user, member=member if user is None else None, name=name, phone=phone
                ),
                staff_kind=staff_kind,
                checked_in_at=check_in_at,
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"person_name": ALREADY_ON_SHIFT}) from None


def assignment_remove(*, actor: Any, assignment: DutyAssignment) -> None:
    """Take a person off a shift. Someone who has checked in stays on record."""
    if assignment.checked_in_at is not None:
        raise ValidationError({"assignment": "已签到的人员不能移出班次。"})
    assignment.delete()


def attendance_check_in(
    *, actor: Any, assignment: DutyAssignment, now: datetime | None = None
) -> DutyAssignment:
    """Record that the person came (到岗). Checking in twice keeps the first time."""
    now = now or timezone.now()
    shift = assignment.shift
    if now < shift.starts_at - CHECK_IN_OPENS:
        raise ValidationError({"checked_in_at": CHECK_IN_TOO_EARLY})
    if now >= shift.ends_at:
        raise ValidationError({"checked_in_at": CHECK_IN_TOO_LATE})
    updated = DutyAssignment.objects.filter(pk=assignment.pk, checked_in_at__isnull=True).update(
        checked_in_at=now
    )
    if updated:
        assignment.checked_in_at = now
    else:
        assignment.refresh_from_db(fields=["checked_in_at"])
    return assignment


def attendance_check_out(
    *, actor: Any, assignment: DutyAssignment, now: datetime | None = None
) -> DutyAssignment:
    """Record that the person left (离岗). Checking out twice keeps the first time."""
    now = now or timezone.now()
    if assignment.checked_in_at is None:
        raise ValidationError({"checked_out_at": CHECK_OUT_FIRST_IN})
    updated = DutyAssignment.objects.filter(pk=assignment.pk, checked_out_at__isnull=True).update(
        checked_out_at=max(now, assignment.checked_in_at)
    )
    if updated:
        assignment.checked_out_at = max(now, assignment.checked_in_at)
    else:
        assignment.refresh_from_db(fields=["checked_out_at"])
    return assignment


def shift_handover(*, actor: Any, shift: Shift, note: str, now: datetime | None = None) -> Shift:
    """Write the handover note (交班记录) for the next shift. A later note replaces it."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": NOTE_REQUIRED})
    if len(note) > 1000:
        raise ValidationError({"note": NOTE_TOO_LONG})
    shift.handover_note = note
    shift.handover_by = actor
    shift.handover_at = now or timezone.now()
    shift.save(update_fields=["handover_note", "handover_by", "handover_at"])
    return shift
