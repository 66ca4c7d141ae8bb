"""Disinfection API (消毒消杀): sites with their overdue status, runs, compliance per unit."""

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from bastion.accounts.roles import Capability
from bastion.community import selectors, services
from bastion.community.api.common import ERRORS, TEXT, WRITE_ERRORS, ObjectId
from bastion.community.checklists import CHECKLISTS
from bastion.community.models import DisinfectionRun, SiteKind
from bastion.community.selectors import SiteStatus
from bastion.community.services import disinfection as rules
from bastion.core.errors import ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.schemas import MAX_ID, Day, Page, UnitCode, page_bounds
from bastion.orgs.models import OrgUnit

router = Router(tags=["disinfection"])

SiteKindCode = Literal[
    "garbage_station",
    "bin_cluster",
    "garbage_vehicle",
    "public_toilet",
    "station",
    "toll_gate",
    "market",
    "mask_waste_bin",
    "residential_entrance",
]
AgentCode = Literal[
    "chlorine_84", "alcohol", "chlorine_dioxide", "chlorine_tablets", "peracetic_acid", "other"
]
ClockTime = Annotated[str, Field(max_length=5, pattern=r"^[0-9]{1,2}:[0-9]{2}$")]


class SiteOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    name: str
    kind: SiteKindCode
    address: str
    responsible_unit_code: str
    responsible_unit_name: str
    responsible_team: str
    runs_per_day: int
    times: list[str] = Field(description="每次消杀的完成时限（当地时间）")
    active_from: date
    is_active: bool
    runs_today: int
    due_now: int = Field(description="到现在为止今天应完成的次数")
    overdue: bool = Field(description="今天已做次数少于到现在应做的次数")
    next_deadline: str
    last_run_at: datetime | None

    @staticmethod
    def of(status: SiteStatus) -> "SiteOut":
        site = status.site
        return SiteOut(
            id=site.pk,
            unit_code=site.unit_code,
            unit_name=site.unit.name,
            name=site.name,
            kind=site.kind,  # type: ignore[arg-type]
            address=site.address,
            responsible_unit_code=site.responsible_unit_code,
            responsible_unit_name=site.responsible_unit.name if site.responsible_unit else "",
            responsible_team=site.responsible_team,
            runs_per_day=site.runs_per_day,
            times=list(site.times),
            active_from=site.active_from,
            is_active=site.is_active,
            runs_today=status.runs_today,
            due_now=status.due_now,
            overdue=status.overdue,
            next_deadline=status.next_deadline,
            last_run_at=status.last_run_at,
        )


class SitePage(Page):
    overdue_count: int
    items: list[SiteOut]


class SiteFilters(Schema):
    unit: UnitCode | None = None
    kind: SiteKindCode | None = None
    overdue: bool = Field(False, description="1：只列逾期点位")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(100, ge=1, le=500)


class SiteIn(Schema):
    unit: UnitCode
    name: str = Field(min_length=1, max_length=60, pattern=TEXT)
    kind: SiteKindCode
    address: str = Field("", max_length=200, pattern=TEXT)
    responsible_unit: UnitCode | None = None
    responsible_team: str = Field("", max_length=60, pattern=TEXT)
    runs_per_day: int | None = Field(None, ge=1, le=rules.MAX_RUNS_PER_DAY)
    times: list[ClockTime] | None = Field(None, max_length=rules.MAX_RUNS_PER_DAY)


class SitePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=60, pattern=TEXT)
    kind: SiteKindCode | None = None
    address: str | None = Field(None, max_length=200, pattern=TEXT)
    responsible_unit: UnitCode | None = None
    responsible_team: str | None = Field(None, max_length=60, pattern=TEXT)
    runs_per_day: int | None = Field(None, ge=1, le=rules.MAX_RUNS_PER_DAY)
    times: list[ClockTime] | None = Field(None, max_length=rules.MAX_RUNS_PER_DAY)
    is_active: bool | None = None


class ChecklistItemOut(Schema):
    code: str
    label: str


class ChecklistOut(Schema):
    kind: SiteKindCode
    label: str
    items: list[ChecklistItemOut]


class RunIn(Schema):
    site_id: int = Field(ge=1, le=MAX_ID)
    client_uuid: uuid.UUID = Field(description="手机端生成；重发时返回第一次的记录")
    done_at: datetime | None = Field(None, description="不填即现在；可补录 7 天内的")
    agent: AgentCode
    concentration: Decimal = Field(gt=0, le=10_000, max_digits=8, decimal_places=2)
    concentration_unit: Literal["", "mg/L", "%"] = Field("", description="不填按消毒剂")
    operator: str = Field("", max_length=40, pattern=TEXT, description="不填即当前用户")
    checklist: dict[Annotated[str, Field(max_length=40)], bool] = Field(
        max_length=30, description="点位类别的检查清单，逐项 true/false"
    )
    note: str = Field("", max_length=200, pattern=TEXT)


class RunOut(Schema):
    id: int
    site_id: int
    site_name: str
    site_kind: SiteKindCode
    unit_code: str
    done_at: datetime
    agent: AgentCode
    concentration: float
    concentration_unit: str
    operator: str
    checklist: dict[str, bool]
    complete: bool
    note: str
    client_uuid: uuid.UUID
    created_at: datetime

    @staticmethod
    def of(run: DisinfectionRun) -> "RunOut":
        return RunOut(
            id=run.pk,
            site_id=run.site_id,
            site_name=run.site.name,
            site_kind=run.site.kind,  # type: ignore[arg-type]
            unit_code=run.unit_code,
            done_at=run.done_at,
            agent=run.agent,  # type: ignore[arg-type]
            concentration=float(run.concentration),
            concentration_unit=run.concentration_unit,
            operator=run.operator,
            checklist=dict(run.checklist),
            complete=run.complete,
            note=run.note,
            client_uuid=run.client_uuid,
            created_at=run.created_at,
        )


class RunPage(Page):
    items: list[RunOut]


class RunFilters(Schema):
    site: int | None = Field(None, ge=1, le=MAX_ID)
    unit: UnitCode | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(100, ge=1, le=500)


class CellOut(Schema):
    day: date
    due: int
    done: int = Field(description="按点位计、不超过应做次数的完成次数")
    runs: int
    rate: float | None


class ComplianceRowOut(Schema):
    unit_code: str
    unit_name: str
    sites: int
    overdue: int = Field(description="今天此刻逾期的点位数")
    days: list[CellOut]
    total: CellOut

    @staticmethod
    def of(row: selectors.ComplianceRow, last: date) -> "ComplianceRowOut":
        total = row.total
        return ComplianceRowOut(
            unit_code=row.unit.code,
            unit_name=row.unit.name,
            sites=row.sites,
            overdue=row.overdue,
            days=[
                CellOut(day=d, due=c.due, done=c.done, runs=c.runs, rate=c.rate)
                for d, c in zip(row.days, row.row, strict=True)
            ],
            total=CellOut(
                day=last, due=total.due, done=total.done, runs=total.runs, rate=total.rate
            ),
        )


class ComplianceOut(Schema):
    unit_code: str
    days: list[date]
    total: ComplianceRowOut
    rows: list[ComplianceRowOut]


class ComplianceFilters(Schema):
    unit: UnitCode
    date_from: Day | None = Field(None, description="默认：截止日前 6 天")
    date_to: Day | None = Field(None, description="默认：今天；最多 31 天")


def _unit(request: HttpRequest, code: str | None, capability: Capability, message: str) -> Any:
    if code is None:
        return None
    unit = selectors.unit_or_none(user=request.user, code=code, capability=capability)
    if unit is None:
        field = "unit" if capability == Capability.MANAGE_SITES else "responsible_unit"
        raise ValidationError({field: message})
    return unit


@router.get(
    "/sites",
    response={200: SitePage, **ERRORS},
    summary="Sites in scope with today's status, overdue first (`overdue=1`: overdue only)",
)
def site_list(request: HttpRequest, filters: Query[SiteFilters]) -> Any:
    statuses = selectors.site_statuses(
        user=request.user, unit_code=filters.unit, kind=filters.kind, overdue_only=filters.overdue
    )
    start, end = page_bounds(filters.page, filters.page_size)
    return SitePage(
        items=[SiteOut.of(s) for s in statuses[start:end]],
        count=len(statuses),
        overdue_count=sum(1 for s in statuses if s.overdue),
        page=filters.page,
        page_size=filters.page_size,
    )


@router.post(
    "/sites",
    response={201: SiteOut, **WRITE_ERRORS},
    summary="Add a site with its schedule (accepts Idempotency-Key)",
)
def site_create(request: HttpRequest, payload: SiteIn) -> Any:
    def work() -> tuple[int, Any]:
        site = services.site_create(
            actor=request.user,
            unit=_unit(request, payload.unit, Capability.MANAGE_SITES, rules.UNIT_NOT_IN_SCOPE),
            responsible_unit=_unit(
                request,
                payload.responsible_unit,
                Capability.VIEW_UNITS,
                rules.RESPONSIBLE_NOT_IN_SCOPE,
            ),
            name=payload.name,
            kind=payload.kind,
            address=payload.address,
            responsible_team=payload.responsible_team,
            runs_per_day=payload.runs_per_day,
            times=payload.times,
        )
        return 201, SiteOut.of(selectors.site_status(site=site))

    return Status(*idempotent(request, work))


@router.get(
    "/sites/checklists",
    response={200: list[ChecklistOut], **ERRORS},
    summary="The checklist of each kind of site",
)
def site_checklists(request: HttpRequest) -> Any:
    return [
        ChecklistOut(
            kind=kind,  # type: ignore[arg-type]
            label=str(SiteKind(kind).label),
            items=[ChecklistItemOut(code=i.code, label=str(i.label)) for i in items],
        )
        for kind, items in CHECKLISTS.items()
    ]


@router.get("/sites/{site_id}", response={200: SiteOut, **ERRORS})
def site_get(request: HttpRequest, site_id: ObjectId) -> Any:
    site = selectors.site_get(user=request.user, site_id=site_id)
    return SiteOut.of(selectors.site_status(site=site))


@router.patch(
    "/sites/{site_id}",
    response={200: SiteOut, **WRITE_ERRORS},
    summary="Change a site, its schedule, or stop it (is_active=false)",
)
def site_update(request: HttpRequest, site_id: ObjectId, payload: SitePatch) -> Any:
    user = request.user
    site = selectors.site_get(user=user, site_id=site_id, capability=Capability.MANAGE_SITES)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    if "responsible_unit" in payload.model_fields_set:
        changes["responsible_unit"] = _unit(
            request, payload.responsible_unit, Capability.VIEW_UNITS, rules.RESPONSIBLE_NOT_IN_SCOPE
        )
    if "runs_per_day" in changes and "times" not in changes:
        changes["times"] = None  # a new count replaces the old deadlines
    site = services.site_update(actor=user, site=site, **changes)
    return SiteOut.of(selectors.site_status(site=site))


@router.post(
    "/disinfection-runs",
    response={201: RunOut, 200: RunOut, **WRITE_ERRORS},
    summary="Record a run (201); a replayed client_uuid returns the first run (200)",
)
def run_create(request: HttpRequest, payload: RunIn) -> Any:
    user = request.user

    def work() -> tuple[int, Any]:
        try:
            site = selectors.site_get(
                user=user, site_id=payload.site_id, capability=Capability.RECORD_DISINFECTION
            )
        except Http404:
            raise ValidationError({"site_id": rules.SITE_NOT_IN_SCOPE}) from None
        run, created = services.run_record(
            actor=user,
            site=site,
            agent=payload.agent,
            concentration=payload.concentration,
            concentration_unit=payload.concentration_unit,
            checklist=payload.checklist,
            client_uuid=payload.client_uuid,
            done_at=payload.done_at,
            operator=payload.operator,
            note=payload.note,
        )
        return (201 if created else 200), RunOut.of(run)

    return Status(*idempotent(request, work))


@router.get("/disinfection-runs", response={200: RunPage, **ERRORS}, summary="List runs")
def run_list(request: HttpRequest, filters: Query[RunFilters]) -> Any:
    runs = selectors.run_list(
        user=request.user,
        site_id=filters.site,
        unit_code=filters.unit,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    count = runs.count()
    start, end = page_bounds(filters.page, filters.page_size)
    return RunPage(
        items=[RunOut.of(r) for r in runs[start:end]],
        count=count,
        page=filters.page,
        page_size=filters.page_size,
    )


@router.get(
    "/disinfection-compliance",
    response={200: ComplianceOut, **ERRORS},
    summary="Runs done / runs due per child unit and day (at most 31 days)",
)
def run_compliance(request: HttpRequest, filters: Query[ComplianceFilters]) -> Any:
    user = request.user
    unit: OrgUnit = selectors.unit_in_scope(
        user=user, code=filters.unit, capability=Capability.VIEW_SITES
    )
    children = selectors.unit_children(user=user, unit=unit, capability=Capability.VIEW_SITES)
    date_to = filters.date_to or selectors.today_of(None)
    date_from = filters.date_from or date_to - timedelta(days=6)
    rows, total = selectors.compliance(
        user=user, unit=unit, children=children, days=selectors.period_days(date_from, date_to)
    )
    return ComplianceOut(
        unit_code=unit.code,
        days=total.days,
        total=ComplianceRowOut.of(total, date_to),
        rows=[ComplianceRowOut.of(r, date_to) for r in rows],
    )
