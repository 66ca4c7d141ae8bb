"""Writes for verification lists (核查名单): upload and route the rows to villages, a village
verifies each row, the uploader routes what could not be routed."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.validators import citizen_id_canonical, normalize_mobile
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Person
from bastion.screening.models import (
    RowStatus,
    SignalSource,
    SignalStatus,
    VerificationList,
    VerificationRow,
)
from bastion.screening.services.common import clean_text
from bastion.screening.services.routing import UnitRouter
from bastion.screening.services.signals import signal_raise, signal_transition

UPLOAD_LEVELS = (Level.COUNTY, Level.TOWNSHIP)
MAX_ROWS = 20_000


@dataclass
class ListRow:
    """A row of a pushed-down list as read from the file (values not yet trusted)."""

    sheet: str
    row: int
    name: str = ""
    id_number: str = ""
    mobile: str = ""
    address: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _normalised(row: ListRow) -> tuple[str, str]:
    try:
        id_number = citizen_id_canonical(row.id_number)[0] if row.id_number else ""
    except ValueError:
        id_number = ""
    try:
        mobile = normalize_mobile(row.mobile) if row.mobile else ""
    except ValueError:
        mobile = ""
    return id_number, mobile


class _Router:
    """The shared router (services.routing) fed with a list's rows as they were read."""

    def __init__(self, unit: OrgUnit, rows: Sequence[ListRow]) -> None:
        normalised = [_normalised(row) for row in rows]
        self.router = UnitRouter(unit, (i for i, _m in normalised), (m for _i, m in normalised))

    def route(self, row: ListRow) -> tuple[OrgUnit | None, str, Person | None]:
        id_number, mobile = _normalised(row)
        return self.router.route(id_number=id_number, mobile=mobile, address=row.address)


def _row_signal(vlist: VerificationList, row: VerificationRow, actor: Any) -> None:
    if row.unit is None:
        return
    signal, _created = signal_raise(
        unit=row.unit,
        source=SignalSource.VERIFICATION_LIST,
        reason=f"核查名单《{vlist.title}》{row.sheet}第 {row.row_number} 行，请核实"[:300],
        actor=actor,
        person=row.person,
        subject_name=row.name or (row.person.name if row.person else ""),
        subject_id_number=row.id_number[:18] if len(row.id_number) <= 18 else "",
        subject_mobile=row.mobile if len(row.mobile) == 11 else "",
        subject_address=row.address,
        details={"verification_row": row.pk, **row.extra},
    )
    row.signal = signal
    row.save(update_fields=["signal"])


def vlist_upload(
    *,
    actor: Any,
    unit: OrgUnit | None,
    title: str,
    rows: Sequence[ListRow],
    note: str = "",
    file_name: str = "",
) -> VerificationList:
    """Push a list down (下发核查名单) from a county or township: every row is routed to a
    village and becomes a signal there; unroutable rows stay with the uploader, listed."""
    errors: dict[str, str] = {}
    if unit is None or not code_in_scope(actor, unit.code, Capability.MANAGE_SCREENING):
        errors["unit"] = "请选择您辖区内的县（区）或乡镇（街道）。"
    elif unit.kind != Kind.TERRITORIAL or unit.level not in UPLOAD_LEVELS:
        errors["unit"] = "核查名单只能由县（区）或乡镇（街道）下发。"
    clean_title = clean_text(title, 100, "title", "名单名称", errors)
    if not clean_title and "title" not in errors:
        errors["title"] = "请填写名单名称。"
    clean_note = clean_text(note, 200, "note", "说明", errors)
    if not rows:
        errors["file"] = "名单中没有数据行。"
    elif len(rows) > MAX_ROWS:
        errors["file"] = f"一份名单最多 {MAX_ROWS} 行。"
    if errors or unit is None:
        raise ValidationError(errors)
    router = _Router(unit, rows)
    with transaction.atomic():
        vlist = VerificationList.objects.create(
            unit=unit,
            unit_code=unit.code,
            title=clean_title,
            note=clean_note,
            file_name=file_name[:200],
            uploaded_by=actor,
        )
        made = []
        for row in rows:
            target, routed_by, person = router.route(row)
            id_number, mobile = _normalised(row)
            made.append(
                VerificationRow(
                    vlist=vlist,
                    sheet=row.sheet[:60],
                    row_number=row.row,
                    name=row.name[:40],
                    id_number=(id_number or row.id_number)[:40],
                    mobile=(mobile or row.mobile)[:30],
                    address=row.address[:200],
                    extra=row.extra,
                    unit=target,
                    unit_code=target.code if target else unit.code,
                    routed_by=routed_by,
                    person=person,
                )
            )
        created = VerificationRow.objects.bulk_create(made, batch_size=1000)
        for vrow in created:
            _row_signal(vlist, vrow, actor)
        access_log_write(
            user=actor,
            action=Action.CREATE,
            object_type="verification_list",
            object_id=vlist.pk,
            unit_code=unit.code,
            detail={"rows": len(created), "routed": sum(1 for r in created if r.unit_id)},
        )
    return vlist


def vrow_route(*, actor: Any, row: VerificationRow, unit: OrgUnit | None) -> VerificationRow:
    """Send an unroutable row to a village by hand (手工分派)."""
    errors: dict[str, str] = {}
    if row.unit_id is not None:
        errors["unit"] = "该行已分派。"
    elif (
        unit is None
        or unit.level not in (Level.VILLAGE, Level.GRID)
        or not unit.code.startswith(row.vlist.unit.scope_prefix)
        or not code_in_scope(actor, unit.code, Capability.MANAGE_SCREENING)
    ):
        errors["unit"] = "请选择本名单范围内的村（社区）或网格。"
    if errors or unit is None:
        raise ValidationError(errors)
    with transaction.atomic():
        row.unit = unit
        row.unit_code = unit.code
        row.version += 1
        row.save(update_fields=["unit", "unit_code", "version"])
        _row_signal(row.vlist, row, actor)
    return row


VERIFY_STATUSES = (
    RowStatus.FOUND_CORRECT,
    RowStatus.FOUND_CORRECTED,
    RowStatus.NOT_HERE,
    RowStatus.UNREACHABLE,
)


def vrow_verify(
    *,
    actor: Any,
    row: VerificationRow,
    status: str,
    version: int,
    corrected_name: str = "",
    corrected_id_number: str = "",
    corrected_mobile: str = "",
    corrected_address: str = "",
    note: str = "",
    now: datetime | None = None,
) -> VerificationRow:
    """Record what the village found (核查结果). Corrections sit beside the original values.

    "Not here" closes the row's signal as not found; a person found moves it into
    verification, where the village decides on observation.
    """
    errors: dict[str, str] = {}
    if status not in VERIFY_STATUSES:
        errors["status"] = "请选择核查结果。"
    name = clean_text(corrected_name, 40, "corrected_name", "姓名", errors)
    address = clean_text(corrected_address, 200, "corrected_address", "住址", errors)
    clean_note = clean_text(note, 200, "note", "备注", errors)
    id_number = ""
    if corrected_id_number.strip():
        try:
            id_number = citizen_id_canonical(corrected_id_number)[0]
        except ValueError as e:
            errors["corrected_id_number"] = str(e)
    mobile = ""
    if corrected_mobile.strip():
        try:
            mobile = normalize_mobile(corrected_mobile)
        except ValueError as e:
            errors["corrected_mobile"] = str(e)
    corrections = {
        "corrected_name": name if name != row.name else "",
        "corrected_id_number": id_number if id_number != row.id_number else "",
        "corrected_mobile": mobile if mobile != row.mobile else "",
        "corrected_address": address if address != row.address else "",
    }
    if status == RowStatus.FOUND_CORRECTED and not any(corrections.values()) and not errors:
        errors["status"] = "选择“信息有误已更正”时，请至少填写一项与原值不同的更正。"
    if status != RowStatus.FOUND_CORRECTED and any(corrections.values()) and not errors:
        errors["status"] = "填写了更正内容时，请选择“已找到，信息有误已更正”。"
    if status in (RowStatus.NOT_HERE, RowStatus.UNREACHABLE) and not clean_note and not errors:
        errors["note"] = "请写明核查经过（例如走访、电话情况）。"
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        current = VerificationRow.objects.select_for_update().get(pk=row.pk)
        if current.version != version:
            raise StaleVersion(current)
        current.status = status
        for key, value in corrections.items():
            setattr(current, key, value)
        current.note = clean_note
        current.verified_by = actor
        current.verified_at = now
        current.version += 1
        current.save()
        signal = current.signal
        if signal is not None and signal.is_open:
            to_status = None
            if status == RowStatus.NOT_HERE:
                to_status, reason = SignalStatus.NOT_FOUND, clean_note
            elif status != RowStatus.UNREACHABLE and signal.status == SignalStatus.NEW:
                to_status, reason = SignalStatus.VERIFYING, "核查名单：已找到本人"
            if to_status is not None:
                current.signal = signal_transition(
                    actor=actor, signal=signal, to_status=to_status, note=reason, now=now
                )
    return current
