"""Members and the account each signs in with."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.models import User
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.mobilisation.models import (
    Member,
    Skill,
)
from bastion.mobilisation.selectors import account_choices
from bastion.mobilisation.services.common import (
    ACCOUNT_NOT_IN_SCOPE,
    ACCOUNT_TAKEN,
    FIRST_PARTY_YEAR,
    MANAGE,
    MEMBER_EXISTS,
    PERSON_NOT_IN_SCOPE,
    PERSON_NOT_UNDER_UNIT,
    SKILL_INVALID,
    YEAR_FOR_NON_MEMBER,
    YEAR_REQUIRED,
    _member_ok,
    _now,
    _text,
    _today,
    _unit_ok,
)
from bastion.orgs.models import Kind, OrgUnit
from bastion.people.models import Person

# --- members ------------------------------------------------------------------------------


def member_create(
    *,
    actor: Any,
    unit: OrgUnit | None,
    person: Person | None,
    is_party_member: bool = False,
    party_since_year: int | None = None,
    skills: list[str] | tuple[str, ...] = (),
    availability: str = "",
    posts: str = "",
    now: datetime | None = None,
) -> Member:
    """Register a person of the registry as a member of a unit of the actor's jurisdiction."""
    unit = _unit_ok(actor, unit, MANAGE)
    errors: dict[str, str] = {}
    if (
        person is None
        or person.merged_into_id is not None
        or not code_in_scope(actor, person.unit_code, Capability.VIEW_PERSONS)
    ):
        errors["person"] = PERSON_NOT_IN_SCOPE
    elif unit.kind == Kind.TERRITORIAL and not person.unit_code.startswith(unit.scope_prefix):
        errors["person"] = PERSON_NOT_UNDER_UNIT
    year_now = _today(now).year
    if is_party_member:
        if party_since_year is None:
            errors["party_since_year"] = YEAR_REQUIRED
        elif not FIRST_PARTY_YEAR <= party_since_year <= year_now:
            errors["party_since_year"] = f"入党年份须在 {FIRST_PARTY_YEAR} 到 {year_now} 之间。"
    elif party_since_year is not None:
        errors["party_since_year"] = YEAR_FOR_NON_MEMBER
    if any(s not in Skill.values for s in skills):
        errors["skills"] = SKILL_INVALID
    availability = _text(availability, field="availability", max_length=200, errors=errors)
    posts = _text(posts, field="posts", max_length=200, errors=errors)
    if errors or person is None:
        raise ValidationError(errors or {"person": PERSON_NOT_IN_SCOPE})
    if Member.objects.filter(person=person, unit=unit).exists():
        raise ValidationError({"person": MEMBER_EXISTS})
    try:
        with transaction.atomic():
            return Member.objects.create(
                person=person,
                unit=unit,
                unit_code=unit.code,
                is_party_member=is_party_member,
                party_since_year=party_since_year if is_party_member else None,
                skills=[s for s in Skill.values if s in set(skills)],
                availability=availability,
                posts=posts,
                created_at=_now(now),
            )
    except IntegrityError:
        raise ValidationError({"person": MEMBER_EXISTS}) from None


# --- the account a member signs in with ----------------------------------------------------


def member_link_account(*, actor: Any, member: Member | None, account: Any | None) -> Member:
    """Link the member to the account they sign in with (关联登录账号), or unlink (None).

    The account must be one of `selectors.account_choices`: it works on the member's line of
    the tree, inside the actor's jurisdiction, and no other member has it.
    """
    member = _member_ok(actor, member, MANAGE)
    with transaction.atomic():
        locked = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
        if account is not None:
            choices = account_choices(user=actor, member=locked)
            if not choices.filter(pk=account.pk).exists():
                taken = Member.objects.filter(account=account).exclude(pk=member.pk).exists()
                raise ValidationError({"account": ACCOUNT_TAKEN if taken else ACCOUNT_NOT_IN_SCOPE})
        locked.account = account
        try:
            with transaction.atomic():
                locked.save(update_fields=["account"])
        except IntegrityError:
            raise ValidationError({"account": ACCOUNT_TAKEN}) from None
    member.account = account
    return member


def member_link_by_mobile(*, actor: Any, unit: OrgUnit | None) -> list[Member]:
    """Link, in one go, the members of the unit's subtree whose own mobile is the mobile of an
    account they may be linked to (手机号一致), as an officer's explicit action.

    A match is linked only when it is unambiguous: one unlinked member with that mobile in the
    subtree, one account with it (`User.mobile` is unique), and the account passes the same
    jurisdiction rule as a link made by hand. The rest are left for the member's page.
    """
    unit = _unit_ok(actor, unit, MANAGE)
    unlinked = Member.objects.filter(
        unit_code__startswith=unit.scope_prefix, account__isnull=True
    ).exclude(person__mobile="")
    # Only the members whose mobile is some free account's: one query, whatever the subtree.
    free = User.objects.filter(
        is_active=True,
        mobilisation_member__isnull=True,
        mobile__in=unlinked.values("person__mobile"),
    ).values("mobile")
    by_mobile: dict[str, list[Member]] = {}
    for m in unlinked.filter(person__mobile__in=free).select_related("person", "unit"):
        if code_in_scope(actor, m.unit_code, MANAGE):
            by_mobile.setdefault(m.person.mobile, []).append(m)
    linked = []
    for mobile, members in sorted(by_mobile.items(), key=lambda item: item[1][0].pk):
        if len(members) != 1:
            continue
        account = account_choices(user=actor, member=members[0]).filter(mobile=mobile).first()
        if account is None:
            continue
        try:
            linked.append(member_link_account(actor=actor, member=members[0], account=account))
        except ValidationError:
            continue
    return linked
