"""The stock ledger (物资台账): receipts, issues, transfers and counts.

Every write carries a client UUID: the same UUID again returns the first record unchanged
(`created` is False), so a phone that retries never doubles a movement.

Stock never goes below zero. A write that takes stock out runs in one transaction that first
locks the (unit, item) `Stock` row and only then sums the ledger:
- PostgreSQL: `SELECT … FOR UPDATE` on that row. A concurrent issue of the same item at the
  same unit waits for our commit; its sum is a new statement, so under READ COMMITTED it sees
  our movement.
- SQLite: `select_for_update()` is a no-op there, but the database runs with
  `transaction_mode = IMMEDIATE` (config/settings/base.py): BEGIN takes the write lock, so
  writing transactions run one after the other.
Receipts only add to stock and take no lock.
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.orgs.models import Kind, OrgUnit
from bastion.people.models import Household
from bastion.supplies.models import (
    CounterpartyKind,
    Item,
    MovementKind,
    ReceiptSource,
    Stock,
    StockMovement,
)
from bastion.supplies.services.common import (
    COUNT_NEGATIVE,
    COUNT_UNCHANGED,
    DESTINATION_REQUIRED,
    DESTINATION_SELF,
    DONATION_VIA_REGISTER,
    HOUSEHOLD_OUTSIDE,
    MAX_QUANTITY,
    MINIMUM_INVALID,
    QUANTITY_TOO_LARGE,
    RECIPIENT_REQUIRED,
    SOURCE_REQUIRED,
    UUID_TAKEN,
    check_item,
    check_quantity,
    check_unit,
    clean_text,
    derived_uuid,
    insufficient_stock,
    occurred_when,
    raise_if,
)


def on_hand(*, unit: OrgUnit, item: Item) -> int:
    """The unit's stock of `item`: the sum of its ledger."""
    total = StockMovement.objects.filter(unit_code=unit.code, item=item).aggregate(
        n=Coalesce(Sum("delta"), 0)
    )["n"]
    return int(total)


def _replayed(actor: Any, client_uuid: uuid.UUID) -> StockMovement | None:
    existing = (
        StockMovement.objects.select_related("unit", "item", "counterparty_unit", "actor")
        .filter(client_uuid=client_uuid)
        .first()
    )
    if existing is not None and not code_in_scope(
        actor, existing.unit_code, Capability.RECORD_STOCK
    ):
        raise ValidationError({"client_uuid": UUID_TAKEN})
    return existing


def _once(
    actor: Any, client_uuid: uuid.UUID, write: Callable[[], StockMovement]
) -> tuple[StockMovement, bool]:
    """Run `write` in a transaction unless `client_uuid` was recorded already."""
    existing = _replayed(actor, client_uuid)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return write(), True
    except IntegrityError:
        # A concurrent twin with the same UUID committed first: its record is the answer.
        existing = _replayed(actor, client_uuid)
        if existing is None:
            raise
        return existing, False


def _lock(item: Item, *units: OrgUnit) -> None:
    """Lock the (unit, item) Stock rows, creating them if needed, in code order so that two
    transfers in opposite directions cannot deadlock."""
    for unit in sorted(units, key=lambda u: u.code):
        Stock.objects.select_for_update().get_or_create(
            unit=unit, item=item, defaults={"unit_code": unit.code}
        )


def _movement(
    *, actor: Any, unit: OrgUnit, item: Item, kind: str, delta: int, **fields: Any
) -> StockMovement:
    return StockMovement.objects.create(
        unit=unit,
        unit_code=unit.code,
        item=item,
        kind=kind,
        quantity=abs(delta),
        delta=delta,
        actor=actor,
        **fields,
    )


def stock_receive(
    *,
    actor: Any,
    unit: OrgUnit,
    item: Item,
    quantity: int,
    source: str,
    client_uuid: uuid.UUID,
    counterparty: str = "",
    counterparty_kind: str = "",
    counterparty_unit: OrgUnit | None = None,
    occurred_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> tuple[StockMovement, bool]:
    """Receive goods (入库): bought, or allocated from above. Donated goods are received
    through `donation_record`, so that every donation reaches the public page."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    check_unit(actor, unit, Capability.RECORD_STOCK, errors)
    check_item(item, errors)
    check_quantity(quantity, errors)
    if source == ReceiptSource.DONATION:
        errors["source"] = DONATION_VIA_REGISTER
    elif source not in ReceiptSource.values:
        errors["source"] = SOURCE_REQUIRED
    when = occurred_when(occurred_at, now, errors)
    raise_if(errors)
    if counterparty_unit is not None:
        counterparty = counterparty or counterparty_unit.name
        counterparty_kind = counterparty_kind or CounterpartyKind.UNIT

    def write() -> StockMovement:
        return _movement(
            actor=actor,
            unit=unit,
            item=item,
            kind=MovementKind.RECEIPT,
            delta=quantity,
            source=source,
            counterparty=clean_text(counterparty, 100),
            counterparty_kind=counterparty_kind,
            counterparty_unit=counterparty_unit,
            occurred_at=when,
            note=clean_text(note, 200),
            client_uuid=client_uuid,
        )

    return _once(actor, client_uuid, write)


def stock_issue(
    *,
    actor: Any,
    unit: OrgUnit,
    item: Item,
    quantity: int,
    client_uuid: uuid.UUID,
    counterparty: str = "",
    counterparty_kind: str = "",
    counterparty_unit: OrgUnit | None = None,
    household: Household | None = None,
    occurred_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> tuple[StockMovement, bool]:
    """Issue goods (发放) to a household, a person under observation, a checkpoint, a team or
    a person. Refused if the unit has not got that much in stock."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    check_unit(actor, unit, Capability.RECORD_STOCK, errors)
    check_item(item, errors)
    check_quantity(quantity, errors)
    when = occurred_when(occurred_at, now, errors)
    if household is not None:
        if not (
            household.unit_code.startswith(unit.scope_prefix)
            and code_in_scope(actor, household.unit_code, Capability.RECORD_STOCK)
        ):
            errors["household"] = HOUSEHOLD_OUTSIDE
        counterparty = counterparty or household.address
        counterparty_kind = counterparty_kind or CounterpartyKind.HOUSEHOLD
    if counterparty_unit is not None:
        counterparty = counterparty or counterparty_unit.name
        is_checkpoint = counterparty_unit.kind == Kind.CHECKPOINT
        counterparty_kind = counterparty_kind or (
            CounterpartyKind.CHECKPOINT if is_checkpoint else CounterpartyKind.UNIT
        )
    counterparty = clean_text(counterparty, 100)
    if not counterparty:
        errors["counterparty"] = RECIPIENT_REQUIRED
    raise_if(errors)

    def write() -> StockMovement:
        _lock(item, unit)
        have = on_hand(unit=unit, item=item)
        if have < quantity:
            raise ValidationError(
                {
                    "quantity": insufficient_stock(
                        item, have, str(MovementKind.ISSUE.label), quantity
                    )
                }
            )
        return _movement(
            actor=actor,
            unit=unit,
            item=item,
            kind=MovementKind.ISSUE,
            delta=-quantity,
            counterparty=counterparty,
            counterparty_kind=counterparty_kind,
            counterparty_unit=counterparty_unit,
            household=household,
            occurred_at=when,
            note=clean_text(note, 200),
            client_uuid=client_uuid,
        )

    return _once(actor, client_uuid, write)


def stock_transfer(
    *,
    actor: Any,
    unit: OrgUnit,
    to_unit: OrgUnit | None,
    item: Item,
    quantity: int,
    client_uuid: uuid.UUID,
    occurred_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> tuple[StockMovement, bool]:
    """Transfer goods (调拨) to another unit: a transfer out here and a transfer in there,
    written together, so the two ledgers always balance. Returns the transfer out."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    check_unit(actor, unit, Capability.RECORD_STOCK, errors)
    check_item(item, errors)
    check_quantity(quantity, errors)
    when = occurred_when(occurred_at, now, errors)
    if to_unit is None or not to_unit.is_active:
        errors["counterparty_unit"] = DESTINATION_REQUIRED
        raise ValidationError(errors)
    if to_unit.pk == unit.pk:
        errors["counterparty_unit"] = DESTINATION_SELF
    raise_if(errors)

    def write() -> StockMovement:
        _lock(item, unit, to_unit)
        have = on_hand(unit=unit, item=item)
        if have < quantity:
            verb = str(MovementKind.TRANSFER_OUT.label)
            raise ValidationError({"quantity": insufficient_stock(item, have, verb, quantity)})
        note_ = clean_text(note, 200)
        out = _movement(
            actor=actor,
            unit=unit,
            item=item,
            kind=MovementKind.TRANSFER_OUT,
            delta=-quantity,
            counterparty=to_unit.name[:100],
            counterparty_kind=CounterpartyKind.UNIT,
            counterparty_unit=to_unit,
            occurred_at=when,
            note=note_,
            client_uuid=client_uuid,
        )
        _movement(
            actor=actor,
            unit=to_unit,
            item=item,
            kind=MovementKind.TRANSFER_IN,
            delta=quantity,
            counterparty=unit.name[:100],
            counterparty_kind=CounterpartyKind.UNIT,
            counterparty_unit=unit,
            transfer=out,
            occurred_at=when,
            note=note_,
            client_uuid=derived_uuid(client_uuid, "transfer_in"),
        )
        return out

    return _once(actor, client_uuid, write)


def stock_count(
    *,
    actor: Any,
    unit: OrgUnit,
    item: Item,
    counted: int,
    client_uuid: uuid.UUID,
    occurred_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> tuple[StockMovement, bool]:
    """Record a stock count (盘点): an adjustment brings the ledger to what was counted."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    check_unit(actor, unit, Capability.RECORD_STOCK, errors)
    check_item(item, errors)
    if counted < 0:
        errors["quantity"] = COUNT_NEGATIVE
    elif counted > MAX_QUANTITY:
        errors["quantity"] = QUANTITY_TOO_LARGE
    when = occurred_when(occurred_at, now, errors)
    raise_if(errors)

    def write() -> StockMovement:
        _lock(item, unit)
        delta = counted - on_hand(unit=unit, item=item)
        if delta == 0:
            raise ValidationError({"quantity": COUNT_UNCHANGED})
        return _movement(
            actor=actor,
            unit=unit,
            item=item,
            kind=MovementKind.ADJUST,
            delta=delta,
            occurred_at=when,
            note=clean_text(note, 200),
            client_uuid=client_uuid,
        )

    return _once(actor, client_uuid, write)


def movement_record(
    *,
    actor: Any,
    kind: str,
    unit: OrgUnit,
    item: Item,
    quantity: int,
    client_uuid: uuid.UUID,
    source: str = "",
    counterparty: str = "",
    counterparty_kind: str = "",
    counterparty_unit: OrgUnit | None = None,
    household: Household | None = None,
    occurred_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> tuple[StockMovement, bool]:
    """One entry point for every kind a client may send. For `adjust`, `quantity` is the
    counted stock (盘点实有数), and the movement records the difference."""
    common: dict[str, Any] = {
        "actor": actor,
        "unit": unit,
        "item": item,
        "client_uuid": client_uuid,
        "occurred_at": occurred_at,
        "note": note,
        "now": now,
    }
    if kind == MovementKind.RECEIPT:
        return stock_receive(
            **common,
            quantity=quantity,
            source=source,
            counterparty=counterparty,
            counterparty_kind=counterparty_kind,
            counterparty_unit=counterparty_unit,
        )
    if kind == MovementKind.ISSUE:
        return stock_issue(
            **common,
            quantity=quantity,
            counterparty=counterparty,
            counterparty_kind=counterparty_kind,
            counterparty_unit=counterparty_unit,
            household=household,
        )
    if kind == MovementKind.TRANSFER_OUT:
        return stock_transfer(**common, quantity=quantity, to_unit=counterparty_unit)
    if kind == MovementKind.ADJUST:
        return stock_count(**common, counted=quantity)
    raise ValidationError({"kind": "请选择入库、发放、调出或盘点。"})


def stock_minimum_set(*, actor: Any, unit: OrgUnit, item: Item, minimum: int) -> Stock:
    """Set the unit's minimum stock of an item (最低库存): below it the item is flagged."""
    errors: dict[str, str] = {}
    check_unit(actor, unit, Capability.RECORD_STOCK, errors)
    if not 0 <= minimum <= MAX_QUANTITY:
        errors["minimum"] = MINIMUM_INVALID
    raise_if(errors)
    stock, _created = Stock.objects.update_or_create(
        unit=unit, item=item, defaults={"unit_code": unit.code, "minimum": minimum}
    )
    return stock
