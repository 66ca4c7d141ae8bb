"""Writes to the person registry (人员) and households (住户).

Every function takes the acting user and keyword-only arguments, validates everything it is
given, and raises one django `ValidationError` whose dict maps each bad field to a Chinese
message, so the form, the API and the Excel import all answer the same way.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from pypinyin import lazy_pinyin

from bastion.accounts.jurisdiction import active_memberships, code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.validators import id_check_char, normalize_mobile, parse_citizen_id, to_halfwidth
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Household, Person, Sex

CARE_TAGS: tuple[str, ...] = tuple(field for field, _label in Person.CARE_TAGS)
ENTRY_LEVELS = (Level.VILLAGE, Level.GRID)
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


def citizen_id_canonical(raw: object) -> tuple[str, date, str]:
    """Validate an ID number; return (18-digit number, birth date, sex).

    An old 15-digit number is upgraded to its 18-digit form (insert the century "19", append
    the check character, as GB 11643-1999 prescribes), so that both forms of one person's
    number meet in the uniqueness check.
    """
    cid = parse_citizen_id(raw)
    number = cid.number
    if cid.is_legacy:
        first17 = number[:6] + "19" + number[6:]
        number = first17 + id_check_char(first17)
    return number, cid.birth_date, cid.sex


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


def _log(actor: Any, action: Action, person: Person, channel: str, **detail: Any) -> None:
    access_log_write(
        user=actor,
        action=action,
        object_type="person",
        object_id=person.pk,
        unit_code=person.unit_code,
        detail=detail,
        channel=channel,
    )


def person_create(
    *,
    actor: Any,
    unit: OrgUnit | None,
    name: str,
    id_number: str | None = None,
    sex: str | None = None,
    birth_date: date | None = None,
    mobile: str | None = "",
    household: Household | None = None,
    address: str | None = "",
    care_tags: list[str] | tuple[str, ...] = (),
    channel: str = "web",
) -> Person:
    """Register a person (登记人员) in a village or grid of the actor's jurisdiction.

    Given a household, the person joins it (and `unit` may be left out); given an address, the
    household at that address in the unit is found or created. Raises `DuplicatePerson` when
    a live person holds the ID number already.
    """
    errors: dict[str, str] = {}
    if unit is None and household is not None:
        unit = household.unit
    clean_name = _clean_name(name, errors)
    identity = _clean_identity(
        id_number=id_number, sex=sex, birth_date=birth_date, mobile=mobile, errors=errors
    )
    _check_unit(actor, unit, errors)
    clean_address = _clean_address(address, errors)
    if household is not None:
        _check_household(actor, unit, household, clean_address, errors)
    tags = _clean_care_tags(care_tags, errors)
    _check_unique(actor, identity.id_number, errors)
    if errors or unit is None:
        raise ValidationError(errors or {"unit": UNIT_REQUIRED})
    pinyin, initials = name_romanised(clean_name)
    try:
        with transaction.atomic():
            home = household or _household_at(unit, clean_address)
            person = Person.objects.create(
                id_number=identity.id_number,
                name=clean_name,
                name_pinyin=pinyin,
                name_initials=initials,
                sex=identity.sex,
                birth_date=identity.birth_date,
                mobile=identity.mobile,
                household=home,
                unit=unit,
                unit_code=unit.code,
                created_by=actor,
                **{tag: tag in tags for tag in CARE_TAGS},
            )
            _log(actor, Action.CREATE, person, channel)
    except IntegrityError:
        # A concurrent registration of the same number committed first.
        if identity.id_number and duplicate_exists(identity.id_number):
            raise _duplicate_of(actor, identity.id_number) from None
        raise
    return person


UPDATABLE = frozenset(
    {
        "name",
        "id_number",
        "sex",
        "birth_date",
        "mobile",
        "unit",
        "household",
        "address",
        "care_tags",
    }
)


def person_update(
    *, actor: Any, person: Person, version: int, channel: str = "web", **changes: Any
) -> Person:
    """Change a person's data (修改人员信息) with optimistic concurrency.

    `changes` holds only what the user changed (keys of `UPDATABLE`). `version` is the version
    the user saw; if someone saved in between, `StaleVersion` carries the current record and
    nothing is written. The final state is validated as a whole, exactly as on creation.
    """
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"person_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        current = (
            Person.objects.select_for_update(of=("self",))
            .select_related("unit", "household")
            .get(pk=person.pk)
        )
        if current.version != version:
            raise StaleVersion(current)
        if current.merged_into_id is not None:
            raise ValidationError({"__all__": "该人员已合并到其他人员，请修改保留的人员。"})
        errors: dict[str, str] = {}
        id_changed = "id_number" in changes
        unit = changes.get("unit", current.unit)
        if changes.get("household") is not None and "unit" not in changes:
            unit = changes["household"].unit
        clean_name = _clean_name(changes.get("name", current.name), errors)
        identity = _clean_identity(
            id_number=changes["id_number"] if id_changed else current.id_number,
            sex=changes.get("sex", None if id_changed else current.sex),
            birth_date=changes.get("birth_date", None if id_changed else current.birth_date),
            mobile=changes.get("mobile", current.mobile),
            errors=errors,
        )
        _check_unit(actor, unit, errors)
        tags = _clean_care_tags(changes.get("care_tags", current.care_tags), errors)
        address = _clean_address(changes.get("address", ""), errors)
        household = changes.get("household")
        if household is not None:
            _check_household(actor, unit, household, address, errors)
        elif "unit" in changes and not {"address", "household"} & changes.keys():
            old_home = current.household
            if old_home is not None and unit is not None and old_home.unit_id != unit.pk:
                errors["address"] = "换到其他村（社区）或网格时，请填写新地址。"
        _check_unique(actor, identity.id_number, errors, exclude_pk=current.pk)
        if errors or unit is None:
            raise ValidationError(errors or {"unit": UNIT_REQUIRED})
        if household is not None:
            home = household
        elif "household" in changes or "address" in changes:
            # A new address: the household there (none when the address is emptied).
            home = _household_at(unit, address)
        else:
            home = current.household
        pinyin, initials = name_romanised(clean_name)
        new_values: dict[str, Any] = {
            "name": clean_name,
            "name_pinyin": pinyin,
            "name_initials": initials,
            "id_number": identity.id_number,
            "sex": identity.sex,
            "birth_date": identity.birth_date,
            "mobile": identity.mobile,
            "unit": unit,
            "unit_code": unit.code,
            "household": home,
            **{tag: tag in tags for tag in CARE_TAGS},
        }
        changed = sorted(
            f
            for f, v in new_values.items()
            if getattr(current, f) != v and f not in ("name_pinyin", "name_initials", "unit_code")
        )
        for field, value in new_values.items():
            setattr(current, field, value)
        current.version += 1
        current.save()
        _log(actor, Action.UPDATE, current, channel, fields=changed)
    return current


def person_merge(*, actor: Any, keep: Person, merge: Person, channel: str = "web") -> Person:
    """Merge a duplicate into the person that stays (合并重复人员).

    Data that `keep` lacks is taken from `merge` (ID number, sex, birth date, mobile,
    household, care tags). `merge` keeps its row and its id, pointing at `keep`, so every
    reference made before the merge still resolves. Needs MERGE_PERSONS over both persons.
    """
    errors: dict[str, str] = {}
    if keep.pk == merge.pk:
        errors["merge"] = "不能把人员与自己合并。"
    elif keep.merged_into_id is not None or merge.merged_into_id is not None:
        errors["merge"] = "该人员已被合并过。"
    elif not all(
        code_in_scope(actor, p.unit_code, Capability.MERGE_PERSONS) for p in (keep, merge)
    ):
        errors["merge"] = "只能合并自己辖区内的人员。"
    elif keep.id_number and merge.id_number and keep.id_number != merge.id_number:
        errors["merge"] = "两人的身份证号不同，不是同一人，不能合并。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rows = Person.objects.select_for_update().in_bulk([keep.pk, merge.pk])
        keep, merge = rows[keep.pk], rows[merge.pk]
        if keep.merged_into_id is not None or merge.merged_into_id is not None:
            raise ValidationError({"merge": "该人员已被合并过。"})
        taken: list[str] = []
        for field in ("id_number", "birth_date", "mobile", "household_id"):
            if not getattr(keep, field) and getattr(merge, field):
                setattr(keep, field, getattr(merge, field))
                taken.append(field.removesuffix("_id"))
        if keep.sex == Sex.UNKNOWN and merge.sex != Sex.UNKNOWN:
            keep.sex = merge.sex
            taken.append("sex")
        for tag in CARE_TAGS:
            if getattr(merge, tag) and not getattr(keep, tag):
                setattr(keep, tag, True)
                taken.append(tag)
        # The merged row leaves the live set first: the ID number may move to `keep`.
        merge.merged_into = keep
        merge.version += 1
        merge.save(update_fields=["merged_into", "version", "updated_at"])
        Person.objects.filter(merged_into=merge).update(merged_into=keep)
        keep.version += 1
        keep.save()
        access_log_write(
            user=actor,
            action=Action.MERGE,
            object_type="person",
            object_id=keep.pk,
            unit_code=keep.unit_code,
            detail={"keep": keep.pk, "merged": merge.pk, "fields": taken},
            channel=channel,
        )
    return keep


def person_reveal(
    *, actor: Any, person: Person, field: str, reason: str, channel: str = "web"
) -> str:
    """The full ID number or mobile of a person (显示完整信息), logged with its reason.

    The caller has checked REVEAL_PERSONAL_DATA over the person's unit.
    """
    errors: dict[str, str] = {}
    if field not in REVEALABLE_FIELDS:
        errors["field"] = "只能查看身份证号或手机号。"
    clean_reason = _CONTROL.sub("", _clean_text(reason))
    if not clean_reason:
        errors["reason"] = REASON_REQUIRED
    elif len(clean_reason) > 200:
        errors["reason"] = "事由不能超过 200 个字。"
    if errors:
        raise ValidationError(errors)
    access_log_write(
        user=actor,
        action=Action.REVEAL,
        object_type="person",
        object_id=person.pk,
        unit_code=person.unit_code,
        field=field,
        reason=clean_reason,
        channel=channel,
    )
    return str(getattr(person, field) or "")


def person_view_log(*, actor: Any, person: Person, channel: str = "web") -> None:
    """Record that `actor` opened a person's page or record (查看)."""
    _log(actor, Action.VIEW, person, channel)


def person_list_log(
    *,
    actor: Any,
    action: Action,
    count: int,
    unit_code: str = "",
    channel: str = "web",
    **detail: Any,
) -> None:
    """Record a list or search of persons: filters, the kind of query and the count only —
    never the typed ID number or phone."""
    if not unit_code:
        memberships = active_memberships(actor)
        unit_code = memberships[0].unit.code if memberships else ""
    access_log_write(
        user=actor,
        action=action,
        object_type="person",
        unit_code=unit_code,
        detail={"count": count, **{k: v for k, v in detail.items() if v not in (None, "")}},
        channel=channel,
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
