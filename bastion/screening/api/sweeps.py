"""Sweeps API (入户排查): sweeps, coverage, what is left, and household visits."""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema, Status

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.masking import mask_id_number, mask_mobile
from bastion.core.schemas import MAX_ID, Page, UnitCode, page_bounds
from bastion.orgs.models import OrgUnit
from bastion.screening import selectors, services
from bastion.screening.api import router
from bastion.screening.api.common import CHANNEL, ERRORS, TEXT, WRITE_ERRORS, ObjectId
from bastion.screening.models import HouseholdVisit, Sweep, VisitMember
from bastion.screening.services.members import MAX_MEMBERS, Member
from bastion.screening.services.returnees import Arrival
from bastion.screening.services.sweeps import MAX_ARRIVALS
from bastion.screening.services.travel import Journey

ResultCode = Literal["visited", "not_home", "refused", "moved_out"]
RelationCode = Literal[
    "head",
    "spouse",
    "child",
    "parent",
    "grandchild",
    "grandparent",
    "sibling",
    "relative",
    "tenant",
    "other",
]
TransportCode = Literal["train", "plane", "coach", "self_drive", "other"]


class SweepOut(Schema):
    id: int
    name: str
    unit_code: str
    unit_name: str
    starts_on: date
    ends_on: date

    @staticmethod
    def of(sweep: Sweep) -> "SweepOut":
        return SweepOut(
            id=sweep.pk,
            name=sweep.name,
            unit_code=sweep.unit_code,
            unit_name=sweep.unit.name,
            starts_on=sweep.starts_on,
            ends_on=sweep.ends_on,
        )


class SweepIn(Schema):
    unit: UnitCode
    name: str = Field("", max_length=80, pattern=TEXT)
    starts_on: date
    ends_on: date


class CoverageRow(Schema):
    unit_code: str
    unit_name: str
    known: int = Field(description="households known (已知户)")
    done: int = Field(description="households visited or found moved out (已走访)")
    to_visit: int
    not_home: int = Field(description="not home at the last try: revisit (需复访)")
    refused: int
    percent: int

    @staticmethod
    def of(c: selectors.Coverage) -> "CoverageRow":
        return CoverageRow(
            unit_code=c.unit.code,
            unit_name=c.unit.name,
            known=c.known,
            done=c.done,
            to_visit=c.to_visit,
            not_home=c.not_home,
            refused=c.refused,
            percent=c.percent,
        )


class CoverageOut(Schema):
    total: CoverageRow
    children: list[CoverageRow]


class TodoOut(Schema):
    household_id: int
    address: str
    unit_code: str
    last_result: ResultCode | None


class JourneyIn(Schema):
    origin_province: str = Field(max_length=20, pattern=TEXT)
    origin_city: str = Field("", max_length=30, pattern=TEXT)
    origin_county: str = Field("", max_length=30, pattern=TEXT)
    origin_code: str = Field("", max_length=12, pattern=r"^[0-9]*$")
    departed_on: date | None = None
    arrived_on: date
    transport: TransportCode
    transport_no: str = Field("", max_length=20, pattern=TEXT)
    companions_note: str = Field("", max_length=200, pattern=TEXT, description="同行人员")


class ArrivalIn(JourneyIn):
    name: str = Field(min_length=1, max_length=40, pattern=TEXT)
    id_number: str = Field("", max_length=40, pattern=TEXT)
    mobile: str = Field("", max_length=30, pattern=TEXT)


class MemberIn(Schema):
    name: str = Field(min_length=1, max_length=40, pattern=TEXT)
    relation: RelationCode = Field(description="与户主关系")
    id_number: str = Field("", max_length=40, pattern=TEXT)
    mobile: str = Field("", max_length=30, pattern=TEXT)
    arrived_recently: bool = Field(False, description="arrived from elsewhere within the window")
    person_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="a member known from GET .../members"
    )


class MemberOut(Schema):
    person_id: int
    name: str
    relation: RelationCode | Literal[""]
    id_number_masked: str
    mobile_masked: str
    arrived_recently: bool = False

    @staticmethod
    def of(line: VisitMember) -> "MemberOut":
        p = line.person
        return MemberOut(
            person_id=p.pk,
            name=p.name,
            relation=line.relation,  # type: ignore[arg-type]
            id_number_masked=mask_id_number(p.id_number),
            mobile_masked=mask_mobile(p.mobile),
            arrived_recently=line.arrived_recently,
        )


class VisitIn(Schema):
    household_id: int = Field(ge=1, le=MAX_ID)
    result: ResultCode
    residents: int | None = Field(None, ge=0, le=99)
    note: str = Field("", max_length=200, pattern=TEXT)
    visited_at: datetime | None = None
    arrivals: list[ArrivalIn] = Field(default_factory=list, max_length=MAX_ARRIVALS)
    members: list[MemberIn] = Field(
        default_factory=list, max_length=MAX_MEMBERS, description="who lives there (在住人员)"
    )
    client_uuid: UUID | None = None


class VisitOut(Schema):
    id: int
    sweep_id: int
    household_id: int
    address: str
    unit_code: str
    result: ResultCode
    residents: int | None
    note: str
    visited_at: datetime
    travel_record_ids: list[int]
    members: list[MemberOut]

    @staticmethod
    def of(visit: HouseholdVisit) -> "VisitOut":
        return VisitOut(
            id=visit.pk,
            sweep_id=visit.sweep_id,
            household_id=visit.household_id,
            address=visit.household.address,
            unit_code=visit.unit_code,
            result=visit.result,  # type: ignore[arg-type]
            residents=visit.residents,
            note=visit.note,
            visited_at=visit.visited_at,
            travel_record_ids=[t.pk for t in visit.travel_records.all()],
            members=[MemberOut.of(m) for m in visit.members.all()],
        )


class VisitPage(Page):
    items: list[VisitOut]


class VisitFilters(Schema):
    unit: UnitCode | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


def _unit_inside(request: HttpRequest, sweep: Sweep, code: str | None) -> OrgUnit | None:
    if not code:
        return None
    unit = selectors.unit_in_scope(
        user=request.user, code=code, capability=Capability.VIEW_SCREENING
    )
    if not unit.code.startswith(sweep.scope_prefix):
        raise Http404("未找到")
    return unit


@router.get("/sweeps", response={200: list[SweepOut], **ERRORS}, summary="Sweeps (排查轮次)")
def sweep_list(request: HttpRequest) -> Any:
    return [SweepOut.of(s) for s in selectors.sweep_list(user=request.user)[:200]]


@router.post(
    "/sweeps",
    response={201: SweepOut, **WRITE_ERRORS},
    summary="Start a sweep of a township or village (accepts Idempotency-Key)",
)
def sweep_create(request: HttpRequest, payload: SweepIn) -> Any:
    user = request.user

    def work() -> tuple[int, Any]:
        unit = None
        if code_in_scope(user, payload.unit, Capability.MANAGE_SCREENING):
            unit = OrgUnit.objects.filter(code=payload.unit).first()
        sweep = services.sweep_start(
            actor=user,
            unit=unit,
            name=payload.name,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
        )
        return 201, SweepOut.of(sweep)

    return Status(*idempotent(request, work))


@router.get("/sweeps/{sweep_id}", response={200: SweepOut, **ERRORS})
def sweep_get(request: HttpRequest, sweep_id: ObjectId) -> Any:
    return SweepOut.of(selectors.sweep_get(user=request.user, sweep_id=sweep_id))


@router.get(
    "/sweeps/{sweep_id}/coverage",
    response={200: CoverageOut, **ERRORS},
    summary="Coverage (不漏一户) of the sweep or of a unit inside it, per child unit",
)
def sweep_coverage(request: HttpRequest, sweep_id: ObjectId, unit: UnitCode | None = None) -> Any:
    sweep = selectors.sweep_get(user=request.user, sweep_id=sweep_id)
    scope = _unit_inside(request, sweep, unit)
    total, rows = selectors.sweep_coverage(user=request.user, sweep=sweep, unit=scope)
    return CoverageOut(total=CoverageRow.of(total), children=[CoverageRow.of(r) for r in rows])


@router.get(
    "/sweeps/{sweep_id}/todo",
    response={200: list[TodoOut], **ERRORS},
    summary="Households left to visit: never visited first, then not home, then refused",
)
def sweep_todo(
    request: HttpRequest,
    sweep_id: ObjectId,
    unit: UnitCode | None = None,
    q: str = Query("", max_length=50, pattern=TEXT),  # type: ignore[type-arg]
) -> Any:
    sweep = selectors.sweep_get(user=request.user, sweep_id=sweep_id)
    scope = _unit_inside(request, sweep, unit)
    todo = selectors.sweep_todo(
        user=request.user, sweep=sweep, unit_code=scope.scope_prefix if scope else None, q=q
    )
    return [
        TodoOut(
            household_id=t.household.pk,
            address=t.household.address,
            unit_code=t.household.unit_code,
            last_result=t.last_result,  # type: ignore[arg-type]
        )
        for t in todo
    ]


@router.get(
    "/sweeps/{sweep_id}/households/{household_id}/members",
    response={200: list[MemberOut], **ERRORS},
    summary="Who is known to live in a household: to pre-fill the next visit (masked)",
)
def household_members(request: HttpRequest, sweep_id: ObjectId, household_id: ObjectId) -> Any:
    sweep = selectors.sweep_get(user=request.user, sweep_id=sweep_id)
    household = selectors.sweep_household(user=request.user, sweep=sweep, household_id=household_id)
    return [
        MemberOut(
            person_id=k.person.pk,
            name=k.person.name,
            relation=k.relation,  # type: ignore[arg-type]
            id_number_masked=mask_id_number(k.person.id_number),
            mobile_masked=mask_mobile(k.person.mobile),
        )
        for k in selectors.household_known_members(household=household)
    ]


@router.get("/sweeps/{sweep_id}/visits", response={200: VisitPage, **ERRORS})
def visit_list(request: HttpRequest, sweep_id: ObjectId, filters: Query[VisitFilters]) -> Any:
    sweep = selectors.sweep_get(user=request.user, sweep_id=sweep_id)
    scope = _unit_inside(request, sweep, filters.unit)
    visits = selectors.visit_list(
        user=request.user, sweep=sweep, unit_code=scope.scope_prefix if scope else None
    ).prefetch_related("travel_records", "members__person")
    count = visits.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [VisitOut.of(v) for v in visits[start:end]]
    return VisitPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.post(
    "/sweeps/{sweep_id}/visits",
    response={200: VisitOut, 201: VisitOut, **WRITE_ERRORS},
    summary="Record a household visit with any returnees met (replays on client_uuid)",
)
def visit_create(request: HttpRequest, sweep_id: ObjectId, payload: VisitIn) -> Any:
    user = request.user
    sweep = selectors.sweep_get(user=user, sweep_id=sweep_id)

    def work() -> tuple[int, Any]:
        try:
            household = selectors.sweep_household(
                user=user, sweep=sweep, household_id=payload.household_id
            )
        except Http404:
            raise ValidationError({"household_id": "住户不存在或不在您的辖区内。"}) from None
        visit, created = services.visit_record(
            actor=user,
            sweep=sweep,
            household=household,
            result=payload.result,
            residents=payload.residents,
            note=payload.note,
            visited_at=payload.visited_at,
            client_uuid=payload.client_uuid,
            members=[
                Member(
                    name=m.name,
                    relation=m.relation,
                    id_number=m.id_number,
                    mobile=m.mobile,
                    arrived_recently=m.arrived_recently,
                    person_id=m.person_id,
                )
                for m in payload.members
            ],
            arrivals=[
                Arrival(
                    name=a.name,
                    id_number=a.id_number,
                    mobile=a.mobile,
                    journey=Journey(
                        origin_province=a.origin_province,
                        origin_city=a.origin_city,
                        origin_county=a.origin_county,
                        origin_code=a.origin_code,
                        departed_on=a.departed_on,
                        arrived_on=a.arrived_on,
                        transport=a.transport,
                        transport_no=a.transport_no,
                        companions_note=a.companions_note,
                    ),
                )
                for a in payload.arrivals
            ],
            channel=CHANNEL,
        )
        return (201 if created else 200), VisitOut.of(visit)

    return Status(*idempotent(request, work))
