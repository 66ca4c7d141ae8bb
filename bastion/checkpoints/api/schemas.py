"""Schemas of the checkpoints API. ID numbers and phones leave the server masked."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Path, Schema
from pydantic import field_validator

from bastion.checkpoints.models import (
    Checkpoint,
    PassengerCheck,
    VehiclePassage,
)
from bastion.core.masking import mask_id_number, mask_mobile
from bastion.core.schemas import MAX_ID, ErrorOut, UnitCode
from bastion.orgs.models import OrgUnit

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
# No control characters: never part of a name or a plate, and PostgreSQL refuses NUL.
Text = r"^[^\x00-\x1f\x7f]*$"

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# A body that is not JSON at all answers 400.
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut}

CheckpointKindCode = Literal[
    "highway_interchange",
    "toll_station",
    "road",
    "railway_station",
    "bus_station",
    "village_entrance",
]
StaffKindCode = Literal["police", "health", "transport", "township", "volunteer"]
VehicleKindCode = Literal["car", "bus", "truck", "van", "motorcycle", "other"]
PurposeCode = Literal[
    "return_home", "work", "visit", "freight", "supplies", "official", "transit", "other"
]
DispositionCode = Literal["released", "turned_back", "held"]
DecisionCode = Literal["pass", "pass_and_hand_over", "refer_fever_point", "turn_back"]


def sane_time(value: datetime | None) -> datetime | None:
    """Years far outside the epidemic cannot be converted between time zones safely; a time
    without a zone is Beijing time."""
    if value is None:
        return None
    if not 2000 <= value.year <= 2100:
        raise ValueError("时间超出范围。")
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def sane_day(value: date | None) -> date | None:
    if value is not None and not 2000 <= value.year <= 2100:
        raise ValueError("日期超出范围。")
    return value


class UnitRef(Schema):
    code: str
    name: str
    level: str

    @staticmethod
    def of(unit: OrgUnit) -> "UnitRef":
        return UnitRef(code=unit.code, name=unit.name, level=unit.level)


# ---- checkpoints -------------------------------------------------------------------------


class SlotSchema(Schema):
    code: str = Field(pattern=r"^[a-z0-9_]{1,16}$")
    label: str = Field(min_length=1, max_length=20, pattern=Text)
    starts: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM")
    hours: int = Field(ge=1, le=24)


class CheckpointOut(Schema):
    code: str
    name: str
    kind: CheckpointKindCode
    place: str
    parent: UnitRef | None
    responsible_unit: UnitRef | None
    person_in_charge: str
    phone_masked: str
    opens_on: date | None
    closes_on: date | None
    serving_kinds: list[StaffKindCode]
    slots: list[SlotSchema]
    minimum_total: int
    minimum_by_kind: dict[str, int]
    max_hours_in_24: int
    version: int

    @staticmethod
    def of(c: Checkpoint) -> "CheckpointOut":
        return CheckpointOut(
            code=c.unit_code,
            name=c.unit.name,
            kind=c.kind,  # type: ignore[arg-type]
            place=c.place,
            parent=UnitRef.of(c.unit.parent) if c.unit.parent else None,
            responsible_unit=UnitRef.of(c.responsible_unit) if c.responsible_unit else None,
            person_in_charge=c.person_in_charge,
            phone_masked=mask_mobile(c.phone),
            opens_on=c.opens_on,
            closes_on=c.closes_on,
            serving_kinds=c.serving_kinds,
            slots=[SlotSchema(**s) for s in c.slots],
            minimum_total=c.minimum_total,
            minimum_by_kind=c.minimum_by_kind,
            max_hours_in_24=c.max_hours_in_24,
            version=c.version,
        )


class MinimumsSchema(Schema):
    police: int = Field(0, ge=0, le=20)
    health: int = Field(0, ge=0, le=20)
    transport: int = Field(0, ge=0, le=20)
    township: int = Field(0, ge=0, le=20)
    volunteer: int = Field(0, ge=0, le=20)


class CheckpointFields(Schema):
    place: str = Field("", max_length=200, pattern=Text)
    responsible_unit: UnitCode | None = None
    person_in_charge: str = Field("", max_length=40, pattern=Text)
    phone: str = Field("", max_length=30, pattern=Text)
    opens_on: date | None = None
    closes_on: date | None = None
    serving_kinds: list[StaffKindCode] = Field(default_factory=list, max_length=5)
    slots: list[SlotSchema] | None = Field(None, min_length=1, max_length=6)
    minimum_total: int = Field(2, ge=0, le=50)
    minimum_by_kind: MinimumsSchema | None = None
    max_hours_in_24: int = Field(12, ge=1, le=24)

    _days = field_validator("opens_on", "closes_on")(sane_day)


class CheckpointIn(CheckpointFields):
    parent: UnitCode = Field(description="所在的县区、乡镇（街道）或村（社区）")
    name: str = Field(min_length=1, max_length=100, pattern=Text)
    kind: CheckpointKindCode


class CheckpointPatch(Schema):
    version: int = Field(ge=1, le=2**31 - 1)
    kind: CheckpointKindCode | None = None
    place: str | None = Field(None, max_length=200, pattern=Text)
    responsible_unit: UnitCode | None = None
    person_in_charge: str | None = Field(None, max_length=40, pattern=Text)
    phone: str | None = Field(None, max_length=30, pattern=Text)
    opens_on: date | None = None
    closes_on: date | None = None
    serving_kinds: list[StaffKindCode] | None = Field(None, max_length=5)
    slots: list[SlotSchema] | None = Field(None, min_length=1, max_length=6)
    minimum_total: int | None = Field(None, ge=0, le=50)
    minimum_by_kind: MinimumsSchema | None = None
    max_hours_in_24: int | None = Field(None, ge=1, le=24)

    _days = field_validator("opens_on", "closes_on")(sane_day)


class CheckpointConflictOut(ErrorOut):
    current: CheckpointOut


class OriginOut(Schema):
    name: str
    is_high_risk: bool


# ---- passages ----------------------------------------------------------------------------


class OccupantIn(Schema):
    name: str = Field(max_length=40, pattern=Text)
    id_number: str = Field("", max_length=40, pattern=Text)
    phone: str = Field("", max_length=30, pattern=Text)
    temperature: float | None = Field(None, ge=-1000, le=1000, allow_inf_nan=False)
    no_temperature_reason: str = Field("", max_length=100, pattern=Text)
    decision: DecisionCode = "pass"


class PassageIn(Schema):
    client_uuid: uuid.UUID = Field(description="客户端生成；重发同一个 UUID 只登记一次")
    checkpoint: UnitCode
    plate: str = Field(max_length=20, pattern=Text)
    vehicle_kind: VehicleKindCode = "car"
    origin: str = Field("", max_length=60, pattern=Text)
    destination: UnitCode | None = Field(None, description="目的地：本市的县区、乡镇或村（社区）")
    purpose: PurposeCode = "other"
    disposition: DispositionCode | None = Field(
        None, description="省略时按人员处置推定：全部劝返则劝返，否则放行"
    )
    note: str = Field("", max_length=200, pattern=Text)
    occurred_at: datetime | None = Field(None, description="省略时为服务器收到的时间")
    occupants: list[OccupantIn] = Field(max_length=60)

    _time = field_validator("occurred_at")(sane_time)


class OccupantOut(Schema):
    position: int
    name: str
    id_number_masked: str
    mobile_masked: str
    temperature: float | None
    no_temperature_reason: str
    is_fever: bool
    decision: DecisionCode
    is_close_contact: bool
    signal_id: int | None

    @staticmethod
    def of(o: PassengerCheck) -> "OccupantOut":
        return OccupantOut(
            position=o.position,
            name=o.name,
            id_number_masked=mask_id_number(o.id_number),
            mobile_masked=mask_mobile(o.mobile),
            temperature=float(o.temperature) if o.temperature is not None else None,
            no_temperature_reason=o.no_temperature_reason,
            is_fever=o.is_fever,
            decision=o.decision,  # type: ignore[arg-type]
            is_close_contact=o.is_close_contact,
            signal_id=o.signal_id,
        )


class PassageOut(Schema):
    id: int
    client_uuid: uuid.UUID
    checkpoint: str
    checkpoint_name: str
    shift_id: int | None
    plate: str
    vehicle_kind: VehicleKindCode
    origin: str
    origin_high_risk: bool
    destination: UnitRef | None
    purpose: PurposeCode
    disposition: DispositionCode
    note: str
    occurred_at: datetime
    occupants: list[OccupantOut]

    @staticmethod
    def of(p: VehiclePassage) -> "PassageOut":
        return PassageOut(
            id=p.pk,
            client_uuid=p.client_uuid,
            checkpoint=p.unit_code,
            checkpoint_name=p.checkpoint.unit.name,
            shift_id=p.shift_id,
            plate=p.plate,
            vehicle_kind=p.vehicle_kind,  # type: ignore[arg-type]
            origin=p.origin,
            origin_high_risk=p.origin_high_risk,
            destination=UnitRef.of(p.destination) if p.destination else None,
            purpose=p.purpose,  # type: ignore[arg-type]
            disposition=p.disposition,  # type: ignore[arg-type]
            note=p.note,
            occurred_at=p.occurred_at,
            occupants=[OccupantOut.of(o) for o in p.occupants.all()],
        )


class PassagePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PassageOut]


class PassageFilters(Schema):
    checkpoint: UnitCode
    shift: int | None = Field(None, ge=1, le=MAX_ID)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class LookupIn(Schema):
    plate: str | None = Field(None, max_length=20, pattern=Text)
    id_number: str | None = Field(None, max_length=40, pattern=Text)
    phone: str | None = Field(None, max_length=30, pattern=Text)


class LookupOut(Schema):
    kind: Literal["plate", "id_number", "phone"]
    count: int
    items: list[PassageOut]


def minimums_dict(m: MinimumsSchema | None) -> dict[str, int] | None:
    return None if m is None else {k: v for k, v in m.model_dump().items() if v}


def as_list(value: Any) -> list[Any]:
    return list(value) if value is not None else []
