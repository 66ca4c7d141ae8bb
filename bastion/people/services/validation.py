"""Checks shared by the person and household services: every bad field gets a Chinese
message, collected into one ValidationError."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from pypinyin import lazy_pinyin

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.core.validators import (
    citizen_id_canonical,
    normalize_mobile,
    to_halfwidth,
)
from bastion.orgs.models import Kind, OrgUnit
from bastion.people.models import CARE_TAGS, ENTRY_LEVELS, Household, Person, Sex

REVEALABLE_FIELDS = ("id_number", "mobile")

EARLIEST_BIRTH = date(1890, 1, 1)

NAME_REQUIRED = "请填写姓名。"

UNIT_REQUIRED = "请选择所属村（社区）或网格。"

UNIT_WRONG_LEVEL = "人员只能登记到村（社区）或网格。"

UNIT_NOT_IN_SCOPE = "所属单元不存在或不在您的辖区内。"

HOUSEHOLD_NOT_IN_SCOPE = "住户不存在或不在您的辖区内。"

ID_REGISTERED_ELSEWHERE = "该身份证号已在其他辖区登记，请联系乡镇（街道）核实。"

REASON_REQUIRED = "请填写查看事由。"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_SPACES = re.compile(r"\s+")


class DuplicatePerson(ValidationError):  # noqa: N818 - a ValidationError, named for its case
    """The ID number already belongs to a live person.

    `existing` is that person when the actor may see them (the form and the API offer it),
    and None when they are out of the actor's jurisdiction: then nothing about them leaks.
    """

    def __init__(self, existing: Person | None, message: str) -> None:
        super().__init__({"id_number": message})
        self.existing = existing


def name_romanised(name: str) -> tuple[str, str]:
    """'张三' -> ('zhangsan', 'zs'): full pinyin and initials, for search by typing."""
    syllables = [s.lower() for s in lazy_pinyin(name) if s.isalnum()]
    return "".join(syllables)[:160], "".join(s[0] for s in syllables)[:40]


def _clean_text(value: str | None) -> str:
    return _SPACES.sub(" ", to_halfwidth(value or "")).strip()


def _clean_name(value: str | None, errors: dict[str, str]) -> str:
    name = _clean_text(value)
    if not name:
        errors["name"] = NAME_REQUIRED
    elif _CONTROL.search(name):
        errors["name"] = "姓名含有无效字符。"
    elif len(name) > 40:
        errors["name"] = "姓名不能超过 40 个字。"
    return name


def _clean_address(value: str | None, errors: dict[str, str]) -> str:
    address = _clean_text(value)
    if _CONTROL.search(address):
        errors["address"] = "地址含有无效字符。"
    elif len(address) > 200:
        errors["address"] = "地址不能超过 200 个字。"
    return address


def _check_unit(actor: Any, unit: OrgUnit | None, errors: dict[str, str]) -> None:
    if unit is None:
        errors.setdefault("unit", UNIT_REQUIRED)
    elif not unit.is_active or not code_in_scope(actor, unit.code, Capability.EDIT_PERSONS):
        errors["unit"] = UNIT_NOT_IN_SCOPE
    elif unit.level not in ENTRY_LEVELS or unit.kind != Kind.TERRITORIAL:
        errors["unit"] = UNIT_WRONG_LEVEL


@dataclass
class _Identity:
    id_number: str | None
    sex: str
    birth_date: date | None
    mobile: str


def _clean_identity(
    *,
    id_number: str | None,
    sex: str | None,
    birth_date: date | None,
    mobile: str | None,
    errors: dict[str, str],
) -> _Identity:
    """The ID number decides sex and birth date; what was typed must agree with it."""
    number: str | None = None
    if id_number is not None and str(id_number).strip():
        try:
            number, id_birth, id_sex = citizen_id_canonical(id_number)
        except ValueError as e:
            errors["id_number"] = str(e)
        else:
            if sex in (Sex.MALE, Sex.FEMALE) and sex != id_sex:
                errors["sex"] = f"性别与身份证号不符：身份证号显示为{Sex(id_sex).label}。"
            if birth_date is not None and birth_date != id_birth:
                errors["birth_date"] = (
                    f"出生日期与身份证号不符：身份证号显示为 {id_birth.isoformat()}。"
                )
            sex, birth_date = id_sex, id_birth
    if sex not in Sex.values:
        if sex:
            errors["sex"] = "性别只能是男、女或未知。"
        sex = Sex.UNKNOWN
    if number is None and birth_date is not None:
        if birth_date > timezone.localdate():
            errors["birth_date"] = "出生日期不能晚于今天。"
        elif birth_date < EARLIEST_BIRTH:
            errors["birth_date"] = "出生日期不能早于 1890 年。"
    normalized_mobile = ""
    if mobile is not None and str(mobile).strip():
        try:
            normalized_mobile = normalize_mobile(mobile)
        except ValueError as e:
            errors["mobile"] = str(e)
    return _Identity(number, str(sex), birth_date, normalized_mobile)


def _live_holders(id_number: str, exclude_pk: int | None = None) -> QuerySet[Person]:
    """Live persons holding `id_number`, across the whole registry: the uniqueness check only,
    never shown to anyone as such."""
    qs = Person.objects.filter(id_number=id_number, merged_into__isnull=True)
    return qs if exclude_pk is None else qs.exclude(pk=exclude_pk)


def duplicate_exists(id_number: str, exclude_pk: int | None = None) -> bool:
    return _live_holders(id_number, exclude_pk).exists()


def _clean_care_tags(tags: list[str] | tuple[str, ...], errors: dict[str, str]) -> set[str]:
    unknown = [t for t in tags if t not in CARE_TAGS]
    if unknown:
        errors["care_tags"] = "未知的关爱标签：" + "、".join(unknown[:3]) + "。"
    return {t for t in tags if t in CARE_TAGS}


def _duplicate_of(actor: Any, id_number: str, exclude_pk: int | None = None) -> DuplicatePerson:
    """The error for an ID number that a live person holds already.

    The uniqueness check spans the whole registry (so does the database constraint); only a
    person inside the actor's jurisdiction is named.
    """
    existing = _live_holders(id_number, exclude_pk).select_related("unit").first()
    if existing is not None and code_in_scope(actor, existing.unit_code, Capability.VIEW_PERSONS):
        return DuplicatePerson(
            existing, f"该身份证号已登记：{existing.name}（{existing.unit.name}），请打开已有人员。"
        )
    return DuplicatePerson(None, ID_REGISTERED_ELSEWHERE)


def _check_unique(
    actor: Any, id_number: str | None, errors: dict[str, str], exclude_pk: int | None = None
) -> None:
    """Raise `DuplicatePerson` when the ID number is taken and nothing else is wrong;
    otherwise add its message to the others."""
    if not id_number or "id_number" in errors:
        return
    if not duplicate_exists(id_number, exclude_pk=exclude_pk):
        return
    duplicate = _duplicate_of(actor, id_number, exclude_pk=exclude_pk)
    if not errors:
        raise duplicate
    errors["id_number"] = duplicate.messages[0]


def _check_household(
    actor: Any,
    unit: OrgUnit | None,
    household: Household,
    address: str,
    errors: dict[str, str],
) -> None:
    """A chosen household must be the actor's to edit, in the person's unit, at the address."""
    if not code_in_scope(actor, household.unit_code, Capability.EDIT_PERSONS):
        errors["household"] = HOUSEHOLD_NOT_IN_SCOPE
    elif unit is not None and household.unit_id != unit.pk:
        errors["household"] = "住户不属于所选的村（社区）或网格。"
    elif address and address != household.address:
        errors["address"] = "已选择住户，不能再填写其他地址。"


def _household_at(unit: OrgUnit, address: str) -> Household | None:
    """The household at `address` in `unit`, created when new; None without an address."""
    if not address:
        return None
    found, _created = Household.objects.get_or_create(
        unit=unit, address=address, defaults={"unit_code": unit.code}
    )
    return found
