"""Writes of mobilisation (动员): members, calls, applications and pledges (请战书), selection,
teams with their temporary Party branch (临时党支部), assignments and work logs.

Field staff (VIEW_MOBILISATION in the member's unit) apply a member to a call and record work
logs; officers (MANAGE_MOBILISATION) add members, post calls, select and form teams.
"""

import re
import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.models import User
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.mobilisation.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Call,
    CallStatus,
    Member,
    Skill,
    Team,
    TeamMembership,
    WorkLog,
)
from bastion.mobilisation.selectors import account_choices
from bastion.orgs.models import Kind, OrgUnit
from bastion.orgs.services import unit_create
from bastion.people.models import Person

VIEW = Capability.VIEW_MOBILISATION
MANAGE = Capability.MANAGE_MOBILISATION
FIRST_PARTY_YEAR = 1921
MAX_PEOPLE = 10_000
MAX_TEAM = 500

UNIT_NOT_IN_SCOPE = "所属单位不存在或不在您的辖区内。"
PERSON_NOT_IN_SCOPE = "人员不存在或不在您辖区的人员库中。"
PERSON_NOT_UNDER_UNIT = "该人员不属于所选单位。"
MEMBER_EXISTS = "该人员已是本单位的队员。"
SKILL_INVALID = "请从列表中选择特长。"
YEAR_REQUIRED = "请填写入党年份。"
YEAR_FOR_NON_MEMBER = "非党员不填入党年份。"
JOIN_PARTY_FOR_MEMBER = "党员不需要递交入党申请。"
TITLE_REQUIRED = "请填写征集名称。"
PEOPLE_OUT_OF_RANGE = f"需要人数须在 1 到 {MAX_PEOPLE} 之间。"
ENDS_BEFORE_STARTS = "结束日期不能早于开始日期。"
CALL_CLOSED = "该征集已截止。"
MEMBER_NOT_IN_SCOPE = "队员不存在或不在您的辖区内。"
MEMBER_NOT_UNDER_UNIT = "该队员不属于发布单位的辖区。"
ALREADY_APPLIED = "该队员已经报名。"
TARGET_REQUIRED = "请选择征集或队伍。"
STATEMENT_REQUIRED = "请填写请战内容。"
APPLICATION_DECIDED = "该报名已处理。"
TEAM_NAME_REQUIRED = "请填写队名。"
BRANCH_NAME_REQUIRED = "请填写临时党支部名称。"
LEADER_NOT_IN_TEAM = "队长须为本队队员。"
TEAM_TOO_BIG = f"一支队伍最多 {MAX_TEAM} 人。"
DUTY_REQUIRED = "请填写任务。"
HOURS_INVALID = "工作时长须大于 0、不超过 24 小时，以半小时计。"
DAY_IN_FUTURE = "日期不能晚于今天。"
DAY_TOO_OLD = "只能登记近 30 天的工作记录。"
LOG_EXISTS = "该队员当天已有工作记录。"
UUID_TAKEN = "该 client_uuid 已用于另一条记录。"
ACCOUNT_NOT_IN_SCOPE = "账号不存在，或不在该队员所在辖区任职。"
ACCOUNT_TAKEN = "该账号已关联其他队员。"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    errors: dict[str, str],
    required: str = "",
    multiline: bool = False,
) -> str:
    text = _CONTROL.sub("", value or "")
    text = text.strip() if multiline else " ".join(text.split())
    if not text and required:
        errors[field] = required
    elif len(text) > max_length:
        errors[field] = f"不能超过 {max_length} 个字。"
    return text


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _today(now: datetime | None) -> date:
    return timezone.localdate(_now(now))


def _unit_ok(actor: Any, unit: OrgUnit | None, capability: Capability) -> OrgUnit:
    if unit is None or not unit.is_active or not code_in_scope(actor, unit.code, capability):
        raise ValidationError({"unit": UNIT_NOT_IN_SCOPE})
    return unit


def _member_ok(actor: Any, member: Member | None, capability: Capability) -> Member:
    if member is None or not code_in_scope(actor, member.unit_code, capability):
        raise ValidationError({"member": MEMBER_NOT_IN_SCOPE})
    return member


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
