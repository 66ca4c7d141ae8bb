"""The figures a briefing (简报) may quote, all computed, never typed.

Three sources, one key space:
- `<section>.<name>`: the situation report (bastion.reports), the same queries as the daily report;
- `party.<name>`: Party engagement (bastion.party.engagement);
- `brief.<name>`: the few figures the article quotes that the report does not list (pledges,
  teams sent, sign-ups, checkpoints and interchanges, banquets persuaded, masks donated, supply
  deliveries). Each is one aggregate over the unit's code prefix, or a sum of report figures.
- `meta.<name>`: the unit's name and the period, so that the author never types them either.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from bastion.checkpoints.models import Checkpoint, CheckpointKind
from bastion.core.days import day_bounds
from bastion.mobilisation.models import Application, Team, TeamMembership
from bastion.orgs.models import OrgUnit
from bastion.party import engagement as eng
from bastion.reports.catalogue import FIGURES as REPORT_FIGURES
from bastion.reports.selectors import SituationReport, situation_report
from bastion.supplies.models import Category, MovementKind, StockMovement

Value = int | float | Decimal | str | None

BRIEF_FIGURES: dict[str, tuple[str, str]] = {
    "brief.pledges": ("请战书（累计）", "份"),
    "brief.teams": ("外派队伍（累计）", "支"),
    "brief.team_members": ("外派队员（累计）", "人"),
    "brief.team_party_members": ("其中党员", "名"),
    "brief.join_applications": ("递交入党申请书", "人"),
    "brief.volunteers_signed": ("报名参加防控工作（累计）", "人"),
    "brief.checkpoints": ("查控卡点", "个"),
    "brief.interchanges": ("其中高速公路互通口", "个"),
    "brief.banquets_persuaded": ("劝延、取消或简办酒宴", "起"),
    "brief.masks_donated": ("捐赠口罩", "个"),
    "brief.deliveries": ("物资配送", "批次"),
}
META_FIGURES: dict[str, tuple[str, str]] = {
    "meta.unit": ("单位", ""),
    "meta.start": ("开始日期", ""),
    "meta.end": ("结束日期", ""),
}


@dataclass(frozen=True)
class BriefFigure:
    key: str
    label: str
    unit: str
    value: Value
    source: str  # "report", "party", "brief" or "meta"

    @property
    def text(self) -> str:
        return format_value(self.value)


def format_value(value: Value) -> str:
    """How a figure is printed: integers as they are, other numbers to one decimal, 0 as 0,
    and an unknown value (no data, e.g. a rate over nothing) as a dash."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    number = Decimal(str(value)).quantize(Decimal("0.1"))
    return str(int(number)) if number == number.to_integral() else str(number)


def catalogue() -> dict[str, tuple[str, str]]:
    """Every key a placeholder may name, with its Chinese label and unit."""
    keys: dict[str, tuple[str, str]] = {
        k: (str(f.label), str(f.unit)) for k, f in REPORT_FIGURES.items()
    }
    keys.update({f"party.{k}": v for k, v in eng.FIGURES.items()})
    keys.update(BRIEF_FIGURES)
    keys.update(META_FIGURES)
    return keys


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _brief_values(
    unit: OrgUnit, start: date, end: date, report: SituationReport
) -> dict[str, Value]:
    prefix = unit.scope_prefix
    since, until = day_bounds(start, end)
    pledges = Application.objects.filter(
        unit_code__startswith=prefix, is_pledge=True, created_at__lt=until
    ).aggregate(
        n=Count("pk"), join=Count("pk", filter=Q(applies_to_join_party=True, team__isnull=False))
    )
    teams = Team.objects.filter(unit_code__startswith=prefix, created_at__lt=until)
    team_members = TeamMembership.objects.filter(team__in=teams).aggregate(
        n=Count("member", distinct=True),
        party=Count("member", distinct=True, filter=Q(member__is_party_member=True)),
    )
    signed = (
        Application.objects.filter(
            unit_code__startswith=prefix, call__isnull=False, created_at__lt=until
        )
        .values("member")
        .distinct()
        .count()
    )
    open_checkpoints = Checkpoint.objects.filter(
        unit_code__startswith=prefix, unit__is_active=True
    ).filter(
        Q(opens_on__isnull=True) | Q(opens_on__lte=end),
        Q(closes_on__isnull=True) | Q(closes_on__gte=start),
    )
    cps = open_checkpoints.aggregate(
        n=Count("pk"), interchanges=Count("pk", filter=Q(kind=CheckpointKind.HIGHWAY_INTERCHANGE))
    )
    movements = StockMovement.objects.filter(
        unit_code__startswith=prefix, occurred_at__gte=since, occurred_at__lt=until
    )
    masks = movements.filter(
        kind=MovementKind.RECEIPT, donation__isnull=False, item__category=Category.MASK
    ).aggregate(n=Sum("quantity"))["n"]
    deliveries = movements.filter(kind=MovementKind.ISSUE).count()
    persuaded = sum(
        int(report.value(k) or 0)
        for k in ("gatherings.postponed", "gatherings.cancelled", "gatherings.downsized")
    )
    return {
        "brief.pledges": pledges["n"],
        "brief.teams": teams.count(),
        "brief.team_members": team_members["n"],
        "brief.team_party_members": team_members["party"],
        "brief.join_applications": pledges["join"],
        "brief.volunteers_signed": signed,
        "brief.checkpoints": cps["n"],
        "brief.interchanges": cps["interchanges"],
        "brief.banquets_persuaded": persuaded,
        "brief.masks_donated": int(masks or 0),
        "brief.deliveries": deliveries,
    }


def briefing_figures(*, user: Any, unit: OrgUnit, start: date, end: date) -> dict[str, BriefFigure]:
    """Every figure of the unit over [start, end], keyed as the placeholders name them.

    The caller has scoped `unit` to the user (VIEW_PARTY and VIEW_REPORTS); the figures are
    aggregates of the unit's subtree.
    """
    labels = catalogue()
    report = situation_report(unit, start, end)
    engaged = eng.engagement(user=user, unit=unit, start=start, end=end)
    values: dict[str, Value] = {k: report.value(k) for k in REPORT_FIGURES}
    sources = dict.fromkeys(REPORT_FIGURES, "report")
    for name, number in engaged.own.values.items():
        values[f"party.{name}"] = number
        sources[f"party.{name}"] = "party"
    for key, value in _brief_values(unit, start, end, report).items():
        values[key] = value
        sources[key] = "brief"
    values.update({"meta.unit": unit.name, "meta.start": _day(start), "meta.end": _day(end)})
    sources.update(dict.fromkeys(META_FIGURES, "meta"))
    return {
        k: BriefFigure(k, labels[k][0], labels[k][1], values.get(k), sources.get(k, "report"))
        for k in labels
    }
