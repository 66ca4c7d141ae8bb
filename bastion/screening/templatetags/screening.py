"""Template filters of the screening pages: waits as people say them, masked subjects."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone

from bastion.core.masking import mask_id_number, mask_mobile
from bastion.screening.models import Signal, Transport

register = template.Library()


@register.filter
def duration(value: int | float | timedelta | None) -> str:
    """Seconds (or a timedelta) as "3 天 4 小时", "2 小时 5 分" or "12 分钟"."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    seconds = max(seconds, 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} 天 {hours} 小时"
    if hours:
        return f"{hours} 小时 {minutes} 分"
    return f"{minutes} 分钟"


@register.filter
def waited(since: datetime | None) -> str:
    """How long since `since`, e.g. how long an open signal has waited."""
    if since is None:
        return "—"
    return duration(timezone.now() - since)


@register.filter
def subject_mobile(signal: Signal) -> str:
    return mask_mobile(signal.subject_mobile or (signal.person.mobile if signal.person else ""))


@register.filter
def subject_id(signal: Signal) -> str:
    number = signal.subject_id_number or (signal.person.id_number if signal.person else "")
    return mask_id_number(number)


DETAIL_LABELS = {
    "origin_province": "出发地（省）",
    "origin_city": "出发地（市）",
    "origin_county": "出发地（县区）",
    "departed_on": "出发日期",
    "arrived_on": "抵达日期",
    "transport": "交通方式",
    "transport_no": "车次/航班/车牌",
    "companions_note": "同行人员",
    "high_risk": "来自高风险地区",
    "symptoms": "自述症状",
}


@register.filter
def detail_rows(signal: Signal) -> list[tuple[str, str]]:
    """A signal's details as (label, value) rows; internal references are left out."""
    rows = []
    for key, label in DETAIL_LABELS.items():
        value = signal.details.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif key == "transport":
            value = Transport(value).label if value in Transport.values else value
        rows.append((label, str(value)))
    return rows


@register.filter
def mask_id(value: str | None) -> str:
    return mask_id_number(value)


@register.filter
def mask_phone(value: str | None) -> str:
    return mask_mobile(value)
