"""Who lives there (在住人员): the household register taken at the door, each line linked to
the person registry without creating a second person on the next visit.

A line names its person by `person_id` (a member known from an earlier visit, offered
pre-filled), else it is matched by ID number anywhere, else by name inside the household,
else by name and phone inside the village; only then is a person registered.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.core.validators import citizen_id_canonical, normalize_mobile
from bastion.people import services as people
from bastion.people.models import Household, Person
from bastion.screening.models import Relation
from bastion.screening.services.common import clean_text

MAX_MEMBERS = 30


@dataclass
class Member:
    """One line of the household register as typed (or sent by the API)."""

    name: str
    relation: str
    id_number: str = ""
    mobile: str = ""
    arrived_recently: bool = False
    person_id: int | None = None


@dataclass
class CleanMember:
    name: str
    relation: str
    id_number: str | None
    mobile: str
    arrived_recently: bool
    person: Person | None


def members_clean(
    members: Sequence[Member], *, household: Household, errors: dict[str, str]
) -> list[CleanMember]:
    """Check every line; problems go to `errors` as `members.<i>.<field>`."""
    if len(members) > MAX_MEMBERS:
        errors["members"] = f"一户最多登记 {MAX_MEMBERS} 名在住人员。"
        return []
    ids = {m.person_id for m in members if m.person_id}
    known = {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids, household=household, merged_into__isnull=True)
    }
    cleaned: list[CleanMember] = []
    seen_ids: set[str] = set()
    seen_persons: set[int] = set()
    heads = 0
    for i, member in enumerate(members):
        own: dict[str, str] = {}
        name = clean_text(member.name, 40, "name", "姓名", own)
        if not name and "name" not in own:
            own["name"] = "请填写姓名。"
        if member.relation not in Relation.values:
            own["relation"] = "请选择与户主关系。"
        elif member.relation == Relation.HEAD:
            heads += 1
            if heads > 1:
                own["relation"] = "一户只能有一位户主。"
        id_number: str | None = None
        if member.id_number and member.id_number.strip():
            try:
                id_number = citizen_id_canonical(member.id_number)[0]
            except ValueError as e:
                own["id_number"] = str(e)
            else:
                if id_number in seen_ids:
                    own["id_number"] = "同一身份证号在本户登记了两次。"
                seen_ids.add(id_number)
        mobile = ""
        if member.mobile and member.mobile.strip():
            try:
                mobile = normalize_mobile(member.mobile)
            except ValueError as e:
                own["mobile"] = str(e)
        person = None
        if member.person_id:
            person = known.get(member.person_id)
            if person is None:
                own["name"] = "该人员不是本户的成员，请重新填写。"
            elif person.pk in seen_persons:
                own["name"] = "同一人在本户登记了两次。"
            else:
                seen_persons.add(person.pk)
                if id_number and person.id_number and person.id_number != id_number:
                    own["id_number"] = "与该人员已登记的身份证号不一致。"
        errors.update({f"members.{i}.{k}": v for k, v in own.items()})
        if not own:
            cleaned.append(
                CleanMember(
                    name, member.relation, id_number, mobile, member.arrived_recently, person
                )
            )
    return cleaned


def member_person(actor: Any, household: Household, member: CleanMember, index: int) -> Person:
    """The registry's person for a line, registered in the household when nobody matches.
    What the line adds (an ID number or a phone the registry lacks) is written through the
    people services, so it is validated and logged there."""
    person = member.person or _match(household, member)
    if person is None:
        try:
            return people.person_create(
                actor=actor,
                unit=household.unit,
                household=household,
                name=member.name,
                id_number=member.id_number,
                mobile=member.mobile,
            )
        except ValidationError as e:
            raise ValidationError(_indexed(e, index)) from None
    changes: dict[str, Any] = {}
    if member.id_number and not person.id_number:
        changes["id_number"] = member.id_number
    if member.mobile and member.mobile != person.mobile:
        changes["mobile"] = member.mobile
    if person.household_id is None and person.unit_id == household.unit_id:
        changes["household"] = household
    if changes and code_in_scope(actor, person.unit_code, Capability.EDIT_PERSONS):
        try:
            person = people.person_update(
                actor=actor, person=person, version=person.version, **changes
            )
        except ValidationError as e:
            raise ValidationError(_indexed(e, index)) from None
    return person


def _match(household: Household, member: CleanMember) -> Person | None:
    live = Person.objects.filter(merged_into__isnull=True)
    if member.id_number:
        return live.filter(id_number=member.id_number).first()
    found = live.filter(household=household, name=member.name).order_by("id").first()
    if found is None and member.mobile:
        # A grid's code extends its village's 12 digits: match across the whole village.
        village = household.unit_code[:12]
        found = (
            live.filter(unit_code__startswith=village, name=member.name, mobile=member.mobile)
            .order_by("id")
            .first()
        )
    return found


def _indexed(error: ValidationError, index: int) -> dict[str, str]:
    fields = {"name", "id_number", "mobile"}
    return {
        (f"members.{index}.{k}" if k in fields else f"members.{index}.name"): v[0]
        for k, v in error.message_dict.items()
    }
