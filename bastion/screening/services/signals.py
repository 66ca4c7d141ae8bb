"""Writes for signals (线索). `signal_raise` is the one way any domain files a signal;
`signal_transition` is the one way any domain moves it through its states."""

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.validators import normalize_citizen_id, normalize_mobile, to_halfwidth
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Person
from bastion.screening.models import (
    CLOSED_STATUSES,
    NEXT_STATUSES,
    Signal,
    SignalEvent,
    SignalSource,
    SignalStatus,
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def responsible_village(unit: OrgUnit) -> OrgUnit:
    """Signals belong to a village (or its grid); a unit above a village cannot act on one."""
    if unit.level in (Level.VILLAGE, Level.GRID):
        return unit
    raise ValidationError({"unit": "线索必须落到具体的村（社区）或网格。"})


def signal_raise(
    *,
    unit: OrgUnit,
    source: str,
    reason: str,
    actor: Any = None,
    person: Person | None = None,
    subject_name: str = "",
    subject_id_number: str = "",
    subject_mobile: str = "",
    subject_address: str = "",
    found_at: datetime | None = None,
    client_uuid: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> tuple[Signal, bool]:
    """File a signal for the village `unit` to act on. Returns (signal, created).

    A replay with the same `client_uuid` returns the first signal, unchanged. Callers that
    raise signals inside their own transaction (a checkpoint hand-over) get it atomically.
    `details` keeps what the source said beyond the subject (origin, dates, a list row).
    """
    unit = responsible_village(unit)
    if source not in SignalSource.values:
        raise ValidationError({"source": "未知的线索来源。"})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请写明线索事由。"})
    if person is None and not (subject_name or subject_id_number or subject_mobile):
        raise ValidationError({"person": "请至少提供姓名、身份证号或手机号之一。"})
    if client_uuid is not None:
        existing = Signal.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():
            signal = Signal.objects.create(
                unit=unit,
                unit_code=unit.code,
                person=person,
                subject_name=subject_name or (person.name if person else ""),
                subject_id_number=subject_id_number,
                subject_mobile=subject_mobile,
                subject_address=subject_address,
                source=source,
                reason=reason[:300],
                found_at=found_at or now,
                created_by=actor,
                client_uuid=client_uuid,
                details=details or {},
            )
            SignalEvent.objects.create(
                signal=signal, status=SignalStatus.NEW, actor=actor, at=now, note=reason[:300]
            )
    except IntegrityError:
        # A concurrent twin with the same client UUID won; its signal is the answer.
        existing = Signal.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return existing, False
    return signal, True


def _check_forward_target(signal: Signal, target: OrgUnit | None, errors: dict[str, str]) -> None:
    if target is None:
        errors["forwarded_to"] = "请选择要转交的村（社区）。"
    elif (
        not target.is_active
        or target.kind != Kind.TERRITORIAL
        or target.level not in (Level.VILLAGE, Level.GRID)
    ):
        errors["forwarded_to"] = "只能转交给村（社区）或网格。"
    elif target.code == signal.unit_code:
        errors["forwarded_to"] = "不能转交给线索所在的单元。"


def signal_transition(
    *,
    actor: Any,
    signal: Signal,
    to_status: str,
    note: str = "",
    forwarded_to: OrgUnit | None = None,
    now: datetime | None = None,
    version: int | None = None,
) -> Signal:
    """Move a signal to its next status (线索处置) and return the updated signal.

    The machine: new → verifying → under_observation / cleared / forwarded / not_found; a
    closed status is final. Closing a new signal at once records its pass through
    "verifying" too. Reaching a closed status stores who handled it, when, and the
    found → handled latency. Forwarding (转其他辖区) creates a new signal for the target
    village, linked by `forwarded_from`, with the original time found.

    Optimistic concurrency: `version` (default `signal.version`, the copy the caller holds)
    must still be current, else `StaleVersion` carries the current row and nothing is
    written. The caller has checked that `actor` may act on the signal's unit; the target of
    a forward may lie anywhere.
    """
    errors: dict[str, str] = {}
    if to_status not in SignalStatus.values:
        errors["to_status"] = "未知的线索状态。"
    clean_note = _CONTROL.sub("", note or "").strip()
    if len(clean_note) > 300:
        errors["note"] = "说明不能超过 300 个字。"
    if to_status == SignalStatus.FORWARDED:
        _check_forward_target(signal, forwarded_to, errors)
    elif forwarded_to is not None:
        errors["forwarded_to"] = "只有转其他辖区时才需要选择转交单元。"
    if to_status == SignalStatus.CLEARED and not clean_note and "note" not in errors:
        errors["note"] = "请写明排除的理由。"
    if errors:
        raise ValidationError(errors)
    at = now or timezone.now()
    expected = signal.version if version is None else version
    with transaction.atomic():
        current = (
            Signal.objects.select_for_update(of=("self",)).select_related("unit").get(pk=signal.pk)
        )
        if current.version != expected:
            raise StaleVersion(current)
        if to_status not in NEXT_STATUSES.get(current.status, ()):
            if current.status in CLOSED_STATUSES:
                message = f"该线索已处置（{current.get_status_display()}），不能再改变状态。"
            else:
                message = (
                    f"线索不能从“{current.get_status_display()}”"
                    f"改为“{SignalStatus(to_status).label}”。"
                )
            raise ValidationError({"to_status": message})
        events = []
        if current.status == SignalStatus.NEW and to_status != SignalStatus.VERIFYING:
            events.append(
                SignalEvent(signal=current, status=SignalStatus.VERIFYING, actor=actor, at=at)
            )
        events.append(
            SignalEvent(signal=current, status=to_status, note=clean_note, actor=actor, at=at)
        )
        current.status = to_status
        if to_status in CLOSED_STATUSES:
            current.handled_at = at
            current.handled_by = actor
            current.handling_seconds = max(0, int((at - current.found_at).total_seconds()))
        if to_status == SignalStatus.FORWARDED and forwarded_to is not None:
            current.forwarded_to = forwarded_to
            forward = Signal.objects.create(
                unit=forwarded_to,
                unit_code=forwarded_to.code,
                person=current.person,
                subject_name=current.subject_name,
                subject_id_number=current.subject_id_number,
                subject_mobile=current.subject_mobile,
                subject_address=current.subject_address,
                source=current.source,
                reason=current.reason,
                found_at=current.found_at,
                forwarded_from=current,
                details=current.details,
                created_by=actor,
            )
            intro = f"由{current.unit.name}转来"
            events.append(
                SignalEvent(
                    signal=forward,
                    status=SignalStatus.NEW,
                    actor=actor,
                    at=at,
                    note=(f"{intro}：{clean_note}" if clean_note else intro)[:300],
                )
            )
        current.version += 1
        current.save()
        SignalEvent.objects.bulk_create(events)
        if getattr(actor, "pk", None) is not None:
            access_log_write(
                user=actor,
                action=Action.UPDATE,
                object_type="signal",
                object_id=current.pk,
                unit_code=current.unit_code,
                detail={"status": to_status},
            )
    return current


def _clean(value: str | None, limit: int, field: str, label: str, errors: dict[str, str]) -> str:
    text = re.sub(r"\s+", " ", to_halfwidth(value or "")).strip()
    if _CONTROL.search(text):
        errors[field] = f"{label}含有无效字符。"
    elif len(text) > limit:
        errors[field] = f"{label}不能超过 {limit} 个字。"
    return text


# What staff may type in by hand (登记线索): the other sources raise their own signals.
STAFF_SOURCES = (SignalSource.HOTLINE, SignalSource.STAFF, SignalSource.OTHER)


def signal_file(
    *,
    actor: Any,
    unit: OrgUnit | None,
    reason: str,
    source: str = SignalSource.HOTLINE,
    subject_name: str = "",
    subject_id_number: str = "",
    subject_mobile: str = "",
    subject_address: str = "",
    found_at: datetime | None = None,
    client_uuid: uuid.UUID | None = None,
    now: datetime | None = None,
) -> tuple[Signal, bool]:
    """File a signal that staff typed in (热线来电登记): validated like every form, then raised
    for `unit`, a village or grid the actor handles signals for."""
    errors: dict[str, str] = {}
    now = now or timezone.now()
    if unit is None or not code_in_scope(actor, unit.code, Capability.HANDLE_SIGNALS):
        errors["unit"] = "请选择您辖区内的村（社区）或网格。"
    elif unit.level not in (Level.VILLAGE, Level.GRID):
        errors["unit"] = "线索必须落到具体的村（社区）或网格。"
    if source not in STAFF_SOURCES:
        errors["source"] = "工作人员只能登记热线来电、工作人员发现或其他来源的线索。"
    name = _clean(subject_name, 40, "subject_name", "姓名", errors)
    address = _clean(subject_address, 200, "subject_address", "住址", errors)
    clean_reason = _clean(reason, 300, "reason", "事由", errors)
    if not clean_reason and "reason" not in errors:
        errors["reason"] = "请写明线索事由。"
    id_number = ""
    if subject_id_number and subject_id_number.strip():
        try:
            id_number = normalize_citizen_id(subject_id_number)
        except ValueError as e:
            errors["subject_id_number"] = str(e)
    mobile = ""
    if subject_mobile and subject_mobile.strip():
        try:
            mobile = normalize_mobile(subject_mobile)
        except ValueError as e:
            errors["subject_mobile"] = str(e)
    if (
        not (name or id_number or mobile)
        and not {
            "subject_name",
            "subject_id_number",
            "subject_mobile",
        }
        & errors.keys()
    ):
        errors["subject_name"] = "请至少提供姓名、身份证号或手机号之一。"
    if found_at is not None and found_at > now + timedelta(minutes=5):
        errors["found_at"] = "发现时间不能晚于现在。"
    if errors or unit is None:
        raise ValidationError(errors)
    signal, created = signal_raise(
        unit=unit,
        source=source,
        reason=clean_reason,
        actor=actor,
        subject_name=name,
        subject_id_number=id_number,
        subject_mobile=mobile,
        subject_address=address,
        found_at=found_at or now,
        client_uuid=client_uuid,
    )
    if created:
        access_log_write(
            user=actor,
            action=Action.CREATE,
            object_type="signal",
            object_id=signal.pk,
            unit_code=signal.unit_code,
            detail={"source": source},
        )
    return signal, created


def signal_phone_reveal(*, actor: Any, signal: Signal, channel: str = "web") -> str:
    """The full phone of a signal's subject, to call them (电话核实); logged as a reveal.
    The caller has checked REVEAL_PERSONAL_DATA over the signal's unit."""
    phone = signal.subject_mobile or (signal.person.mobile if signal.person else "")
    access_log_write(
        user=actor,
        action=Action.REVEAL,
        object_type="signal",
        object_id=signal.pk,
        unit_code=signal.unit_code,
        field="mobile",
        reason="电话核实线索",
        channel=channel,
    )
    return phone


def signal_list_log(
    *, actor: Any, count: int, unit_code: str = "", channel: str = "web", **detail: Any
) -> None:
    """Record that `actor` listed signals (their subjects are personal data)."""
    access_log_write(
        user=actor,
        action=Action.LIST,
        object_type="signal",
        unit_code=unit_code,
        detail={"count": count, **{k: v for k, v in detail.items() if v not in (None, "")}},
        channel=channel,
    )


def signal_view_log(*, actor: Any, signal: Signal, channel: str = "web") -> None:
    access_log_write(
        user=actor,
        action=Action.VIEW,
        object_type="signal",
        object_id=signal.pk,
        unit_code=signal.unit_code,
        channel=channel,
    )
