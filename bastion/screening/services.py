"""Writes for screening. `signal_raise` is the one way any domain files a signal (线索)."""

import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.core.errors import ValidationError
from bastion.orgs.models import Level, OrgUnit
from bastion.people.models import Person
from bastion.screening.models import Signal, SignalEvent, SignalSource, SignalStatus


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
) -> tuple[Signal, bool]:
    """File a signal for the village `unit` to act on. Returns (signal, created).

    A replay with the same `client_uuid` returns the first signal, unchanged. Callers that
    raise signals inside their own transaction (a checkpoint hand-over) get it atomically.
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
