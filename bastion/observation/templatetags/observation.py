"""Template filters of the observation pages: durations in Chinese, grid cells, masking."""

from datetime import timedelta
from typing import Any

from django import template

from bastion.core.masking import mask_mobile, mask_name

register = template.Library()

CELL = {
    "seen_ok": ("cell-ok", "✓", "正常"),
    "seen_not_ok": ("cell-bad", "!", "异常"),
    "missed": ("cell-missed", "✗", "漏报"),
    "not_due": ("cell-due", "·", "未到时间"),
    "not_applicable": ("cell-na", "", "不适用"),
}


@register.filter
def duration_zh(value: timedelta | None) -> str:
    """`timedelta(hours=26, minutes=5)` → "1天2小时5分"; None → "—"."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    if minutes < 0:
        return "—"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days}天")
    if hours:
        parts.append(f"{hours}小时")
    if mins or not parts:
        parts.append(f"{mins}分")
    return "".join(parts)


@register.filter
def cell_class(state: str) -> str:
    return CELL.get(str(state), CELL["not_applicable"])[0]


@register.filter
def cell_mark(state: str) -> str:
    return CELL.get(str(state), CELL["not_applicable"])[1]


@register.filter
def cell_label(state: str) -> str:
    return CELL.get(str(state), CELL["not_applicable"])[2]


@register.filter
def masked_name(value: str) -> str:
    return mask_name(value)


@register.filter
def shown_name(value: str, show: bool) -> str:
    """The full name for those who work with the person; `张*` for readers such as auditors."""
    return value if show else mask_name(value)


@register.filter
def masked_mobile(value: str) -> str:
    return mask_mobile(value)


@register.filter
def symptom_names(codes: Any, labels: dict[str, str]) -> str:
    return "、".join(labels.get(c, c) for c in codes or ())


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def slot_name(alert: Any) -> str:
    """The label of an alert's slot under its observation's policy ("早", "晚")."""
    for slot in alert.observation.policy.slots:
        if slot["code"] == alert.slot:
            return str(slot.get("label", alert.slot))
    return str(alert.slot)
