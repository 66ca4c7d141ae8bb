"""Gatherings API (酒宴): record, list, read, record the action and outcome, attendees, counts."""

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.community import selectors, services
from bastion.community.api.common import CHANNEL, ERRORS, TEXT, WRITE_ERRORS, ObjectId
from bastion.community.models import Gathering
from bastion.community.services import gatherings as rules
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.schemas import MAX_ID, Day, ErrorOut, Page, UnitCode, page_bounds
from bastion.orgs.models import OrgUnit
from bastion.people import selectors as people_selectors
from bastion.people.models import Person

router = Router(tags=["gatherings"])

KindCode = Literal["wedding", "birthday", "funeral", "house_warming", "other"]
ActionCode = Literal["", "visit", "call"]
OutcomeCode = Literal[
    "", "postponed", "cancelled", "downsized", "held_with_plan", "held_against_advice"
]
Guests = Field(ge=1, le=rules.MAX_GUESTS)


class AttendeeOut(Schema):
    id: int
    name: str = Field(description="姓名；不在调用者辖区内的人员打码")
    id_number_masked: str
    mobile_masked: str
    unit_code: str


class GatheringOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    host_name: str
    host_id: int | None
    kind: KindCode
    planned_date: date
    expected_guests: int
    actual_guests: int | None
    family_only: bool
    place: str
    action: ActionCode
    acted_on: date | None
    persuaded_by: str
    outcome: OutcomeCode
    has_prevention_plan: bool
    approved_by: str
    note: str
    guest_limit: int = Field(description="记录时所在县区、计划日期适用的人数上限")
    over_limit: bool
    attendee_count: int
    warnings: list[str]
    version: int
    client_uuid: uuid.UUID | None
    created_at: datetime

    @staticmethod
    def of(gathering: Gathering, attendee_count: int | None = None) -> "GatheringOut":
        if attendee_count is None:
            attendee_count = getattr(gathering, "n_attendees", None)
        if attendee_count is None:
            attendee_count = gathering.attendees.count()
        return GatheringOut(
            id=gathering.pk,
            unit_code=gathering.unit_code,
            unit_name=gathering.unit.name,
            host_name=gathering.host_name,
            host_id=gathering.host_id,
            kind=gathering.kind,  # type: ignore[arg-type]
            planned_date=gathering.planned_date,
            expected_guests=gathering.expected_guests,
            actual_guests=gathering.actual_guests,
            family_only=gathering.family_only,
            place=gathering.place,
            action=gathering.action,  # type: ignore[arg-type]
            acted_on=gathering.acted_on,
            persuaded_by=gathering.persuaded_by,
            outcome=gathering.outcome,  # type: ignore[arg-type]
            has_prevention_plan=gathering.has_prevention_plan,
            approved_by=gathering.approved_by,
            note=gathering.note,
            guest_limit=gathering.guest_limit,
            over_limit=gathering.over_limit,
            attendee_count=attendee_count,
            warnings=selectors.gathering_warnings(gathering, today=selectors.today_of(None)),
            version=gathering.version,
            client_uuid=gathering.client_uuid,
            created_at=gathering.created_at,
        )


class GatheringDetailOut(GatheringOut):
    attendees: list[AttendeeOut]


class GatheringPage(Page):
    items: list[GatheringOut]


class ConflictOut(ErrorOut):
    current: GatheringOut


class GatheringFilters(Schema):
    unit: UnitCode | None = None
    outcome: OutcomeCode | Literal["pending"] | None = Field(
        None, description="结果；pending 为待定（尚无结果）"
    )
    date_from: Day | None = Field(None, description="计划日期起")
    date_to: Day | None = Field(None, description="计划日期止")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class GatheringIn(Schema):
    unit: UnitCode = Field(description="村（社区）或网格的代码")
    host_name: str = Field("", max_length=40, pattern=TEXT, description="给了 host_id 时可省略")
    host_id: int | None = Field(None, ge=1, le=MAX_ID, description="办宴人在人员库中的编号")
    kind: KindCode
    planned_date: Day
    expected_guests: int = Guests
    family_only: bool = False
    place: str = Field("", max_length=200, pattern=TEXT)
    note: str = Field("", max_length=200, pattern=TEXT)
    action: ActionCode = ""
    acted_on: Day | None = None
    persuaded_by: str = Field("", max_length=40, pattern=TEXT)
    outcome: OutcomeCode = ""
    actual_guests: int | None = Field(None, ge=1, le=rules.MAX_GUESTS)
    has_prevention_plan: bool = False
    approved_by: str = Field("", max_length=60, pattern=TEXT)
    client_uuid: uuid.UUID | None = Field(None, description="手机端生成；重发时返回第一次的记录")


class GatheringPatch(Schema):
    version: int = Field(ge=1, le=2**31 - 1)
    unit: UnitCode | None = None
    host_name: str | None = Field(None, max_length=40, pattern=TEXT)
    host_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: KindCode | None = None
    planned_date: Day | None = None
    expected_guests: int | None = Field(None, ge=1, le=rules.MAX_GUESTS)
    family_only: bool | None = None
    place: str | None = Field(None, max_length=200, pattern=TEXT)
    note: str | None = Field(None, max_length=200, pattern=TEXT)
    action: ActionCode | None = None
    acted_on: Day | None = None
    persuaded_by: str | None = Field(None, max_length=40, pattern=TEXT)
    outcome: OutcomeCode | None = None
    actual_guests: int | None = Field(None, ge=1, le=rules.MAX_GUESTS)
    has_prevention_plan: bool | None = None
    approved_by: str | None = Field(None, max_length=60, pattern=TEXT)


class AttendeesIn(Schema):
    person_ids: list[int] = Field(max_length=rules.MAX_ATTENDEES)


class CountRow(Schema):
    unit_code: str
    unit_name: str
    total: int
    pending: int
    persuaded: int = Field(description="延期举办 + 取消（劝延或取消）")
    held: int
    by_outcome: dict[str, int]

    @staticmethod
    def of(counts: selectors.OutcomeCounts) -> "CountRow":
        return CountRow(
            unit_code=counts.unit.code,
            unit_name=counts.unit.name,
            total=counts.total,
            pending=counts.pending,
            persuaded=counts.persuaded,
            held=counts.held,
            by_outcome={k or "pending": v for k, v in sorted(counts.by_outcome.items())},
        )


class CountsOut(Schema):
    unit_code: str
    date_from: date | None
    date_to: date | None
    total: CountRow
    rows: list[CountRow]


class CountFilters(Schema):
    unit: UnitCode
    date_from: Day | None = None
    date_to: Day | None = None


def _entry_unit(request: HttpRequest, code: str) -> OrgUnit:
    unit = selectors.entry_units(user=request.user).filter(code=code).first()
    if unit is None:
        raise ValidationError({"unit": rules.UNIT_NOT_IN_SCOPE})
    return unit


def _host(request: HttpRequest, host_id: int | None) -> Person | None:
    if host_id is None:
        return None
    try:
        return people_selectors.person_get(user=request.user, person_id=host_id)
    except Http404:
        raise ValidationError({"host_id": rules.HOST_NOT_IN_SCOPE}) from None


def _for_clients(error: ValidationError) -> ValidationError:
    """Service errors name the `host` argument; API clients send `host_id`."""
    if hasattr(error, "error_dict") and "host" in error.error_dict:
        error.error_dict["host_id"] = error.error_dict.pop("host")
    return error


def _detail(request: HttpRequest, gathering: Gathering) -> GatheringDetailOut:
    attendees = selectors.attendees_of(user=request.user, gathering=gathering)
    return GatheringDetailOut(
        **GatheringOut.of(gathering, len(attendees)).model_dump(),
        attendees=[
            AttendeeOut(
                id=a.id,
                name=a.name,
                id_number_masked=a.id_number_masked,
                mobile_masked=a.mobile_masked,
                unit_code=a.unit_code,
            )
            for a in attendees
        ],
    )


def _log(request: HttpRequest, action: Action, unit_code: str = "", **detail: Any) -> None:
    access_log_write(
        user=request.user,
        action=action,
        object_type="gathering",
        unit_code=unit_code,
        detail=detail,
        channel=CHANNEL,
    )


@router.get("/gatherings", response={200: GatheringPage, **ERRORS}, summary="List gatherings")
def gathering_list(request: HttpRequest, filters: Query[GatheringFilters]) -> Any:
    gatherings = selectors.gathering_list(
        user=request.user,
        unit_code=filters.unit,
        outcome=filters.outcome,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    count = gatherings.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [GatheringOut.of(g) for g in gatherings[start:end]]
    _log(request, Action.LIST, filters.unit or "", count=count, page=filters.page)
    return GatheringPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.post(
    "/gatherings",
    response={201: GatheringOut, 200: GatheringOut, **WRITE_ERRORS},
    summary="Record a gathering (201; a replayed client_uuid returns the first record, 200)",
)
def gathering_create(request: HttpRequest, payload: GatheringIn) -> Any:
    def work() -> tuple[int, Any]:
        gathering, created = services.gathering_create(
            actor=request.user,
            unit=_entry_unit(request, payload.unit),
            host=_host(request, payload.host_id),
            channel=CHANNEL,
            **payload.model_dump(exclude={"unit", "host_id"}),
        )
        return (201 if created else 200), GatheringOut.of(gathering)

    try:
        return Status(*idempotent(request, work))
    except ValidationError as e:
        raise _for_clients(e) from None


@router.get(
    "/gatherings/counts",
    response={200: CountsOut, **ERRORS},
    summary="Gatherings by outcome per child unit, for gatherings planned in a period",
)
def gathering_counts(request: HttpRequest, filters: Query[CountFilters]) -> Any:
    user = request.user
    unit = selectors.unit_in_scope(
        user=user, code=filters.unit, capability=Capability.VIEW_GATHERINGS
    )
    children = selectors.unit_children(user=user, unit=unit, capability=Capability.VIEW_GATHERINGS)
    rows, total = selectors.gathering_counts(
        user=user,
        unit=unit,
        children=children,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return CountsOut(
        unit_code=unit.code,
        date_from=filters.date_from,
        date_to=filters.date_to,
        total=CountRow.of(total),
        rows=[CountRow.of(r) for r in rows],
    )


@router.get("/gatherings/{gathering_id}", response={200: GatheringDetailOut, **ERRORS})
def gathering_get(request: HttpRequest, gathering_id: ObjectId) -> Any:
    gathering = selectors.gathering_get(user=request.user, gathering_id=gathering_id)
    access_log_write(
        user=request.user,
        action=Action.VIEW,
        object_type="gathering",
        object_id=gathering.pk,
        unit_code=gathering.unit_code,
        channel=CHANNEL,
    )
    return _detail(request, gathering)


@router.patch(
    "/gatherings/{gathering_id}",
    response={200: GatheringOut, **WRITE_ERRORS, 409: ConflictOut},
    summary="Record the action and outcome, or correct a gathering; 409 if `version` is stale",
)
def gathering_update(request: HttpRequest, gathering_id: ObjectId, payload: GatheringPatch) -> Any:
    user = request.user
    gathering = selectors.gathering_get(
        user=user, gathering_id=gathering_id, capability=Capability.RECORD_GATHERINGS
    )
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "unit" in changes:
        changes["unit"] = _entry_unit(request, changes["unit"]) if changes["unit"] else None
    if "host_id" in changes:
        changes["host"] = _host(request, changes.pop("host_id"))
    # null means "leave as it is" for the fields that cannot be empty.
    for field in (
        "kind",
        "planned_date",
        "expected_guests",
        "family_only",
        "has_prevention_plan",
        "unit",
        "host_name",
        "place",
        "note",
        "persuaded_by",
        "approved_by",
        "action",
        "outcome",
    ):
        if field in changes and changes[field] is None:
            del changes[field]
    try:
        gathering = services.gathering_update(
            actor=user, gathering=gathering, version=payload.version, channel=CHANNEL, **changes
        )
    except StaleVersion as e:
        return Status(409, ConflictOut(detail=str(e), current=GatheringOut.of(e.current)))
    except ValidationError as e:
        raise _for_clients(e) from None
    return GatheringOut.of(gathering)


@router.put(
    "/gatherings/{gathering_id}/attendees",
    response={200: GatheringDetailOut, **WRITE_ERRORS},
    summary="Register the attendees of a held gathering (replaces the list)",
)
def gathering_attendees(request: HttpRequest, gathering_id: ObjectId, payload: AttendeesIn) -> Any:
    user = request.user
    gathering = selectors.gathering_get(
        user=user, gathering_id=gathering_id, capability=Capability.RECORD_GATHERINGS
    )
    wanted = set(payload.person_ids)
    # Attendees already registered stay resolvable even when outside the caller's view.
    persons = {p.pk: p for p in gathering.attendees.all() if p.pk in wanted}
    persons |= {
        p.pk: p for p in selectors.persons_for_attendance(user=user, person_ids=list(wanted))
    }
    if len(persons) != len(wanted):
        raise ValidationError({"person_ids": rules.ATTENDEE_NOT_IN_SCOPE})
    try:
        services.gathering_attendees_set(
            actor=user, gathering=gathering, persons=list(persons.values()), channel=CHANNEL
        )
    except ValidationError as e:
        if hasattr(e, "error_dict") and "attendees" in e.error_dict:
            e.error_dict["person_ids"] = e.error_dict.pop("attendees")
        raise
    gathering = selectors.gathering_get(user=user, gathering_id=gathering.pk)
    return _detail(request, gathering)
