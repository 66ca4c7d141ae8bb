"""Returnees API (返乡人员): travel records and the high-risk area list."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status

from bastion.accounts.jurisdiction import has_capability, scoped
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.masking import mask_id_number, mask_mobile
from bastion.core.schemas import ErrorOut, Page, UnitCode, page_bounds
from bastion.people.models import Person
from bastion.screening import selectors, services
from bastion.screening.api import router
from bastion.screening.api.common import CHANNEL, ERRORS, TEXT, WRITE_ERRORS, ObjectId
from bastion.screening.api.sweeps import ArrivalIn, TransportCode
from bastion.screening.models import HighRiskArea, TravelRecord
from bastion.screening.services.returnees import Arrival
from bastion.screening.services.travel import Journey


class TravelOut(Schema):
    id: int
    person_id: int
    person_name: str
    person_mobile_masked: str
    person_id_number_masked: str
    unit_code: str
    household_id: int | None
    address: str
    origin_province: str
    origin_city: str
    origin_county: str
    is_high_risk: bool
    risk_area: str | None
    departed_on: date | None
    arrived_on: date
    transport: TransportCode
    transport_no: str
    companions_note: str
    companion_ids: list[int]
    source: Literal["visit", "manual", "self_registration", "import"]
    created_at: datetime
    version: int

    @staticmethod
    def of(record: TravelRecord) -> "TravelOut":
        person = record.person
        return TravelOut(
            id=record.pk,
            person_id=person.pk,
            person_name=person.name,
            person_mobile_masked=mask_mobile(person.mobile),
            person_id_number_masked=mask_id_number(person.id_number),
            unit_code=record.unit_code,
            household_id=record.household_id,
            address=record.household.address if record.household else "",
            origin_province=record.origin_province,
            origin_city=record.origin_city,
            origin_county=record.origin_county,
            is_high_risk=record.is_high_risk,
            risk_area=record.risk_area.name if record.risk_area else None,
            departed_on=record.departed_on,
            arrived_on=record.arrived_on,
            transport=record.transport,  # type: ignore[arg-type]
            transport_no=record.transport_no,
            companions_note=record.companions_note,
            companion_ids=[c.pk for c in record.companions.all()],
            source=record.source,  # type: ignore[arg-type]
            created_at=record.created_at,
            version=record.version,
        )


class TravelPage(Page):
    items: list[TravelOut]


class TravelFilters(Schema):
    unit: UnitCode | None = None
    high_risk: bool | None = None
    arrived_since: str | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="YYYY-MM-DD",
        json_schema_extra={"format": "date"},
    )
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class TravelIn(ArrivalIn):
    unit: UnitCode
    address: str = Field(min_length=1, max_length=200, pattern=TEXT)
    companion_ids: list[int] = Field(
        default_factory=list, max_length=20, description="同行人员（已登记的人员 id）"
    )


class TravelPatchIn(Schema):
    """Only the fields sent change; `version` is the one read (409 if someone saved since)."""

    version: int = Field(ge=1, le=2**31 - 1)
    origin_province: str | None = Field(None, max_length=20, pattern=TEXT)
    origin_city: str | None = Field(None, max_length=30, pattern=TEXT)
    origin_county: str | None = Field(None, max_length=30, pattern=TEXT)
    origin_code: str | None = Field(None, max_length=12, pattern=r"^[0-9]*$")
    departed_on: date | None = None
    arrived_on: date | None = None
    transport: TransportCode | None = None
    transport_no: str | None = Field(None, max_length=20, pattern=TEXT)
    companions_note: str | None = Field(None, max_length=200, pattern=TEXT)


class TravelConflictOut(ErrorOut):
    current: TravelOut


class AreaOut(Schema):
    id: int
    name: str
    code: str
    province: str
    city: str
    county: str
    active_from: date
    active_to: date | None

    @staticmethod
    def of(area: HighRiskArea) -> "AreaOut":
        return AreaOut(
            id=area.pk,
            name=area.name,
            code=area.code,
            province=area.province,
            city=area.city,
            county=area.county,
            active_from=area.active_from,
            active_to=area.active_to,
        )


class AreaIn(Schema):
    name: str = Field("", max_length=60, pattern=TEXT)
    province: str = Field(min_length=1, max_length=20, pattern=TEXT)
    city: str = Field("", max_length=30, pattern=TEXT)
    county: str = Field("", max_length=30, pattern=TEXT)
    code: str = Field("", max_length=12, pattern=r"^[0-9]*$")
    active_from: date
    active_to: date | None = None


def _companions(request: HttpRequest, ids: list[int]) -> list[Person]:
    """Companions must be persons the caller can see; an unknown id is a field error."""
    if not ids:
        return []
    found = list(scoped(request.user, Person.objects.filter(pk__in=ids), Capability.VIEW_PERSONS))
    if len(found) != len(set(ids)):
        raise ValidationError({"companion_ids": "同行人员不存在或不在您的辖区内。"})
    return found


@router.get(
    "/travel-records",
    response={200: TravelPage, **ERRORS},
    summary="Travel records of returnees (行程), latest arrivals first",
)
def travel_list(request: HttpRequest, filters: Query[TravelFilters]) -> Any:
    try:
        since = date.fromisoformat(filters.arrived_since) if filters.arrived_since else None
    except ValueError:
        raise ValidationError({"arrived_since": "请填写正确的日期，例如 2020-01-25。"}) from None
    records = selectors.travel_list(
        user=request.user, unit_code=filters.unit, high_risk=filters.high_risk, arrived_since=since
    )
    count = records.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [TravelOut.of(r) for r in records[start:end]]
    access_log_write(
        user=request.user,
        action=Action.LIST,
        object_type="travel_record",
        unit_code=filters.unit or "",
        detail={"count": count},
        channel=CHANNEL,
    )
    return TravelPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.post(
    "/travel-records",
    response={201: TravelOut, **WRITE_ERRORS},
    summary="Register a returnee and their journey (accepts Idempotency-Key)",
)
def travel_create(request: HttpRequest, payload: TravelIn) -> Any:
    user = request.user

    def work() -> tuple[int, Any]:
        unit = selectors.signal_unit(
            user=user, code=payload.unit, capability=Capability.RECORD_SCREENING
        )
        if unit is None:
            raise ValidationError({"unit": "请选择您辖区内的村（社区）或网格。"})
        record = services.returnee_register(
            actor=user,
            unit=unit,
            address=payload.address,
            arrival=Arrival(
                name=payload.name,
                id_number=payload.id_number,
                mobile=payload.mobile,
                journey=Journey(
                    origin_province=payload.origin_province,
                    origin_city=payload.origin_city,
                    origin_county=payload.origin_county,
                    origin_code=payload.origin_code,
                    departed_on=payload.departed_on,
                    arrived_on=payload.arrived_on,
                    transport=payload.transport,
                    transport_no=payload.transport_no,
                    companions_note=payload.companions_note,
                ),
            ),
            companions=_companions(request, payload.companion_ids),
            channel=CHANNEL,
        )
        return 201, TravelOut.of(record)

    return Status(*idempotent(request, work))


@router.get("/travel-records/{record_id}", response={200: TravelOut, **ERRORS})
def travel_get(request: HttpRequest, record_id: ObjectId) -> Any:
    record = selectors.travel_get(user=request.user, record_id=record_id)
    access_log_write(
        user=request.user,
        action=Action.VIEW,
        object_type="travel_record",
        object_id=record.pk,
        unit_code=record.unit_code,
        channel=CHANNEL,
    )
    return TravelOut.of(record)


def _blank_to_empty(values: dict[str, Any]) -> dict[str, Any]:
    """A text field sent as null means empty; a date sent as null means none."""
    return {k: "" if v is None and not k.endswith("_on") else v for k, v in values.items()}


@router.patch(
    "/travel-records/{record_id}",
    response={200: TravelOut, **WRITE_ERRORS, 409: TravelConflictOut},
    summary="Correct a journey (修改行程): send the version read; 409 if it is stale",
)
def travel_patch(request: HttpRequest, record_id: ObjectId, payload: TravelPatchIn) -> Any:
    user = request.user
    record = selectors.travel_get(
        user=user, record_id=record_id, capability=Capability.RECORD_SCREENING
    )
    sent = payload.dict(exclude_unset=True)
    sent.pop("version", None)
    for required in ("origin_province", "arrived_on", "transport"):
        if required in sent and sent[required] is None:
            raise ValidationError({required: "该项不能为空。"})
    values = {f: getattr(record, f) for f in services.TRAVEL_EDITABLE} | sent
    try:
        updated = services.travel_record_update(
            actor=user,
            record=record,
            version=payload.version,
            journey=Journey(**_blank_to_empty(values)),
            channel=CHANNEL,
        )
    except StaleVersion as e:
        current = selectors.travel_get(user=user, record_id=record_id)
        return Status(409, TravelConflictOut(detail=str(e), current=TravelOut.of(current)))
    return TravelOut.of(selectors.travel_get(user=user, record_id=updated.pk))


@router.get(
    "/risk-areas",
    response={200: list[AreaOut], **ERRORS},
    summary="The high-risk area list (高风险地区)",
)
def risk_area_list(request: HttpRequest, current: bool = False) -> Any:
    return [AreaOut.of(a) for a in selectors.risk_area_list(current_only=current)[:500]]


@router.post(
    "/risk-areas",
    response={201: AreaOut, **WRITE_ERRORS},
    summary="Add an area to the high-risk list (city and county commands)",
)
def risk_area_create(request: HttpRequest, payload: AreaIn) -> Any:
    if not has_capability(request.user, Capability.MANAGE_RISK_AREAS):
        return Status(403, ErrorOut(detail="无权修改高风险地区名单。"))

    def work() -> tuple[int, Any]:
        area = services.high_risk_area_create(actor=request.user, **payload.model_dump())
        return 201, AreaOut.of(area)

    return Status(*idempotent(request, work))
