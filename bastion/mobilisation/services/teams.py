"""Teams with their temporary Party branch, assignments and work logs."""

import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from bastion.accounts.jurisdiction import code_in_scope
from bastion.core.errors import ValidationError
from bastion.mobilisation.models import (
    Assignment,
    Call,
    Member,
    Team,
    TeamMembership,
    WorkLog,
)
from bastion.mobilisation.services.common import (
    BRANCH_NAME_REQUIRED,
    DAY_IN_FUTURE,
    DAY_TOO_OLD,
    DUTY_REQUIRED,
    ENDS_BEFORE_STARTS,
    HOURS_INVALID,
    LEADER_NOT_IN_TEAM,
    LOG_EXISTS,
    MANAGE,
    MAX_TEAM,
    MEMBER_NOT_UNDER_UNIT,
    TEAM_NAME_REQUIRED,
    TEAM_TOO_BIG,
    UUID_TAKEN,
    VIEW,
    _member_ok,
    _now,
    _text,
    _today,
    _unit_ok,
)
from bastion.orgs.models import Kind, OrgUnit
from bastion.orgs.services import unit_create

# --- teams --------------------------------------------------------------------------------


def team_create(
    *,
    actor: Any,
    unit: OrgUnit | None,
    name: str,
    destination: str = "",
    members: list[Member] | tuple[Member, ...] = (),
    leader: Member | None = None,
    branch_name: str = "",
    with_branch: bool = False,
    party_branch: OrgUnit | None = None,
    now: datetime | None = None,
) -> Team:
    """Form a team sent by a unit. With `with_branch`, a temporary Party branch (临时党支部) is
    created under the sending unit in the same transaction; an existing branch under the unit
    may be passed as `party_branch` instead."""
    unit = _unit_ok(actor, unit, MANAGE)
    errors: dict[str, str] = {}
    name = _text(name, field="name", max_length=100, errors=errors, required=TEAM_NAME_REQUIRED)
    destination = _text(destination, field="destination", max_length=100, errors=errors)
    branch_name = _text(
        branch_name,
        field="branch_name",
        max_length=100,
        errors=errors,
        required=BRANCH_NAME_REQUIRED if with_branch else "",
    )
    chosen = list({m.pk: m for m in members}.values())
    if len(chosen) > MAX_TEAM:
        errors["members"] = TEAM_TOO_BIG
    for m in chosen:
        if not code_in_scope(actor, m.unit_code, VIEW) or not m.unit_code.startswith(
            unit.scope_prefix
        ):
            errors["members"] = MEMBER_NOT_UNDER_UNIT
    if leader is not None and leader.pk not in {m.pk for m in chosen}:
        errors["leader"] = LEADER_NOT_IN_TEAM
    if party_branch is not None and (
        party_branch.kind != Kind.PARTY_BRANCH or party_branch.parent_id != unit.pk
    ):
        errors["party_branch"] = "临时党支部须建在派出单位之下。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        branch = party_branch
        if with_branch and branch is None:
            branch = unit_create(
                parent=unit, kind="party_branch", party_kind="temporary_branch", name=branch_name
            )
        team = Team.objects.create(
            unit=unit,
            unit_code=unit.code,
            name=name,
            destination=destination,
            leader=leader,
            party_branch=branch,
            created_at=_now(now),
        )
        TeamMembership.objects.bulk_create(
            [TeamMembership(team=team, member=m, joined_at=team.created_at) for m in chosen]
        )
    return team


# --- assignments and work logs ------------------------------------------------------------


def assignment_create(
    *,
    actor: Any,
    member: Member | None,
    duty: str,
    starts_on: date,
    ends_on: date,
    place: str = "",
    call: Call | None = None,
) -> Assignment:
    """Put a member on a duty with a place and a time (排班以外的任务)."""
    member = _member_ok(actor, member, MANAGE)
    errors: dict[str, str] = {}
    duty = _text(duty, field="duty", max_length=100, errors=errors, required=DUTY_REQUIRED)
    place = _text(place, field="place", max_length=200, errors=errors)
    if ends_on < starts_on:
        errors["ends_on"] = ENDS_BEFORE_STARTS
    if errors:
        raise ValidationError(errors)
    return Assignment.objects.create(
        member=member,
        call=call,
        unit_code=member.unit_code,
        duty=duty,
        place=place,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def _hours(value: Any) -> Decimal | None:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not hours.is_finite() or not Decimal(0) < hours <= Decimal(24) or (hours * 2) % 1 != 0:
        return None
    return hours.quantize(Decimal("0.1"))


def work_log_record(
    *,
    actor: Any,
    member: Member | None,
    day: date,
    hours: Any,
    cancelled_leave: bool = False,
    client_uuid: uuid.UUID,
    now: datetime | None = None,
) -> tuple[WorkLog, bool]:
    """Record a member's hours on a day. A replay of the same `client_uuid` returns the first
    record and False; one log per member per day."""
    existing = WorkLog.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        if not code_in_scope(actor, existing.unit_code, VIEW):
            raise ValidationError({"client_uuid": UUID_TAKEN})
        return existing, False
    member = _member_ok(actor, member, VIEW)
    errors: dict[str, str] = {}
    clean = _hours(hours)
    if clean is None:
        errors["hours"] = HOURS_INVALID
    today = _today(now)
    if day > today:
        errors["day"] = DAY_IN_FUTURE
    elif (today - day).days > 30:
        errors["day"] = DAY_TOO_OLD
    if errors or clean is None:
        raise ValidationError(errors or {"hours": HOURS_INVALID})
    if WorkLog.objects.filter(member=member, day=day).exists():
        raise ValidationError({"day": LOG_EXISTS})
    try:
        with transaction.atomic():
            log = WorkLog.objects.create(
                member=member,
                unit_code=member.unit_code,
                day=day,
                hours=clean,
                cancelled_leave=cancelled_leave,
                client_uuid=client_uuid,
                recorded_by=actor,
                recorded_at=_now(now),
            )
    except IntegrityError:
        replay = WorkLog.objects.filter(client_uuid=client_uuid).first()
        if replay is not None and code_in_scope(actor, replay.unit_code, VIEW):
            return replay, False
        raise ValidationError({"day": LOG_EXISTS}) from None
    return log, True
