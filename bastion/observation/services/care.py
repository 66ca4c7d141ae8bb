"""Writes of what an observed household receives: supplies (送物资) and care visits (关爱上门,
e.g. the home prenatal check of the article, 上门产检)."""

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.core.errors import ValidationError
from bastion.observation.models import (
    CareKind,
    CareVisit,
    CareVisitStatus,
    Observation,
    ObservationStatus,
    SupplyDelivery,
    SupplyItem,
)
from bastion.observation.services.observations import NOTE_MAX, clean_text
from bastion.people.models import Person

S = ObservationStatus


def supply_deliver(
    *,
    actor: Any,
    observation: Observation,
    item: str,
    quantity: int,
    delivered_on: date,
    client_uuid: uuid.UUID,
    note: str = "",
    now: datetime | None = None,
) -> tuple[SupplyDelivery, bool]:
    """送物资: record what was handed to the household. A replayed UUID returns the first."""
    existing = SupplyDelivery.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return existing, False
    errors: dict[str, str] = {}
    clean_note = clean_text(note, 100, "note", errors)
    if item not in SupplyItem.values:
        errors["item"] = "请选择物资。"
    if not 1 <= quantity <= 10_000:
        errors["quantity"] = "数量应在 1–10000 之间。"
    if delivered_on > timezone.localdate(now or timezone.now()):
        errors["delivered_on"] = "送达日期不能晚于今天。"
    if observation.status != S.ACTIVE:
        errors["item"] = "该医学观察已结束，不能再登记物资。"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            delivery = SupplyDelivery.objects.create(
                observation=observation,
                unit_code=observation.unit_code,
                item=item,
                quantity=quantity,
                note=clean_note,
                delivered_on=delivered_on,
                recorded_by=actor,
                client_uuid=client_uuid,
            )
    except IntegrityError:
        return SupplyDelivery.objects.get(client_uuid=client_uuid), False
    return delivery, True


def care_visit_schedule(
    *,
    actor: Any,
    observation: Observation,
    kind: str,
    due_on: date,
    client_uuid: uuid.UUID,
    note: str = "",
) -> tuple[CareVisit, bool]:
    """安排关爱上门: a pregnant woman's home prenatal check (上门产检), medicine for a chronic
    patient, a visit to an elderly person living alone."""
    existing = CareVisit.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return existing, False
    errors: dict[str, str] = {}
    clean_note = clean_text(note, NOTE_MAX, "note", errors)
    if kind not in CareKind.values:
        errors["kind"] = "请选择关爱事项。"
    if observation.status != S.ACTIVE:
        errors["kind"] = "该医学观察已结束，不能再安排上门。"
    elif not observation.start_date <= due_on <= observation.planned_end:
        errors["due_on"] = (
            f"计划日期应在观察期内（{observation.start_date:%m-%d} 至 "
            f"{observation.planned_end:%m-%d}）。"
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            visit = CareVisit.objects.create(
                observation=observation,
                unit_code=observation.unit_code,
                kind=kind,
                due_on=due_on,
                note=clean_note,
                scheduled_by=actor,
                client_uuid=client_uuid,
            )
    except IntegrityError:
        return CareVisit.objects.get(client_uuid=client_uuid), False
    return visit, True


def care_visit_record(
    *,
    actor: Any,
    visit: CareVisit,
    outcome: str,
    done_at: datetime | None = None,
    now: datetime | None = None,
) -> CareVisit:
    """记录上门: the visit happened. Recording it again changes nothing (a double tap)."""
    now = now or timezone.now()
    done_at = done_at or now
    errors: dict[str, str] = {}
    clean_outcome = clean_text(outcome, NOTE_MAX, "outcome", errors)
    if done_at > now + timedelta(minutes=5):
        errors["done_at"] = "上门时间不能晚于现在。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = CareVisit.objects.select_for_update().get(pk=visit.pk)
        if current.status == CareVisitStatus.DONE:
            return current
        if current.status == CareVisitStatus.CANCELLED:
            raise ValidationError({"outcome": "该上门安排已取消。"})
        current.status = CareVisitStatus.DONE
        current.done_at = done_at
        current.done_by = actor
        current.outcome = clean_outcome
        current.save(update_fields=["status", "done_at", "done_by", "outcome"])
    return current


def care_visit_cancel(*, actor: Any, visit: CareVisit, reason: str) -> CareVisit:
    errors: dict[str, str] = {}
    clean = clean_text(reason, NOTE_MAX, "outcome", errors)
    if not clean and not errors:
        errors["outcome"] = "请写明取消原因。"
    if errors:
        raise ValidationError(errors)
    updated = CareVisit.objects.filter(pk=visit.pk, status=CareVisitStatus.SCHEDULED).update(
        status=CareVisitStatus.CANCELLED, outcome=clean, done_by=actor
    )
    if not updated:
        raise ValidationError({"outcome": "只能取消尚未上门的安排。"})
    visit.refresh_from_db()
    return visit


def care_needs(person: Person) -> list[str]:
    """The care visits a person's care tags suggest (孕产妇 → 上门产检, …)."""
    needs: list[str] = []
    if person.is_pregnant:
        needs.append(CareKind.PRENATAL)
    if person.is_elderly_alone:
        needs.append(CareKind.ELDERLY)
    if person.is_chronic:
        needs.append(CareKind.MEDICINE)
    return needs
