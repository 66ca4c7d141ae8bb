"""The donation register (捐赠登记): money and goods, the goods entering the ledger."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import StaleVersion, ValidationError
from bastion.orgs.models import OrgUnit
from bastion.supplies.models import (
    CounterpartyKind,
    Donation,
    DonorKind,
    Item,
    MovementKind,
    ReceiptSource,
    StockMovement,
)
from bastion.supplies.services.common import (
    DONATED_IN_FUTURE,
    DONATED_TOO_EARLY,
    DONOR_KIND_INVALID,
    DONOR_REQUIRED,
    EARLIEST,
    MAX_MONEY,
    MONEY_CENTS,
    MONEY_NEGATIVE,
    MONEY_TOO_LARGE,
    NOTHING_DONATED,
    RECEIPT_NO_TAKEN,
    UUID_TAKEN,
    check_item,
    check_quantity,
    check_unit,
    clean_text,
    derived_uuid,
    raise_if,
)


def _money(value: Decimal | int | str, errors: dict[str, str]) -> Decimal:
    try:
        money = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors["money"] = MONEY_NEGATIVE
        return Decimal("0.00")
    if not money.is_finite() or money < 0:
        errors["money"] = MONEY_NEGATIVE
    elif money > MAX_MONEY:
        errors["money"] = MONEY_TOO_LARGE
    elif money != money.quantize(Decimal("0.01")):
        errors["money"] = MONEY_CENTS
    else:
        return money.quantize(Decimal("0.01"))
    return Decimal("0.00")


def _goods(goods: Sequence[tuple[Item, int]], errors: dict[str, str]) -> list[tuple[Item, int]]:
    """Merge lines of the same item; check each."""
    merged: dict[int, tuple[Item, int]] = {}
    for item, quantity in goods:
        check_item(item, errors)
        previous = merged.get(item.pk, (item, 0))[1]
        merged[item.pk] = (item, previous + quantity)
    for _item, quantity in merged.values():
        check_quantity(quantity, errors, field="goods")
    return list(merged.values())


def _donation_replayed(actor: Any, client_uuid: uuid.UUID) -> Donation | None:
    existing = Donation.objects.select_related("unit").filter(client_uuid=client_uuid).first()
    if existing is not None and not code_in_scope(
        actor, existing.unit_code, Capability.RECORD_DONATIONS
    ):
        raise ValidationError({"client_uuid": UUID_TAKEN})
    return existing


def _receipt_taken(unit: OrgUnit, receipt_no: str) -> bool:
    return bool(receipt_no) and Donation.objects.filter(unit=unit, receipt_no=receipt_no).exists()


def donation_record(
    *,
    actor: Any,
    unit: OrgUnit,
    donor_name: str,
    donor_kind: str,
    donated_on: date,
    client_uuid: uuid.UUID,
    money: Decimal | int | str = Decimal("0.00"),
    goods: Sequence[tuple[Item, int]] = (),
    receipt_no: str = "",
    purpose: str = "",
    public_consent: bool = False,
    usage_notes: str = "",
    now: datetime | None = None,
) -> tuple[Donation, bool]:
    """Register a donation (捐赠登记) of money and/or goods to `unit`.

    The goods become receipt movements of the recipient unit in the same transaction: a
    donation is never on the public page without its goods in the ledger, nor the reverse.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: dict[str, str] = {}
    check_unit(actor, unit, Capability.RECORD_DONATIONS, errors)
    donor_name = clean_text(donor_name, 100)
    if not donor_name:
        errors["donor_name"] = DONOR_REQUIRED
    if donor_kind not in DonorKind.values:
        errors["donor_kind"] = DONOR_KIND_INVALID
    amount = _money(money, errors)
    lines = _goods(goods, errors)
    if "money" not in errors and "goods" not in errors and amount == 0 and not lines:
        errors["money"] = NOTHING_DONATED
    if donated_on > today:
        errors["donated_on"] = DONATED_IN_FUTURE
    elif donated_on < EARLIEST:
        errors["donated_on"] = DONATED_TOO_EARLY
    receipt_no = clean_text(receipt_no, 40)
    raise_if(errors)

    existing = _donation_replayed(actor, client_uuid)
    if existing is not None:
        return existing, False
    if _receipt_taken(unit, receipt_no):
        raise ValidationError({"receipt_no": RECEIPT_NO_TAKEN})
    received_at = (
        now if donated_on == today else timezone.make_aware(datetime.combine(donated_on, time(12)))
    )
    try:
        with transaction.atomic():
            donation = Donation.objects.create(
                unit=unit,
                unit_code=unit.code,
                donor_name=donor_name,
                donor_kind=donor_kind,
                money=amount,
                donated_on=donated_on,
                receipt_no=receipt_no,
                purpose=clean_text(purpose, 200),
                public_consent=public_consent,
                usage_notes=(usage_notes or "").strip()[:500],
                client_uuid=client_uuid,
                actor=actor,
            )
            StockMovement.objects.bulk_create(
                StockMovement(
                    unit=unit,
                    unit_code=unit.code,
                    item=item,
                    kind=MovementKind.RECEIPT,
                    quantity=quantity,
                    delta=quantity,
                    source=ReceiptSource.DONATION,
                    counterparty=donor_name,
                    counterparty_kind=CounterpartyKind.DONOR,
                    donation=donation,
                    actor=actor,
                    occurred_at=received_at,
                    client_uuid=derived_uuid(client_uuid, f"goods/{item.pk}"),
                )
                for item, quantity in lines
            )
    except IntegrityError:
        # A concurrent twin (same UUID) or the same receipt number committed first.
        existing = _donation_replayed(actor, client_uuid)
        if existing is not None:
            return existing, False
        if _receipt_taken(unit, receipt_no):
            raise ValidationError({"receipt_no": RECEIPT_NO_TAKEN}) from None
        raise
    return donation, True


def donation_usage_update(
    *, actor: Any, donation: Donation, usage_notes: str, version: int
) -> Donation:
    """Record what a donation was used for (使用情况), shown on the public page.

    Optimistic concurrency: `version` must be the version the user read, else StaleVersion.
    """
    errors: dict[str, str] = {}
    check_unit(actor, donation.unit, Capability.RECORD_DONATIONS, errors)
    raise_if(errors)
    notes = (usage_notes or "").strip()[:500]
    with transaction.atomic():
        updated = Donation.objects.filter(pk=donation.pk, version=version).update(
            usage_notes=notes, version=version + 1, updated_at=timezone.now()
        )
        current = Donation.objects.select_related("unit").get(pk=donation.pk)
    if not updated:
        raise StaleVersion(current)
    return current
