"""Calls for volunteers (征集), applications and pledges to serve (请战书)."""

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction

from bastion.accounts.jurisdiction import code_in_scope
from bastion.core.errors import ValidationError
from bastion.mobilisation.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Member,
    Team,
    TeamMembership,
)
from bastion.mobilisation.services.common import (
    ALREADY_APPLIED,
    APPLICATION_DECIDED,
    CALL_CLOSED,
    ENDS_BEFORE_STARTS,
    JOIN_PARTY_FOR_MEMBER,
    MANAGE,
    MAX_PEOPLE,
    MEMBER_NOT_UNDER_UNIT,
    PEOPLE_OUT_OF_RANGE,
    STATEMENT_REQUIRED,
    TARGET_REQUIRED,
    TITLE_REQUIRED,
    UNIT_NOT_IN_SCOPE,
    VIEW,
    _member_ok,
    _now,
    _text,
    _unit_ok,
)
from bastion.orgs.models import OrgUnit

# --- calls --------------------------------------------------------------------------------


def call_create(
    *,
    actor: Any,
    unit: OrgUnit | None,
    title: str,
    people_needed: int,
    description: str = "",
    place: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    now: datetime | None = None,
) -> Call:
    """Post a call for volunteers (征集)."""
    unit = _unit_ok(actor, unit, MANAGE)
    errors: dict[str, str] = {}
    title = _text(title, field="title", max_length=100, errors=errors, required=TITLE_REQUIRED)
    description = _text(
        description, field="description", max_length=1000, errors=errors, multiline=True
    )
    place = _text(place, field="place", max_length=200, errors=errors)
    if isinstance(people_needed, bool) or not 1 <= people_needed <= MAX_PEOPLE:
        errors["people_needed"] = PEOPLE_OUT_OF_RANGE
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = ENDS_BEFORE_STARTS
    if errors:
        raise ValidationError(errors)
    return Call.objects.create(
        unit=unit,
        unit_code=unit.code,
        title=title,
        description=description,
        place=place,
        starts_on=starts_on,
        ends_on=ends_on,
        people_needed=people_needed,
        created_at=_now(now),
    )


def call_close(*, actor: Any, call: Call) -> Call:
    _unit_ok(actor, call.unit, MANAGE)
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status"])
    return call


# --- applications and pledges -------------------------------------------------------------


def application_create(
    *,
    actor: Any,
    member: Member | None,
    call: Call | None = None,
    team: Team | None = None,
    statement: str = "",
    experience: str = "",
    is_pledge: bool = False,
    applies_to_join_party: bool = False,
    now: datetime | None = None,
) -> Application:
    """A member applies to a call with one tap, or hands in a pledge to serve (请战书) for a call
    or a team. The actor holds VIEW_MOBILISATION where the member is."""
    member = _member_ok(actor, member, VIEW)
    errors: dict[str, str] = {}
    target_unit: OrgUnit | None = None
    if call is not None:
        target_unit = call.unit
        if call.status != CallStatus.OPEN:
            errors["call"] = CALL_CLOSED
    elif team is not None:
        target_unit = team.unit
    else:
        errors["call"] = TARGET_REQUIRED
    if target_unit is not None and not member.unit_code.startswith(target_unit.scope_prefix):
        errors["member"] = MEMBER_NOT_UNDER_UNIT
    statement = _text(
        statement,
        field="statement",
        max_length=2000,
        errors=errors,
        required=STATEMENT_REQUIRED if is_pledge else "",
        multiline=True,
    )
    experience = _text(experience, field="experience", max_length=500, errors=errors)
    if applies_to_join_party and member.is_party_member:
        errors["applies_to_join_party"] = JOIN_PARTY_FOR_MEMBER
    if errors or target_unit is None:
        raise ValidationError(errors or {"call": TARGET_REQUIRED})
    if Application.objects.filter(member=member, call=call, team=team).exists():
        raise ValidationError({"member": ALREADY_APPLIED})
    try:
        with transaction.atomic():
            return Application.objects.create(
                member=member,
                call=call,
                team=team if call is None else None,
                unit_code=target_unit.code,
                is_pledge=is_pledge,
                statement=statement,
                experience=experience,
                applies_to_join_party=applies_to_join_party,
                created_at=_now(now),
            )
    except IntegrityError:
        raise ValidationError({"member": ALREADY_APPLIED}) from None


def application_decide(
    *, actor: Any, application: Application, select: bool, now: datetime | None = None
) -> Application:
    """The unit selects (选派) or declines an application. Selecting a pledge for a team puts
    the member in the team."""
    if not code_in_scope(actor, application.unit_code, MANAGE):
        raise ValidationError({"application": UNIT_NOT_IN_SCOPE})
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError({"application": APPLICATION_DECIDED})
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ValidationError({"application": APPLICATION_DECIDED})
        locked.status = ApplicationStatus.SELECTED if select else ApplicationStatus.DECLINED
        locked.decided_at = _now(now)
        locked.save(update_fields=["status", "decided_at"])
        if select and locked.team_id is not None:
            TeamMembership.objects.get_or_create(team_id=locked.team_id, member_id=locked.member_id)
    application.status, application.decided_at = locked.status, locked.decided_at
    return application
