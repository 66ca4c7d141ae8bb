"""Mobilisation API (动员): members, calls and applications, teams, work logs.

Work logs carry a `client_uuid`: a new record answers 201, a replay answers 200 with the first
record. Every create honours an `Idempotency-Key` header. Names are masked.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from bastion.accounts.models import User
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.schemas import Day, UnitCode, page_bounds
from bastion.mobilisation import selectors, services
from bastion.mobilisation.api.schemas import (
    CHANNEL,
    ERRORS,
    WRITE_ERRORS,
    ApplicationIn,
    ApplicationOut,
    AssignmentIn,
    AssignmentOut,
    CallIn,
    CallOut,
    CallPage,
    Id,
    MemberIn,
    MemberOut,
    MemberPage,
    SelectIn,
    TeamIn,
    TeamOut,
    UnitFilters,
    WorkLogIn,
    WorkLogOut,
)
from bastion.mobilisation.models import Member

router = Router(tags=["mobilisation"])


def _log_list(request: HttpRequest, object_type: str, unit_code: str, count: int) -> None:
    access_log_write(
        user=request.user,
        action=Action.LIST,
        object_type=object_type,
        unit_code=unit_code,
        detail={"count": count},
        channel=CHANNEL,
    )


def _member(request: HttpRequest, pk: int, capability: Any = selectors.VIEW) -> Member:
    member = selectors.member_for(user=request.user, member_id=pk, capability=capability)
    if member is None:
        raise ValidationError({"member_id": services.MEMBER_NOT_IN_SCOPE})
    return member


@router.get("/members", response={200: MemberPage, **ERRORS}, summary="Members of a unit")
def member_list(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    unit = selectors.unit_get(user=request.user, code=filters.unit)
    members = selectors.member_list(user=request.user, unit=unit)
    count = members.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [MemberOut.of(m) for m in members[start:end]]
    _log_list(request, "member", unit.code, count)
    return MemberPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.post(
    "/members",
    response={201: MemberOut, **WRITE_ERRORS},
    summary="Register a person of the registry as a member",
)
def member_create(request: HttpRequest, payload: MemberIn) -> Any:
    def work() -> tuple[int, Any]:
        unit = selectors.unit_get(user=request.user, code=payload.unit, capability=selectors.MANAGE)
        member = services.member_create(
            actor=request.user,
            unit=unit,
            person=selectors.person_for(user=request.user, person_id=payload.person_id),
            is_party_member=payload.is_party_member,
            party_since_year=payload.party_since_year,
            skills=list(payload.skills),
            availability=payload.availability,
            posts=payload.posts,
        )
        return 201, MemberOut.of(member)

    return Status(*idempotent(request, work))


class AccountLinkIn(Schema):
    account_id: Id | None = Field(description="登录账号；null 取消关联")


@router.put(
    "/members/{member_id}/account",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Link the member to the account they sign in with (关联登录账号), or unlink",
)
def member_account_set(request: HttpRequest, member_id: Id, payload: AccountLinkIn) -> Any:
    member = selectors.member_get(
        user=request.user, member_id=member_id, capability=selectors.MANAGE
    )

    def work() -> tuple[int, Any]:
        account = None
        if payload.account_id is not None:
            account = User.objects.filter(pk=payload.account_id).first()
            if account is None:
                raise ValidationError({"account_id": services.ACCOUNT_NOT_IN_SCOPE})
        try:
            linked = services.member_link_account(
                actor=request.user, member=member, account=account
            )
        except ValidationError as error:
            raise ValidationError(
                {("account_id" if k == "account" else k): v for k, v in error.message_dict.items()}
            ) from None
        return 200, MemberOut.of(linked)

    return Status(*idempotent(request, work))


class LinkByMobileIn(Schema):
    unit: UnitCode


class LinkedOut(Schema):
    linked: list[MemberOut]


@router.post(
    "/members/link-by-mobile",
    response={200: LinkedOut, **WRITE_ERRORS},
    summary="Link the unit's members to the accounts with their own mobile (unambiguous only)",
)
def member_link_by_mobile(request: HttpRequest, payload: LinkByMobileIn) -> Any:
    def work() -> tuple[int, Any]:
        unit = selectors.unit_get(user=request.user, code=payload.unit, capability=selectors.MANAGE)
        linked = services.member_link_by_mobile(actor=request.user, unit=unit)
        return 200, LinkedOut(linked=[MemberOut.of(m) for m in linked])

    return Status(*idempotent(request, work))


@router.get("/calls", response={200: CallPage, **ERRORS}, summary="Calls for volunteers")
def call_list(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    unit = selectors.unit_get(user=request.user, code=filters.unit)
    calls = selectors.call_list(user=request.user, unit=unit)
    count = calls.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [CallOut.of(c) for c in calls[start:end]]
    return CallPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.post("/calls", response={201: CallOut, **WRITE_ERRORS}, summary="Post a call (征集)")
def call_create(request: HttpRequest, payload: CallIn) -> Any:
    def work() -> tuple[int, Any]:
        unit = selectors.unit_get(user=request.user, code=payload.unit, capability=selectors.MANAGE)
        call = services.call_create(
            actor=request.user,
            unit=unit,
            title=payload.title,
            description=payload.description,
            place=payload.place,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            people_needed=payload.people_needed,
        )
        return 201, CallOut.of(call)

    return Status(*idempotent(request, work))


@router.post(
    "/calls/{call_id}/applications",
    response={201: ApplicationOut, **WRITE_ERRORS},
    summary="Apply a member to a call, or hand in a pledge to serve (请战书)",
)
def application_create(request: HttpRequest, call_id: Id, payload: ApplicationIn) -> Any:
    call = selectors.call_get(user=request.user, call_id=call_id)

    def work() -> tuple[int, Any]:
        application = services.application_create(
            actor=request.user,
            member=_member(request, payload.member_id),
            call=call,
            is_pledge=payload.is_pledge,
            statement=payload.statement,
            experience=payload.experience,
            applies_to_join_party=payload.applies_to_join_party,
        )
        return 201, ApplicationOut.of(application)

    return Status(*idempotent(request, work))


@router.post(
    "/calls/{call_id}/applications/{application_id}/select",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="Select (选派) or decline an application",
)
def application_select(
    request: HttpRequest, call_id: Id, application_id: Id, payload: SelectIn
) -> Any:
    call = selectors.call_get(user=request.user, call_id=call_id, capability=selectors.MANAGE)
    application = selectors.application_get(
        user=request.user, application_id=application_id, capability=selectors.MANAGE
    )
    if application.call_id != call.pk:
        raise Http404("未找到")
    application = services.application_decide(
        actor=request.user, application=application, select=payload.select
    )
    return Status(200, ApplicationOut.of(application))


@router.get("/teams", response={200: list[TeamOut], **ERRORS}, summary="Teams sent by a unit")
def team_list(request: HttpRequest, unit: UnitCode) -> Any:
    scope = selectors.unit_get(user=request.user, code=unit)
    teams = list(selectors.team_list(user=request.user, unit=scope)[:200])
    counts = selectors.team_sizes(teams=teams)
    return [TeamOut.of(t, counts.get(t.pk, 0)) for t in teams]


@router.post(
    "/teams",
    response={201: TeamOut, **WRITE_ERRORS},
    summary="Form a team; with branch_name, its temporary Party branch (临时党支部)",
)
def team_create(request: HttpRequest, payload: TeamIn) -> Any:
    def work() -> tuple[int, Any]:
        unit = selectors.unit_get(user=request.user, code=payload.unit, capability=selectors.MANAGE)
        members = [_member(request, pk) for pk in dict.fromkeys(payload.member_ids)]
        leader = None
        if payload.leader_id is not None:
            leader = next((m for m in members if m.pk == payload.leader_id), None)
            if leader is None:
                raise ValidationError({"leader_id": services.LEADER_NOT_IN_TEAM})
        team = services.team_create(
            actor=request.user,
            unit=unit,
            name=payload.name,
            destination=payload.destination,
            members=members,
            leader=leader,
            with_branch=bool(payload.branch_name.strip()),
            branch_name=payload.branch_name,
        )
        return 201, TeamOut.of(team, len(members))

    return Status(*idempotent(request, work))


@router.post(
    "/work-logs",
    response={201: WorkLogOut, 200: WorkLogOut, **WRITE_ERRORS},
    summary="Record a member's hours on a day (201; 200 replays a client_uuid)",
)
def work_log_create(request: HttpRequest, payload: WorkLogIn) -> Any:
    def work() -> tuple[int, Any]:
        log, created = services.work_log_record(
            actor=request.user,
            member=selectors.member_for(user=request.user, member_id=payload.member_id),
            day=payload.day,
            hours=payload.hours,
            cancelled_leave=payload.cancelled_leave,
            client_uuid=payload.client_uuid,
        )
        return (201 if created else 200), WorkLogOut.of(log)

    return Status(*idempotent(request, work))


@router.get(
    "/assignments",
    response={200: list[AssignmentOut], **ERRORS},
    summary="Duties of a unit's members (other than checkpoint shifts), newest first",
)
def assignment_list(request: HttpRequest, unit: UnitCode, on: Day | None = None) -> Any:
    unit_obj = selectors.unit_get(user=request.user, code=unit)
    rows = list(selectors.assignment_list(user=request.user, unit=unit_obj, on=on)[:500])
    _log_list(request, "assignment", unit_obj.code, len(rows))
    return [AssignmentOut.of(a) for a in rows]


@router.post(
    "/assignments",
    response={201: AssignmentOut, **WRITE_ERRORS},
    summary="Put a member on a duty with a place and a time (派遣)",
)
def assignment_create(request: HttpRequest, payload: AssignmentIn) -> Any:
    member = _member(request, payload.member_id, selectors.MANAGE)
    call = None
    if payload.call_id is not None:
        call = selectors.call_get(user=request.user, call_id=payload.call_id)

    def work() -> tuple[int, Any]:
        assignment = services.assignment_create(
            actor=request.user,
            member=member,
            duty=payload.duty,
            place=payload.place,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            call=call,
        )
        return 201, AssignmentOut.of(assignment)

    return Status(*idempotent(request, work))


@router.post(
    "/calls/{call_id}/close",
    response={200: CallOut, **WRITE_ERRORS},
    summary="Close a call: no more applications",
)
def call_close(request: HttpRequest, call_id: Id) -> Any:
    call = selectors.call_get(user=request.user, call_id=call_id, capability=selectors.MANAGE)
    return Status(200, CallOut.of(services.call_close(actor=request.user, call=call)))
