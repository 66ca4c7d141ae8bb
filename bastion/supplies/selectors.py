"""Scoped reads of the stock ledger and the donations.

Stock figures come from grouped queries over the ledger (one row per item, or per unit and
item), never from one query per item. Burn rate (消耗速度) is what was issued over the last
seven days divided by seven; days of supply (可用天数) is stock on hand over the burn rate.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from bastion.accounts.jurisdiction import active_memberships, get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.core.days import midnight
from bastion.orgs.models import OrgUnit
from bastion.supplies.models import Donation, DonorKind, Item, MovementKind, Stock, StockMovement

VIEW = Capability.VIEW_SUPPLIES
BURN_WINDOW_DAYS = 7
# An item is low when it lasts fewer days than this at the current burn rate, or when it is
# below the unit's own minimum (Stock.minimum).
LOW_STOCK_DAYS = 3


@dataclass(frozen=True)
class StockLevel:
    """One item's stock at a unit (or summed over a unit's jurisdiction)."""

    item: Item
    on_hand: int
    issued: int  # over the burn window
    minimum: int = 0

    @property
    def burn_rate(self) -> float:
        """Issued per day, averaged over the last BURN_WINDOW_DAYS days."""
        return self.issued / BURN_WINDOW_DAYS

    @property
    def days_of_supply(self) -> float | None:
        """How many days the stock lasts at the burn rate; None when nothing is being used."""
        if self.issued <= 0:
            return None
        return max(self.on_hand, 0) / self.burn_rate

    @property
    def below_minimum(self) -> bool:
        return self.minimum > 0 and self.on_hand < self.minimum

    @property
    def runs_out_soon(self) -> bool:
        days = self.days_of_supply
        return days is not None and days < LOW_STOCK_DAYS

    @property
    def is_low(self) -> bool:
        return self.below_minimum or self.runs_out_soon


def _ledger(user: Any, unit: OrgUnit, *, rollup: bool) -> QuerySet[StockMovement]:
    qs = scoped(user, StockMovement.objects.all(), VIEW)
    if rollup:
        return qs.filter(unit_code__startswith=unit.scope_prefix)
    return qs.filter(unit_code=unit.code)


def _window(now: datetime | None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now - timedelta(days=BURN_WINDOW_DAYS), now


def _grouped(qs: QuerySet[StockMovement], now: datetime | None, *keys: str) -> Any:
    since, until = _window(now)
    issued_in_window = Q(kind=MovementKind.ISSUE, occurred_at__gte=since, occurred_at__lt=until)
    return (
        qs.values(*keys)
        .annotate(
            on_hand=Coalesce(Sum("delta"), 0),
            issued=Coalesce(Sum("quantity", filter=issued_in_window), 0),
        )
        .order_by()
    )


def unit_get(*, user: Any, code: str) -> OrgUnit:
    """A unit whose supplies the user may see; Http404 if missing or out of jurisdiction."""
    return get_scoped_or_404(user, OrgUnit.objects.select_related("parent"), VIEW, code=code)


def items_active() -> QuerySet[Item]:
    return Item.objects.filter(is_active=True)


def stock_levels(
    *, user: Any, unit: OrgUnit, rollup: bool = False, now: datetime | None = None
) -> list[StockLevel]:
    """Every item the unit has handled: on hand, issued in the window, minimum. With `rollup`,
    summed over the unit and every unit inside its jurisdiction. Three queries."""
    rows = list(_grouped(_ledger(user, unit, rollup=rollup), now, "item_id"))
    stocks = scoped(user, Stock.objects.all(), VIEW)
    stocks = (
        stocks.filter(unit_code__startswith=unit.scope_prefix)
        if rollup
        else stocks.filter(unit_code=unit.code)
    )
    minimums = dict(
        stocks.values("item_id").annotate(m=Sum("minimum")).order_by().values_list("item_id", "m")
    )
    ids = {r["item_id"] for r in rows} | set(minimums)
    items = {i.pk: i for i in Item.objects.filter(pk__in=ids)}
    by_item = {r["item_id"]: r for r in rows}
    levels = [
        StockLevel(
            item=items[pk],
            on_hand=int(by_item.get(pk, {}).get("on_hand", 0)),
            issued=int(by_item.get(pk, {}).get("issued", 0)),
            minimum=int(minimums.get(pk) or 0),
        )
        for pk in ids
    ]
    return sorted(levels, key=lambda lv: (lv.item.position, lv.item.name))


@dataclass(frozen=True)
class UnitStockLevel:
    unit: OrgUnit
    level: StockLevel


def low_stock_below(
    *, user: Any, unit: OrgUnit, now: datetime | None = None, limit: int = 50
) -> list[UnitStockLevel]:
    """Low items of the units inside `unit`'s jurisdiction (not the unit itself), the most
    urgent first. Four queries, whatever the number of units."""
    inside = _ledger(user, unit, rollup=True).exclude(unit_code=unit.code)
    rows = list(_grouped(inside, now, "unit_code", "item_id"))
    minimums = {
        (s["unit_code"], s["item_id"]): s["minimum"]
        for s in scoped(user, Stock.objects.all(), VIEW)
        .filter(unit_code__startswith=unit.scope_prefix, minimum__gt=0)
        .exclude(unit_code=unit.code)
        .values("unit_code", "item_id", "minimum")
    }
    items = {i.pk: i for i in Item.objects.filter(pk__in={r["item_id"] for r in rows})}
    low = []
    for r in rows:
        level = StockLevel(
            item=items[r["item_id"]],
            on_hand=int(r["on_hand"]),
            issued=int(r["issued"]),
            minimum=int(minimums.get((r["unit_code"], r["item_id"]), 0)),
        )
        if level.is_low:
            low.append((r["unit_code"], level))
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={code for code, _ in low})}
    low.sort(key=lambda pair: (pair[1].days_of_supply or 0.0, pair[0], pair[1].item.position))
    return [UnitStockLevel(units[code], level) for code, level in low[:limit] if code in units]


def movement_list(
    *,
    user: Any,
    unit: OrgUnit,
    rollup: bool = False,
    item_id: int | None = None,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[StockMovement]:
    """The ledger of a unit (or of its whole jurisdiction), newest first."""
    qs = _ledger(user, unit, rollup=rollup).select_related(
        "unit", "item", "counterparty_unit", "actor"
    )
    if item_id:
        qs = qs.filter(item_id=item_id)
    if kind:
        qs = qs.filter(kind=kind)
    if since:
        qs = qs.filter(occurred_at__gte=midnight(since))
    if until:
        qs = qs.filter(occurred_at__lt=midnight(until + timedelta(days=1)))
    return qs.order_by("-occurred_at", "-id")


def record_units(
    *,
    user: Any,
    include: OrgUnit | None = None,
    capability: Capability = Capability.RECORD_STOCK,
) -> list[OrgUnit]:
    """Units offered on the phone forms: the user's own units where they hold `capability`
    and the units directly below them, plus `include` (the unit the user came from)."""
    own = [m.unit.pk for m in active_memberships(user)]
    condition = Q(pk__in=own) | Q(parent_id__in=own)
    if include is not None:
        condition |= Q(pk=include.pk)
    units = scoped(user, OrgUnit.objects.filter(condition, is_active=True), capability)
    return list(units.order_by("depth", "kind", "code"))


def record_unit(
    *, user: Any, code: str, capability: Capability = Capability.RECORD_STOCK
) -> OrgUnit | None:
    """The unit `code` if the user holds `capability` there, else None."""
    units = scoped(user, OrgUnit.objects.filter(is_active=True), capability)
    return units.filter(code=code).first()


def transfer_destinations(*, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """Where a unit sends goods: the unit above it and the units directly below it. The
    destination may lie outside the sender's jurisdiction (a village returning goods)."""
    return (
        OrgUnit.objects.filter(Q(pk=unit.parent_id) | Q(parent=unit), is_active=True)
        .exclude(pk=unit.pk)
        .order_by("depth", "kind", "code")
    )


def any_unit(*, code: str) -> OrgUnit | None:
    """An active unit by code, whether or not it is in the user's jurisdiction: a transfer may
    go to any unit. Returns nothing but the unit itself."""
    return OrgUnit.objects.filter(code=code, is_active=True).first()


# --- donations ----------------------------------------------------------------------------


def _with_goods(qs: QuerySet[Donation]) -> QuerySet[Donation]:
    return qs.select_related("unit").prefetch_related(
        Prefetch("receipts", queryset=StockMovement.objects.select_related("item").order_by("id"))
    )


def donation_list(*, user: Any, unit: OrgUnit | None = None) -> QuerySet[Donation]:
    qs = scoped(user, Donation.objects.all(), VIEW)
    if unit is not None:
        qs = qs.filter(unit_code__startswith=unit.scope_prefix)
    return _with_goods(qs).order_by("-donated_on", "-id")


def donation_get(*, user: Any, donation_id: int) -> Donation:
    return get_scoped_or_404(user, _with_goods(Donation.objects.all()), VIEW, pk=donation_id)


@dataclass(frozen=True)
class GoodsTotal:
    item_name: str
    measure: str
    quantity: int


@dataclass(frozen=True)
class DonationTotals:
    count: int
    money: Decimal
    goods: list[GoodsTotal]


def donation_totals(*, donations: QuerySet[Donation]) -> DonationTotals:
    """Count, money and goods per item of a set of donations: two grouped queries."""
    agg = donations.order_by().aggregate(n=Count("pk"), money=Sum("money"))
    goods = (
        StockMovement.objects.filter(donation__in=donations.order_by().values("pk"))
        .values("item__name", "item__measure", "item__position")
        .annotate(q=Sum("quantity"))
        .order_by("item__position", "item__name")
    )
    return DonationTotals(
        count=int(agg["n"] or 0),
        money=agg["money"] or Decimal("0.00"),
        goods=[
            GoodsTotal(
                g["item__name"],
                str(Item(measure=g["item__measure"]).get_measure_display()),
                int(g["q"]),
            )
            for g in goods
        ],
    )


# --- the public page (公示): no user, no personal data -----------------------------------


@dataclass(frozen=True)
class PublicDonation:
    """What the public page may show of a donation. Built here so that the template never
    holds the donor's real name unless it may be shown."""

    donated_on: date
    donor: str
    donor_kind: str
    money: Decimal
    goods: list[GoodsTotal]
    purpose: str
    usage_notes: str


@dataclass
class PublicUnit:
    unit_name: str
    unit_code: str
    money: Decimal = Decimal("0.00")
    goods: dict[str, GoodsTotal] = field(default_factory=dict)
    donations: list[PublicDonation] = field(default_factory=list)

    @property
    def goods_totals(self) -> list[GoodsTotal]:
        return list(self.goods.values())


def public_donations(*, prefix: str = "") -> list[PublicUnit]:
    """Donations by recipient unit with totals, for the public page (no login, so not through
    `scoped()`: 公示 is public by design). Individual donors who did not agree to be named are
    shown as 爱心人士. Two queries."""
    donations = _with_goods(Donation.objects.filter(unit_code__startswith=prefix)).order_by(
        "unit_code", "-donated_on", "-id"
    )
    by_unit: dict[str, PublicUnit] = {}
    for d in donations:
        entry = by_unit.setdefault(d.unit_code, PublicUnit(d.unit.name, d.unit_code))
        lines = [
            GoodsTotal(m.item.name, str(m.item.get_measure_display()), m.quantity)
            for m in d.receipts.all()
        ]
        entry.money += d.money
        for line in lines:
            before = entry.goods.get(line.item_name)
            total = line.quantity + (before.quantity if before else 0)
            entry.goods[line.item_name] = GoodsTotal(line.item_name, line.measure, total)
        entry.donations.append(
            PublicDonation(
                donated_on=d.donated_on,
                donor=d.public_donor_name,
                donor_kind=str(DonorKind(d.donor_kind).label),
                money=d.money,
                goods=lines,
                purpose=d.purpose,
                usage_notes=d.usage_notes,
            )
        )
    return list(by_unit.values())
