"""Registering households (住户)."""

from typing import Any

from django.db import IntegrityError, transaction

from bastion.core.errors import ValidationError
from bastion.orgs.models import OrgUnit
from bastion.people.models import Household
from bastion.people.services.validation import (
    _CONTROL,
    UNIT_REQUIRED,
    _check_unit,
    _clean_address,
    _clean_text,
)


def household_create(
    *, actor: Any, unit: OrgUnit | None, address: str, note: str = ""
) -> Household:
    """Register a household (住户) at an address of a village or grid."""
    errors: dict[str, str] = {}
    _check_unit(actor, unit, errors)
    clean_address = _clean_address(address, errors)
    if not clean_address and "address" not in errors:
        errors["address"] = "请填写地址。"
    clean_note = _clean_text(note)
    if _CONTROL.search(clean_note) or len(clean_note) > 200:
        errors["note"] = "备注不能超过 200 个字，且不能含有无效字符。"
    if errors or unit is None:
        raise ValidationError(errors or {"unit": UNIT_REQUIRED})
    if Household.objects.filter(unit=unit, address=clean_address).exists():
        raise ValidationError({"address": "该地址的住户已经登记。"})
    try:
        with transaction.atomic():
            return Household.objects.create(
                unit=unit, unit_code=unit.code, address=clean_address, note=clean_note
            )
    except IntegrityError:
        raise ValidationError({"address": "该地址的住户已经登记。"}) from None
