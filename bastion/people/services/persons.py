"""Creating, updating and merging persons (人员)."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import StaleVersion, ValidationError
from bastion.orgs.models import OrgUnit
from bastion.people.models import CARE_TAGS, Household, Person, Sex
from bastion.people.services.validation import (
    UNIT_REQUIRED,
    _check_household,
    _check_unique,
    _check_unit,
    _clean_address,
    _clean_care_tags,
    _clean_identity,
    _clean_name,
    _duplicate_of,
    _household_at,
    duplicate_exists,
    name_romanised,
)


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
