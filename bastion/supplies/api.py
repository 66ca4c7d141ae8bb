"""Supplies API (物资、捐赠): items, the stock ledger, stock levels, donations.

Writes carry a `client_uuid`: a new record answers 201, a replay of the same UUID answers 200
with the first record. An `Idempotency-Key` header is honoured as well.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.core.errors import ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.schemas import MAX_ID, ErrorOut, Page, UnitCode, page_bounds
from bastion.people.models import Household
from bastion.people.selectors import household_get
from bastion.supplies import selectors, services
from bastion.supplies.models import Donation, Item, StockMovement

router = Router(tags=["supplies"])

CHANNEL = "api"
# No control characters: never part of a name, and PostgreSQL refuses NUL.
Text = r"^[^\x00-\x1f\x7f]*$"
MovementKindIn = Literal["receipt", "issue", "transfer_out", "adjust"]
MovementKindOut = Literal["receipt", "issue", "transfer_out", "transfer_in", "adjust"]
SourceCode = Literal["purchase", "allocation", "donation"]
CounterpartyKindCode = Literal[
    "household", "observation", "checkpoint", "team", "person", "unit", "supplier", "donor", "other"
]
DonorKindCode = Literal["soe", "private_enterprise", "social_org", "individual"]

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# A body that is not JSON at all answers 400.
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut}


def _sane_time(value: datetime | None) -> datetime | None:
    # Years far outside the epidemic cannot be converted between time zones safely.
    if value is not None and not 2000 <= value.year <= 2100:
        raise ValueError("时间超出范围。")
    return value


class ItemOut(Schema):
    id: int
    name: str
    category: str
    measure: str
    measure_label: str
    pieces_per_box: int | None

    @staticmethod
    def of(item: Item) -> "ItemOut":
        return ItemOut(
            id=item.pk,
            name=item.name,
            category=item.category,
            measure=item.measure,
            measure_label=str(item.get_measure_display()),
            pieces_per_box=item.pieces_per_box,
        )


class MovementIn(Schema):
    unit: UnitCode
    item: int = Field(ge=1, le=MAX_ID, description="物资 id（见 GET /items）")
    kind: MovementKindIn = Field(
        description="receipt 入库、issue 发放、transfer_out 调出、adjust 盘点"
    )
    quantity: int = Field(
        ge=0, le=services.MAX_QUANTITY, description="数量；盘点（adjust）时为清点出的实有数"
    )
    source: SourceCode | None = Field(None, description="入库来源；捐赠物资请用 POST /donations")
    counterparty: str = Field("", max_length=100, pattern=Text, description="发放对象或供货方")
    counterparty_kind: CounterpartyKindCode | None = None
    counterparty_unit: UnitCode | None = Field(
        None, description="调出时为调入单位；发放给卡点等单位时可填"
    )
    household_id: int | None = Field(None, ge=1, le=MAX_ID)
    occurred_at: datetime | None = Field(None, description="发生时间；省略为现在")
    note: str = Field("", max_length=200, pattern=Text)
    client_uuid: uuid.UUID

    _time = field_validator("occurred_at")(_sane_time)


class MovementOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    item_id: int
    item_name: str
    kind: MovementKindOut
    quantity: int
    delta: int
    source: str
    counterparty: str
    counterparty_kind: str
    counterparty_unit_code: str | None
    household_id: int | None
    transfer_id: int | None = Field(description="调入记录所对应的调出记录")
    donation_id: int | None
    actor: str
    occurred_at: datetime
    recorded_at: datetime
    client_uuid: uuid.UUID
    note: str

    @staticmethod
    def of(m: StockMovement) -> "MovementOut":
        return MovementOut(
            id=m.pk,
            unit_code=m.unit_code,
            unit_name=m.unit.name,
            item_id=m.item_id,
            item_name=m.item.name,
            kind=m.kind,  # type: ignore[arg-type]
            quantity=m.quantity,
            delta=m.delta,
            source=m.source,
            counterparty=m.counterparty,
            counterparty_kind=m.counterparty_kind,
            counterparty_unit_code=m.counterparty_unit.code if m.counterparty_unit else None,
            household_id=m.household_id,
            transfer_id=m.transfer_id,
            donation_id=m.donation_id,
            actor=str(m.actor),
            occurred_at=m.occurred_at,
            recorded_at=m.recorded_at,
            client_uuid=m.client_uuid,
            note=m.note,
        )


class MovementPage(Page):
    items: list[MovementOut]


class MovementFilters(Schema):
    unit: UnitCode
    rollup: bool = Field(False, description="含下级单位")
    item: int | None = Field(None, ge=1, le=MAX_ID)
    kind: MovementKindOut | None = None
    since: date | None = None
    until: date | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class StockFilters(Schema):
    unit: UnitCode
    rollup: bool = Field(False, description="本单位及下级单位合计")


class StockLevelOut(Schema):
    item_id: int
    item_name: str
    measure: str
    on_hand: int
    issued_last_7_days: int
    burn_rate: float = Field(description="近 7 天日均发放量")
    days_of_supply: float | None = Field(description="按消耗速度可用天数；无消耗时为 null")
    minimum: int
    low: bool


class StockOut(Schema):
    unit_code: str
    unit_name: str
    rollup: bool
    as_of: datetime
    low_stock_days: int
    items: list[StockLevelOut]


class GoodsIn(Schema):
    item: int = Field(ge=1, le=MAX_ID)
    quantity: int = Field(ge=1, le=services.MAX_QUANTITY)


class GoodsOut(Schema):
    item_id: int
    item_name: str
    quantity: int
    measure: str


class DonationIn(Schema):
    unit: UnitCode = Field(description="受赠单位")
    donor_name: str = Field(min_length=1, max_length=100, pattern=Text)
    donor_kind: DonorKindCode
    money: Decimal = Field(
        Decimal("0.00"), ge=0, le=services.MAX_MONEY, max_digits=12, decimal_places=2
    )
    goods: list[GoodsIn] = Field(default_factory=list, max_length=20)
    donated_on: date
    receipt_no: str = Field("", max_length=40, pattern=Text)
    purpose: str = Field("", max_length=200, pattern=Text)
    public_consent: bool = Field(False, description="个人捐赠者同意公开姓名")
    usage_notes: str = Field("", max_length=500, pattern=r"^[^\x00]*$")
    client_uuid: uuid.UUID


class DonationOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    donor_name: str
    donor_kind: DonorKindCode
    public_donor_name: str
    money: Decimal
    goods: list[GoodsOut]
    donated_on: date
    receipt_no: str
    purpose: str
    public_consent: bool
    usage_notes: str
    client_uuid: uuid.UUID
    version: int

    @staticmethod
    def of(d: Donation) -> "DonationOut":
        return DonationOut(
            id=d.pk,
            unit_code=d.unit_code,
            unit_name=d.unit.name,
            donor_name=d.donor_name,
            donor_kind=d.donor_kind,  # type: ignore[arg-type]
            public_donor_name=d.public_donor_name,
            money=d.money,
            goods=[
                GoodsOut(
                    item_id=m.item_id,
                    item_name=m.item.name,
                    quantity=m.quantity,
                    measure=str(m.item.get_measure_display()),
                )
                for m in d.receipts.all()
            ],
            donated_on=d.donated_on,
            receipt_no=d.receipt_no,
            purpose=d.purpose,
            public_consent=d.public_consent,
            usage_notes=d.usage_notes,
            client_uuid=d.client_uuid,
            version=d.version,
        )


class DonationPage(Page):
    items: list[DonationOut]


class DonationFilters(Schema):
    unit: UnitCode | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


# --- adapters -----------------------------------------------------------------------------


def _item(pk: int, field: str = "item") -> Item:
    item = Item.objects.filter(pk=pk).first()
    if item is None:
        raise ValidationError({field: "物资不存在。"})
    return item


def _record_unit(request: HttpRequest, code: str) -> Any:
    unit = selectors.record_unit(user=request.user, code=code)
    if unit is None:
        raise ValidationError({"unit": services.UNIT_NOT_IN_SCOPE})
    return unit


def _household(request: HttpRequest, pk: int | None) -> Household | None:
    if pk is None:
        return None
    try:
        return household_get(user=request.user, household_id=pk)
    except Http404:
        raise ValidationError({"household_id": services.HOUSEHOLD_OUTSIDE}) from None


def _counterparty_unit(code: str | None) -> Any:
    if code is None:
        return None
    unit = selectors.any_unit(code=code)
    if unit is None:
        raise ValidationError({"counterparty_unit": "对方单位不存在。"})
    return unit


@router.get("/items", response={200: list[ItemOut], **ERRORS}, summary="Items of supplies")
def item_list(request: HttpRequest) -> Any:
    return [ItemOut.of(i) for i in selectors.items_active()]


@router.post(
    "/stock-movements",
    response={201: MovementOut, 200: MovementOut, **WRITE_ERRORS},
    summary="Record a receipt, issue, transfer or count (201; 200 replays a client_uuid)",
)
def movement_create(request: HttpRequest, payload: MovementIn) -> Any:
    def work() -> tuple[int, Any]:
        movement, created = services.movement_record(
            actor=request.user,
            kind=payload.kind,
            unit=_record_unit(request, payload.unit),
            item=_item(payload.item),
            quantity=payload.quantity,
            source=payload.source or "",
            counterparty=payload.counterparty,
            counterparty_kind=payload.counterparty_kind or "",
            counterparty_unit=_counterparty_unit(payload.counterparty_unit),
            household=_household(request, payload.household_id),
            occurred_at=payload.occurred_at,
            note=payload.note,
            client_uuid=payload.client_uuid,
        )
        return (201 if created else 200), MovementOut.of(movement)

    return Status(*idempotent(request, work))


@router.get(
    "/stock-movements",
    response={200: MovementPage, **ERRORS},
    summary="The ledger of a unit (paged, newest first)",
)
def movement_list(request: HttpRequest, filters: Query[MovementFilters]) -> Any:
    user = request.user
    unit = selectors.unit_get(user=user, code=filters.unit)
    movements = selectors.movement_list(
        user=user,
        unit=unit,
        rollup=filters.rollup,
        item_id=filters.item,
        kind=filters.kind,
        since=filters.since,
        until=filters.until,
    )
    count = movements.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [MovementOut.of(m) for m in movements[start:end]]
    services.supplies_access_log(
        actor=user,
        action=Action.LIST,
        object_type="stock_movement",
        unit_code=unit.code,
        channel=CHANNEL,
        count=count,
        page=filters.page,
    )
    return MovementPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.get(
    "/stock",
    response={200: StockOut, **ERRORS},
    summary="Stock on hand, burn rate and days of supply per item",
)
def stock_get(request: HttpRequest, filters: Query[StockFilters]) -> Any:
    user = request.user
    unit = selectors.unit_get(user=user, code=filters.unit)
    now = timezone.now()
    levels = selectors.stock_levels(user=user, unit=unit, rollup=filters.rollup, now=now)
    return StockOut(
        unit_code=unit.code,
        unit_name=unit.name,
        rollup=filters.rollup,
        as_of=now,
        low_stock_days=selectors.LOW_STOCK_DAYS,
        items=[
            StockLevelOut(
                item_id=lv.item.pk,
                item_name=lv.item.name,
                measure=lv.item.measure,
                on_hand=lv.on_hand,
                issued_last_7_days=lv.issued,
                burn_rate=round(lv.burn_rate, 2),
                days_of_supply=(None if lv.days_of_supply is None else round(lv.days_of_supply, 1)),
                minimum=lv.minimum,
                low=lv.is_low,
            )
            for lv in levels
        ],
    )


@router.post(
    "/donations",
    response={201: DonationOut, 200: DonationOut, **WRITE_ERRORS},
    summary="Register a donation of money and/or goods (201; 200 replays a client_uuid)",
)
def donation_create(request: HttpRequest, payload: DonationIn) -> Any:
    user = request.user

    def work() -> tuple[int, Any]:
        unit = selectors.record_unit(
            user=user, code=payload.unit, capability=Capability.RECORD_DONATIONS
        )
        if unit is None:
            raise ValidationError({"unit": services.UNIT_NOT_IN_SCOPE})
        donation, created = services.donation_record(
            actor=user,
            unit=unit,
            donor_name=payload.donor_name,
            donor_kind=payload.donor_kind,
            money=payload.money,
            goods=[(_item(g.item, "goods"), g.quantity) for g in payload.goods],
            donated_on=payload.donated_on,
            receipt_no=payload.receipt_no,
            purpose=payload.purpose,
            public_consent=payload.public_consent,
            usage_notes=payload.usage_notes,
            client_uuid=payload.client_uuid,
        )
        donation = selectors.donation_get(user=user, donation_id=donation.pk)
        return (201 if created else 200), DonationOut.of(donation)

    return Status(*idempotent(request, work))


@router.get("/donations", response={200: DonationPage, **ERRORS}, summary="Donations (paged)")
def donation_list(request: HttpRequest, filters: Query[DonationFilters]) -> Any:
    user = request.user
    unit = selectors.unit_get(user=user, code=filters.unit) if filters.unit else None
    donations = selectors.donation_list(user=user, unit=unit)
    count = donations.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [DonationOut.of(d) for d in donations[start:end]]
    services.supplies_access_log(
        actor=user,
        action=Action.LIST,
        object_type="donation",
        unit_code=unit.code if unit else "",
        channel=CHANNEL,
        count=count,
        page=filters.page,
    )
    return DonationPage(items=items, count=count, page=filters.page, page_size=filters.page_size)
