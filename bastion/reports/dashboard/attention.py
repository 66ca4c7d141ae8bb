"""What needs attention now (待办关注), per child unit, most urgent first.

Every measure is computed for all children at once: a grouped count on the code prefix in the
database, or, where a rule needs each row's own settings (a site's deadlines, a shift's
minimums, a stock line's minimum and burn rate), one query for the rows under the unit and a
pass here that files each row under its child. Never a query per child unit.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bastion.checkpoints.models import Shift, StaffKind
from bastion.community.models import DisinfectionRun, Site
from bastion.community.selectors.disinfection import due_on
from bastion.observation.models import (
    UNRESOLVED,
    Alert,
    AlertKind,
    AlertStatus,
    Observation,
    ObservationStatus,
)
from bastion.orgs.models import OrgUnit
from bastion.reports.dashboard.common import Buckets, count_by_child, under
from bastion.screening.models import Signal, SignalSource
from bastion.screening.models.signals import OPEN_STATUSES as OPEN_SIGNALS
from bastion.supplies.models import Item, MovementKind, Stock, StockMovement
from bastion.supplies.selectors import BURN_WINDOW_DAYS, StockLevel

# The measures, in the order the page shows them.
MEASURES: tuple[tuple[str, Any], ...] = (
    ("alerts_open", _("未确认预警")),
    ("missed", _("漏报未处置")),
    ("handovers", _("卡点移交待接收")),
    ("transfers", _("转入待接收")),
    ("staffing", _("卡点缺员班次")),
    ("disinfection", _("消杀逾期点位")),
    ("low_stock", _("库存不足")),
)
LABELS = dict(MEASURES)


@dataclass
class AttentionRow:
    unit: OrgUnit
    values: dict[str, int] = field(default_factory=dict)
    is_own: bool = False  # the unit's own facts (its checkpoints, departments, itself)

    @property
    def score(self) -> int:
        return sum(self.values.values())

    def items(self) -> list[tuple[str, str, int]]:
        return [(key, str(label), self.values.get(key, 0)) for key, label in MEASURES]


def _alerts(user: Any, unit: OrgUnit, buckets: Buckets) -> dict[str, dict[str, int]]:
    """Unacknowledged alerts of every kind and unresolved missed check-ins: one query."""
    return count_by_child(
        under(user, Alert.objects.filter(status__in=UNRESOLVED), unit),
        buckets,
        alerts_open=Count("pk", filter=Q(status=AlertStatus.OPEN)),
        missed=Count("pk", filter=Q(kind=AlertKind.MISSED)),
    )


def _handovers(user: Any, unit: OrgUnit, buckets: Buckets) -> dict[str, dict[str, int]]:
    """People a checkpoint handed over whose signal the village has not taken up yet."""
    signals = Signal.objects.filter(source=SignalSource.CHECKPOINT, status__in=OPEN_SIGNALS)
    return count_by_child(under(user, signals, unit), buckets, handovers=Count("pk"))


def _transfers(user: Any, unit: OrgUnit, buckets: Buckets) -> dict[str, dict[str, int]]:
    """Observations moved in from another unit and not yet accepted (已转出，待接收)."""
    moved = Observation.objects.filter(status=ObservationStatus.MOVED)
    return count_by_child(under(user, moved, unit), buckets, transfers=Count("pk"))


def _staffing(user: Any, unit: OrgUnit, buckets: Buckets, now: datetime) -> dict[str, int]:
    """Today's checkpoint shifts below their minimums, in total or for one kind of staff: one
    query for the shifts with their counts per kind."""
    per_kind = {
        f"n_{kind}": Count("assignments", filter=Q(assignments__staff_kind=kind))
        for kind in StaffKind.values
    }
    shifts = (
        under(user, Shift.objects.filter(day=timezone.localdate(now)), unit)
        .annotate(n_total=Count("assignments"), **per_kind)
        .values("unit_code", "minimum_total", "minimum_by_kind", "n_total", *per_kind)
    )
    counts = buckets.zeros()
    for s in shifts:
        short = s["n_total"] < s["minimum_total"] or any(
            s.get(f"n_{kind}", 0) < int(minimum) for kind, minimum in s["minimum_by_kind"].items()
        )
        if short:
            counts[buckets.of(s["unit_code"])] += 1
    return counts


def _disinfection(user: Any, unit: OrgUnit, buckets: Buckets, now: datetime) -> dict[str, int]:
    """Sites with fewer runs today than deadlines passed so far (今日逾期): the active sites
    under the unit, and today's runs grouped by site. Two queries."""
    sites = under(user, Site.objects.filter(is_active=True), unit)
    today = timezone.localdate(now)
    runs = dict(
        DisinfectionRun.objects.filter(site__in=sites.values("pk"), done_on=today, done_at__lte=now)
        .values("site_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("site_id", "n")
    )
    counts = buckets.zeros()
    for site in sites.only("id", "unit_code", "times", "active_from", "is_active"):
        if runs.get(site.pk, 0) < due_on(site, today, now):
            counts[buckets.of(site.unit_code)] += 1
    return counts


def _low_stock(user: Any, unit: OrgUnit, buckets: Buckets, now: datetime) -> dict[str, int]:
    """Stock lines (a unit and an item) below the unit's minimum or lasting fewer than three
    days at the week's burn rate, as the supplies pages judge them. Two queries."""
    issued_this_week = Q(
        kind=MovementKind.ISSUE,
        occurred_at__gte=now - timedelta(days=BURN_WINDOW_DAYS),
        occurred_at__lt=now,
    )
    rows = (
        under(user, StockMovement.objects.all(), unit)
        .values("unit_code", "item_id")
        .annotate(
            on_hand=Coalesce(Sum("delta"), 0),
            issued=Coalesce(Sum("quantity", filter=issued_this_week), 0),
        )
        .order_by()
    )
    minimums = {
        (s["unit_code"], s["item_id"]): s["minimum"]
        for s in under(user, Stock.objects.filter(minimum__gt=0), unit).values(
            "unit_code", "item_id", "minimum"
        )
    }
    lines = {(r["unit_code"], r["item_id"]): r for r in rows}
    counts = buckets.zeros()
    item = Item(name="")  # the rule reads quantities only
    for key in lines.keys() | minimums.keys():
        row = lines.get(key, {})
        level = StockLevel(
            item=item,
            on_hand=int(row.get("on_hand", 0)),
            issued=int(row.get("issued", 0)),
            minimum=int(minimums.get(key, 0)),
        )
        if level.is_low:
            counts[buckets.of(key[0])] += 1
    return counts


def attention(
    *, user: Any, unit: OrgUnit, children: list[OrgUnit], now: datetime | None = None
) -> list[AttentionRow]:
    """One row per child (zeros included), most to do first; then the unit's own row when its
    own facts (its checkpoints, its departments) need anything. Ten queries in all."""
    now = now or timezone.now()
    buckets = Buckets(unit, children)
    values: dict[str, dict[str, int]] = defaultdict(dict)
    for grouped in (
        _alerts(user, unit, buckets),
        _handovers(user, unit, buckets),
        _transfers(user, unit, buckets),
    ):
        for code, figures in grouped.items():
            values[code].update(figures)
    for key, counts in (
        ("staffing", _staffing(user, unit, buckets, now)),
        ("disinfection", _disinfection(user, unit, buckets, now)),
        ("low_stock", _low_stock(user, unit, buckets, now)),
    ):
        for code, n in counts.items():
            values[code][key] = n
    rows = [AttentionRow(unit=c, values=values[c.code]) for c in children]
    rows.sort(key=lambda r: (-r.score, -r.values["alerts_open"], -r.values["missed"], r.unit.code))
    own = AttentionRow(unit=unit, values=values[unit.code], is_own=True)
    if own.score or not children:
        rows.append(own)
    return rows
