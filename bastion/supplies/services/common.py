"""What the ledger and the donation writers share: limits, messages, checks, the access log."""

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import AccessLog, Action
from bastion.audit.services import access_log_write
from bastion.core.errors import ValidationError
from bastion.orgs.models import OrgUnit
from bastion.supplies.models import Item

MAX_QUANTITY = 10_000_000
MAX_MONEY = Decimal("9999999999.99")
# Nothing of this epidemic happened before December 2019.
EARLIEST = date(2019, 12, 1)
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)

UNIT_NOT_IN_SCOPE = "单位不存在或不在您的辖区内。"
ITEM_INACTIVE = "该物资已停用。"
QUANTITY_POSITIVE = "数量必须大于 0。"
QUANTITY_TOO_LARGE = "数量过大，请核对。"
COUNT_NEGATIVE = "盘点数不能为负数。"
COUNT_UNCHANGED = "盘点数与账面数一致，无需调整。"
SOURCE_REQUIRED = "请选择来源（采购或上级调拨）。"
DONATION_VIA_REGISTER = "捐赠物资请在“捐赠登记”中录入，以便公示。"
RECIPIENT_REQUIRED = "请填写发放对象。"
DESTINATION_REQUIRED = "请选择调入单位。"
DESTINATION_SELF = "调入单位不能是本单位。"
HOUSEHOLD_OUTSIDE = "住户不在本单位辖区内。"
OCCURRED_IN_FUTURE = "发生时间不能晚于现在。"
OCCURRED_TOO_EARLY = "发生时间过早，请核对。"
UUID_TAKEN = "client_uuid 已被另一条记录使用。"
DONOR_REQUIRED = "请填写捐赠方名称。"
DONOR_KIND_INVALID = "请选择捐赠方类别。"
MONEY_NEGATIVE = "金额不能为负数。"
MONEY_TOO_LARGE = "金额过大，请核对。"
MONEY_CENTS = "金额最多保留两位小数。"
NOTHING_DONATED = "请填写捐款金额或捐赠物资。"
DONATED_IN_FUTURE = "捐赠日期不能晚于今天。"
DONATED_TOO_EARLY = "捐赠日期过早，请核对。"
RECEIPT_NO_TAKEN = "该收据编号已登记。"
MINIMUM_INVALID = "最低库存须在 0 到 10000000 之间。"

# Transfer-in and donation receipts take UUIDs derived from the client's UUID.
_DERIVED = uuid.UUID("6f1c2b8e-2020-4c3a-9d5e-b0a57104a1e5")


def insufficient_stock(item: Item, on_hand: int, verb: str, quantity: int) -> str:
    measure = item.get_measure_display()
    return f"库存不足：{item.name}现有{on_hand}{measure}，不能{verb}{quantity}{measure}。"


def derived_uuid(client_uuid: uuid.UUID, part: str) -> uuid.UUID:
    return uuid.uuid5(_DERIVED, f"{client_uuid}/{part}")


def check_unit(actor: Any, unit: OrgUnit, capability: Capability, errors: dict[str, str]) -> None:
    if not unit.is_active or not code_in_scope(actor, unit.code, capability):
        errors["unit"] = UNIT_NOT_IN_SCOPE


def check_item(item: Item, errors: dict[str, str]) -> None:
    if not item.is_active:
        errors["item"] = ITEM_INACTIVE


def check_quantity(quantity: int, errors: dict[str, str], field: str = "quantity") -> None:
    if quantity < 1:
        errors[field] = QUANTITY_POSITIVE
    elif quantity > MAX_QUANTITY:
        errors[field] = QUANTITY_TOO_LARGE


def occurred_when(occurred_at: datetime | None, now: datetime, errors: dict[str, str]) -> datetime:
    if occurred_at is None:
        return now
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + CLOCK_SKEW:
        errors["occurred_at"] = OCCURRED_IN_FUTURE
    elif occurred_at.date() < EARLIEST:
        errors["occurred_at"] = OCCURRED_TOO_EARLY
    return occurred_at


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def clean_text(text: str, limit: int) -> str:
    return " ".join((text or "").split())[:limit]


def supplies_access_log(
    *,
    actor: Any,
    action: Action,
    object_type: str,
    unit_code: str = "",
    reason: str = "",
    channel: str = "web",
    **detail: Any,
) -> AccessLog:
    """Log a list or export of the ledger or the donations: counterparties and individual
    donors can be private persons."""
    return access_log_write(
        user=actor,
        action=action,
        object_type=object_type,
        unit_code=unit_code,
        reason=reason,
        detail={k: v for k, v in detail.items() if v not in (None, "")},
        channel=channel,
    )


# The common items of 2020, as the data migration 0002 seeds them: name, category, measure,
# pieces per box. `items_ensure` puts them back where a database lost them (a flushed test
# database).
COMMON_ITEMS: list[tuple[str, str, str, int | None]] = [
    ("口罩", "mask", "piece", 50),
    ("医用外科口罩", "mask", "piece", 50),
    ("N95 口罩", "mask", "piece", 20),
    ("体温计", "thermometer", "stick", None),
    ("额温枪", "thermometer", "piece", None),
    ("84 消毒液", "disinfectant", "bottle", None),
    ("医用酒精", "disinfectant", "bottle", None),
    ("防护服", "protective", "set", None),
    ("护目镜", "protective", "pair", None),
    ("手套", "protective", "pair", 50),
    ("生活物资包", "daily", "pack", None),
]


def items_ensure() -> dict[str, Item]:
    """The common items by name, created if missing (existing ones are left as they are)."""
    items = {}
    for position, (name, category, measure, per_box) in enumerate(COMMON_ITEMS, start=1):
        items[name], _created = Item.objects.get_or_create(
            name=name,
            defaults={
                "category": category,
                "measure": measure,
                "pieces_per_box": per_box,
                "position": position * 10,
            },
        )
    return items
