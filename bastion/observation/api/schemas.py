"""Input and output schemas of the observation API. Inputs are constrained so that nothing a
client sends reaches a service unchecked (no 500s)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Path, Schema

from bastion.core.masking import mask_mobile
from bastion.core.schemas import MAX_ID, ErrorOut, Page, UnitCode
from bastion.observation.models import Alert, Case, CheckIn, Observation
from bastion.observation.selectors.dashboard import LatencyStats, UnitCounts

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
RefId = Annotated[int, Field(ge=1, le=MAX_ID)]
# No control characters: never part of a note, and PostgreSQL refuses NUL.
Text = r"^[^\x00-\x1f\x7f]*$"
Note = Annotated[str, Field(max_length=200, pattern=Text)]

Kind = Literal["home", "centralised", "hospital"]
Status = Literal["active", "completed", "referred", "lost_to_follow_up", "moved", "died"]
Source = Literal["self", "phone", "visit"]
Site = Literal["forehead", "armpit", "ear", "mouth", ""]
Outcome = Literal["cooperative", "unavailable", "uncooperative"]
SymptomCode = Annotated[str, Field(max_length=32, pattern=r"^[a-z][a-z0-9_]*$")]
AlertKind = Literal["fever", "symptom", "missed", "refused"]
AlertStatus = Literal["open", "acknowledged", "resolved"]

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# A body that is not JSON at all answers 400.
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut}


class ObservationIn(Schema):
    person_id: RefId
    kind: Kind = "home"
    start_date: date = Field(description="起算日期：抵达或末次暴露")
    place: str = Field("", max_length=200, pattern=Text)
    with_household: bool = Field(False, description="同住家庭成员一并纳入")
    grid_worker_id: RefId | None = None
    health_worker_id: RefId | None = None
    signal_id: RefId | None = Field(None, description="由线索转入时的线索编号")
    note: Note = ""
    client_uuid: UUID | None = None


class ObservationOut(Schema):
    id: int
    person_id: int
    person_name: str
    unit_code: str
    unit_name: str
    kind: Kind
    place: str
    status: Status
    start_date: date
    planned_end: date
    day_number: int
    policy_version: int
    grid_worker: str
    grid_worker_mobile_masked: str
    last_checkin_at: datetime | None

    @staticmethod
    def of(o: Observation) -> "ObservationOut":
        worker = o.grid_worker
        return ObservationOut(
            id=o.pk,
            person_id=o.person_id,
            person_name=o.person.name,
            unit_code=o.unit_code,
            unit_name=o.unit.name,
            kind=o.kind,  # type: ignore[arg-type]
            place=o.place,
            status=o.status,  # type: ignore[arg-type]
            start_date=o.start_date,
            planned_end=o.planned_end,
            day_number=o.day_number(on=timezone.localdate()),
            policy_version=o.policy.version,
            grid_worker=str(worker) if worker else "",
            grid_worker_mobile_masked=mask_mobile(worker.mobile) if worker else "",
            last_checkin_at=o.last_checkin_at,
        )


class ObservationCreated(ObservationOut):
    household_observation_ids: list[int] = Field(
        default_factory=list, description="同住家庭成员的医学观察编号"
    )
    skipped_person_ids: list[int] = Field(
        default_factory=list, description="已在观察中、未重复纳入的家庭成员"
    )


class ObservationPage(Page):
    items: list[ObservationOut]


class ObservationFilters(Schema):
    unit: UnitCode | None = None
    status: Status | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class CompleteIn(Schema):
    note: Note = ""


class CloseIn(Schema):
    status: Literal["lost_to_follow_up", "died"]
    note: Note = Field(min_length=1)


class PeriodIn(Schema):
    planned_end: date
    reason: Note = Field(min_length=1)


class TransferIn(Schema):
    to_unit: UnitCode
    note: Note = Field(min_length=1)


class CheckinIn(Schema):
    client_uuid: UUID
    temperature: int | float | Annotated[str, Field(max_length=20)] | None = Field(
        None, description="°C，精确到 0.1；也接受“36,5”这样的写法"
    )
    site: Site = ""
    symptoms: list[SymptomCode] = Field(default_factory=list, max_length=20)
    measured_at: datetime | None = Field(None, description="测量时间，缺省为现在")
    source: Source = "visit"
    outcome: Outcome = "cooperative"
    note: Note = ""
    corrects: RefId | None = Field(None, description="被更正的测温记录编号")


class CheckinOut(Schema):
    id: int
    observation_id: int
    client_uuid: UUID
    day: date
    slot: str
    measured_at: datetime
    temperature: Decimal | None
    site: str
    symptoms: list[str]
    source: str
    outcome: str
    note: str
    is_fever: bool
    corrects_id: int | None

    @staticmethod
    def of(c: CheckIn) -> "CheckinOut":
        return CheckinOut(
            id=c.pk,
            observation_id=c.observation_id,
            client_uuid=c.client_uuid,
            day=c.day,
            slot=c.slot,
            measured_at=c.measured_at,
            temperature=c.temperature,
            site=c.site,
            symptoms=list(c.symptoms),
            source=c.source,
            outcome=c.outcome,
            note=c.note,
            is_fever=c.is_fever,
            corrects_id=c.corrects_id,
        )


class CheckinListItem(CheckinOut):
    superseded: bool = Field(description="已被更正，不再计入")


class CheckinList(Schema):
    count: int
    items: list[CheckinListItem]


class GridCellOut(Schema):
    slot: str
    state: Literal["seen_ok", "seen_not_ok", "missed", "not_due", "not_applicable"]
    checkin_id: int | None


class GridDayOut(Schema):
    day: date
    number: int
    cells: list[GridCellOut]


class SupplyIn(Schema):
    item: Literal["masks", "thermometer", "disinfectant", "necessities", "medicine", "other"]
    quantity: int = Field(1, ge=1, le=10_000)
    delivered_on: date
    note: str = Field("", max_length=100, pattern=Text)
    client_uuid: UUID


class SupplyOut(Schema):
    id: int
    item: str
    quantity: int
    delivered_on: date
    note: str


class CareVisitIn(Schema):
    kind: Literal["prenatal", "elderly", "medicine", "other"]
    due_on: date
    note: Note = ""
    client_uuid: UUID


class CareVisitOut(Schema):
    id: int
    kind: str
    due_on: date
    status: str
    note: str
    outcome: str


class AlertOut(Schema):
    id: int
    observation_id: int
    person_name: str
    unit_code: str
    kind: AlertKind
    status: AlertStatus
    level: Literal["village", "township", "county"]
    day: date | None
    slot: str
    temperature: Decimal | None
    symptoms: list[str]
    raised_at: datetime
    escalated_at: datetime | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    resolution: str

    @staticmethod
    def of(a: Alert) -> "AlertOut":
        return AlertOut(
            id=a.pk,
            observation_id=a.observation_id,
            person_name=a.observation.person.name,
            unit_code=a.unit_code,
            kind=a.kind,  # type: ignore[arg-type]
            status=a.status,  # type: ignore[arg-type]
            level=a.level,  # type: ignore[arg-type]
            day=a.day,
            slot=a.slot,
            temperature=a.temperature,
            symptoms=list(a.symptoms),
            raised_at=a.raised_at,
            escalated_at=a.escalated_at,
            acknowledged_at=a.acknowledged_at,
            resolved_at=a.resolved_at,
            resolution=a.resolution,
        )


class AlertPage(Page):
    items: list[AlertOut]


class AlertFilters(Schema):
    unit: UnitCode | None = None
    status: AlertStatus | None = None
    kind: AlertKind | None = None
    unresolved: bool = False
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class ResolveIn(Schema):
    resolution: Literal["rechecked_normal", "contacted"]
    note: Note = Field(min_length=1)


class ReferIn(Schema):
    referred_to: str = Field(min_length=1, max_length=100, pattern=Text)
    alert_id: RefId | None = None
    at: datetime | None = None
    note: Note = ""
    client_uuid: UUID | None = None


class CaseOut(Schema):
    id: int
    observation_id: int
    person_name: str
    unit_code: str
    status: str
    referred_to: str
    detected_at: datetime
    reported_at: datetime
    referred_at: datetime
    sampled_at: datetime | None
    test_result: str
    isolated_at: datetime | None
    isolation_place: str
    diagnosed_at: datetime | None
    confirmed_at: datetime | None
    treated_at: datetime | None
    hospital: str
    outcome_at: datetime | None
    latency_minutes: dict[str, int | None]

    @staticmethod
    def of(c: Case) -> "CaseOut":
        return CaseOut(
            id=c.pk,
            observation_id=c.observation_id,
            person_name=c.person.name,
            unit_code=c.unit_code,
            status=c.status,
            referred_to=c.referred_to,
            detected_at=c.detected_at,
            reported_at=c.reported_at,
            referred_at=c.referred_at,
            sampled_at=c.sampled_at,
            test_result=c.test_result,
            isolated_at=c.isolated_at,
            isolation_place=c.isolation_place,
            diagnosed_at=c.diagnosed_at,
            confirmed_at=c.confirmed_at,
            treated_at=c.treated_at,
            hospital=c.hospital,
            outcome_at=c.outcome_at,
            latency_minutes={
                k: int(v.total_seconds() // 60) if v is not None else None
                for k, v in c.latencies().items()
            },
        )


class CaseTestIn(Schema):
    sampled_at: datetime
    result: Literal["pending", "negative", "positive"]
    result_at: datetime | None = None


class CaseClassifyIn(Schema):
    classification: Literal["suspected", "confirmed", "excluded"]
    at: datetime | None = None
    source_unclear: bool = False
    note: Note = ""


class CaseIsolateIn(Schema):
    place: str = Field(min_length=1, max_length=100, pattern=Text)
    at: datetime | None = None


class CaseAdmitIn(Schema):
    hospital: str = Field(min_length=1, max_length=100, pattern=Text)
    at: datetime | None = None


class CaseOutcomeIn(Schema):
    outcome: Literal["recovered", "died"]
    at: datetime | None = None
    note: Note = ""


class CaseReturnIn(Schema):
    at: datetime | None = None
    note: Note = ""


class SummaryFilters(Schema):
    unit: UnitCode
    date_from: date | None = None
    date_to: date | None = None


class CountsOut(Schema):
    active: int
    due_now: int
    fever: int
    open_alerts: int
    days_without_checkin: dict[str, int] = Field(description="连续未测温 1/2/3/>3 天的人数")

    @staticmethod
    def of(c: UnitCounts) -> "CountsOut":
        return CountsOut(
            active=c.active,
            due_now=c.due_now,
            fever=c.fever,
            open_alerts=c.open_alerts,
            days_without_checkin=dict(c.buckets),
        )


class LatencyOut(Schema):
    cases: int
    median_minutes: dict[str, int | None]
    worst_minutes: dict[str, int | None]

    @staticmethod
    def of(s: LatencyStats) -> "LatencyOut":
        def minutes(values: dict[str, object]) -> dict[str, int | None]:
            return {
                k: int(v.total_seconds() // 60) if v is not None else None  # type: ignore[attr-defined]
                for k, v in values.items()
            }

        return LatencyOut(
            cases=s.cases,
            median_minutes=minutes(dict(s.median)),
            worst_minutes=minutes(dict(s.worst)),
        )


class ChildSummaryOut(Schema):
    code: str
    name: str
    counts: CountsOut
    latencies: LatencyOut


class SummaryOut(Schema):
    code: str
    name: str
    date_from: date
    date_to: date
    counts: CountsOut
    latencies: LatencyOut
    children: list[ChildSummaryOut]
