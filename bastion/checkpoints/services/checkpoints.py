"""Writes of checkpoint master data (卡点): the unit, its details, its shift pattern."""

import re
from datetime import date, time
from typing import Any

from django.db import transaction

from bastion.checkpoints.models import Checkpoint, CheckpointKind, StaffKind
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.validators import normalize_mobile
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.orgs.services import unit_create

PARENT_NOT_TERRITORIAL = "卡点只能设在市、县区、乡镇（街道）或村（社区）之下。"
KIND_UNKNOWN = "请选择卡点类型。"
DATES_REVERSED = "撤除日期不能早于启用日期。"
SERVING_UNKNOWN = "未知的参与力量：{kinds}。"
SLOTS_EMPTY = "至少需要一个班次。"
SLOT_BAD = "第 {n} 个班次有误：{reason}"
SLOTS_OVERLAP = "班次时间重叠：{a} 与 {b}。"
MINIMUM_BAD = "每班各类最少人数应为 0–20 的整数。"
HOURS_BAD = "24 小时内最长在岗时间应为 1–24 小时。"

_SLOT_CODE = re.compile(r"^[a-z0-9_]{1,16}$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

UPDATABLE = frozenset(
    {
        "kind",
        "place",
        "responsible_unit",
        "person_in_charge",
        "phone",
        "opens_on",
        "closes_on",
        "serving_kinds",
        "slots",
        "minimum_total",
        "minimum_by_kind",
        "max_hours_in_24",
    }
)


def slot_start(slot: dict[str, Any]) -> time:
    hours, minutes = str(slot["starts"]).split(":")
    return time(int(hours), int(minutes))


def _clean_slots(slots: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    """Slots as {code, label, starts "HH:MM", hours}; they may not overlap within a day cycle."""
    if not isinstance(slots, list) or not slots:
        errors["slots"] = SLOTS_EMPTY
        return []
    cleaned: list[dict[str, Any]] = []
    for n, slot in enumerate(slots, start=1):
        reason = ""
        if not isinstance(slot, dict):
            reason = "格式不对"
        elif not _SLOT_CODE.match(str(slot.get("code", ""))):
            reason = "代码只能用小写字母、数字和下划线"
        elif not str(slot.get("label", "")).strip() or len(str(slot["label"])) > 20:
            reason = "请填写 20 字以内的名称"
        elif not _HHMM.match(str(slot.get("starts", ""))):
            reason = "开始时间应写成 HH:MM，例如 08:00"
        elif not isinstance(slot.get("hours"), int) or not 1 <= slot["hours"] <= 24:
            reason = "时长应为 1–24 小时"
        if reason:
            errors["slots"] = SLOT_BAD.format(n=n, reason=reason)
            return []
        cleaned.append(
            {
                "code": slot["code"],
                "label": str(slot["label"]).strip(),
                "starts": slot["starts"],
                "hours": slot["hours"],
            }
        )
    if len({s["code"] for s in cleaned}) != len(cleaned):
        errors["slots"] = SLOT_BAD.format(n=len(cleaned), reason="代码重复")
        return []
    ordered = sorted(cleaned, key=lambda s: str(s["starts"]))
    minutes = [slot_start(s).hour * 60 + slot_start(s).minute for s in ordered]
    for i, slot in enumerate(ordered):
        # The next slot's start, wrapping round to tomorrow's first slot.
        next_start = minutes[i + 1] if i + 1 < len(ordered) else minutes[0] + 24 * 60
        if minutes[i] + slot["hours"] * 60 > next_start:
            other = ordered[(i + 1) % len(ordered)]
            errors["slots"] = SLOTS_OVERLAP.format(a=slot["label"], b=other["label"])
            return []
    return ordered


def _clean(fields: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    out = dict(fields)
    if "kind" in fields and fields["kind"] not in CheckpointKind.values:
        errors["kind"] = KIND_UNKNOWN
    for key in ("place", "person_in_charge"):
        if key in fields:
            out[key] = (fields[key] or "").strip()
    if fields.get("phone"):
        try:
            out["phone"] = normalize_mobile(fields["phone"])
        except ValueError as e:
            errors["phone"] = str(e)
    elif "phone" in fields:
        out["phone"] = ""
    opens: date | None = fields.get("opens_on")
    closes: date | None = fields.get("closes_on")
    if opens and closes and closes < opens:
        errors["closes_on"] = DATES_REVERSED
    if "serving_kinds" in fields:
        kinds = list(dict.fromkeys(fields["serving_kinds"] or []))
        unknown = [k for k in kinds if k not in StaffKind.values]
        if unknown:
            errors["serving_kinds"] = SERVING_UNKNOWN.format(kinds="、".join(map(str, unknown)))
        out["serving_kinds"] = kinds
    if "slots" in fields:
        out["slots"] = _clean_slots(fields["slots"], errors)
    if "minimum_by_kind" in fields:
        minimums = fields["minimum_by_kind"] or {}
        if not isinstance(minimums, dict) or any(
            k not in StaffKind.values or not isinstance(v, int) or not 0 <= v <= 20
            for k, v in minimums.items()
        ):
            errors["minimum_by_kind"] = MINIMUM_BAD
        else:
            out["minimum_by_kind"] = {k: v for k, v in minimums.items() if v}
    if "minimum_total" in fields and not 0 <= int(fields["minimum_total"]) <= 50:
        errors["minimum_total"] = "每班最少人数应为 0–50。"
    if "max_hours_in_24" in fields and not 1 <= int(fields["max_hours_in_24"]) <= 24:
        errors["max_hours_in_24"] = HOURS_BAD
    return out


def _checked_fields(
    *,
    kind: str,
    place: str,
    person_in_charge: str,
    phone: str,
    opens_on: date | None,
    closes_on: date | None,
    serving_kinds: list[str] | None,
    slots: list[dict[str, Any]] | None,
    minimum_total: int,
    minimum_by_kind: dict[str, int] | None,
    max_hours_in_24: int,
    errors: dict[str, str],
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": kind,
        "place": place,
        "person_in_charge": person_in_charge,
        "phone": phone,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "serving_kinds": serving_kinds or [],
        "minimum_total": minimum_total,
        "max_hours_in_24": max_hours_in_24,
    }
    if slots is not None:
        fields["slots"] = slots
    if minimum_by_kind is not None:
        fields["minimum_by_kind"] = minimum_by_kind
    return _clean(fields, errors)


def checkpoint_create(
    *,
    actor: Any,
    parent: OrgUnit,
    name: str,
    kind: str,
    place: str = "",
    responsible_unit: OrgUnit | None = None,
    person_in_charge: str = "",
    phone: str = "",
    opens_on: date | None = None,
    closes_on: date | None = None,
    serving_kinds: list[str] | None = None,
    slots: list[dict[str, Any]] | None = None,
    minimum_total: int = 2,
    minimum_by_kind: dict[str, int] | None = None,
    max_hours_in_24: int = 12,
    aliases: str = "",
) -> Checkpoint:
    """Set up a checkpoint: an OrgUnit of kind checkpoint under `parent` plus its details.

    Precondition: the caller checked that `actor` manages checkpoints in `parent`.
    """
    errors: dict[str, str] = {}
    if parent.kind != Kind.TERRITORIAL or parent.level == Level.GRID:
        errors["parent"] = PARENT_NOT_TERRITORIAL
    if not name.strip():
        errors["name"] = "请填写卡点名称。"
    cleaned = _checked_fields(
        kind=kind,
        place=place,
        person_in_charge=person_in_charge,
        phone=phone,
        opens_on=opens_on,
        closes_on=closes_on,
        serving_kinds=serving_kinds,
        slots=slots,
        minimum_total=minimum_total,
        minimum_by_kind=minimum_by_kind,
        max_hours_in_24=max_hours_in_24,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        unit = unit_create(parent=parent, name=name, kind=Kind.CHECKPOINT, aliases=aliases)
        return Checkpoint.objects.create(
            unit=unit,
            unit_code=unit.code,
            responsible_unit=responsible_unit,
            created_by=actor,
            **cleaned,
        )


def checkpoint_attach(
    *,
    actor: Any,
    unit: OrgUnit,
    kind: str,
    place: str = "",
    responsible_unit: OrgUnit | None = None,
    person_in_charge: str = "",
    phone: str = "",
    opens_on: date | None = None,
    closes_on: date | None = None,
    serving_kinds: list[str] | None = None,
    slots: list[dict[str, Any]] | None = None,
    minimum_total: int = 2,
    minimum_by_kind: dict[str, int] | None = None,
    max_hours_in_24: int = 12,
) -> Checkpoint:
    """Give an existing checkpoint unit (made in the org tree) its checkpoint details."""
    errors: dict[str, str] = {}
    if unit.kind != Kind.CHECKPOINT:
        errors["unit"] = "只有“卡点”类别的单元才能登记卡点信息。"
    elif Checkpoint.objects.filter(unit=unit).exists():
        errors["unit"] = "该卡点已有卡点信息。"
    cleaned = _checked_fields(
        kind=kind,
        place=place,
        person_in_charge=person_in_charge,
        phone=phone,
        opens_on=opens_on,
        closes_on=closes_on,
        serving_kinds=serving_kinds,
        slots=slots,
        minimum_total=minimum_total,
        minimum_by_kind=minimum_by_kind,
        max_hours_in_24=max_hours_in_24,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    return Checkpoint.objects.create(
        unit=unit,
        unit_code=unit.code,
        responsible_unit=responsible_unit,
        created_by=actor,
        **cleaned,
    )


def checkpoint_update(
    *, actor: Any, checkpoint: Checkpoint, version: int, **changes: Any
) -> Checkpoint:
    """Change a checkpoint's details. A stale `version` raises StaleVersion (409).

    Precondition: the caller checked that `actor` manages this checkpoint.
    """
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "该字段不能修改。"})
    errors: dict[str, str] = {}
    merged = {
        "opens_on": checkpoint.opens_on,
        "closes_on": checkpoint.closes_on,
        **changes,
    }
    cleaned = _clean(merged, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
        if current.version != version:
            raise StaleVersion(current)
        for key in changes:
            setattr(current, key, cleaned[key])
        current.version += 1
        current.save()
    return current
