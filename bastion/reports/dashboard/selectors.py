"""The dashboard (指挥大屏) of one unit: today's headline figures against yesterday's, the trends
over the epidemic period, the five-early funnel and latencies, the children ranked by what
needs attention, and the communities' risk states.

The figures come from the situation report (today, yesterday and the whole period: three
reports, each limited to the sections its part of the page reads), the trends and the ranking
from grouped queries of their own. Nothing is computed per unit with a query: the number of
queries does not depend on the number of children or of days.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bastion.orgs.models import OrgUnit, RiskState
from bastion.reports.catalogue import FIGURES
from bastion.reports.dashboard.attention import AttentionRow, attention
from bastion.reports.dashboard.common import breadcrumbs, children_of, today_of
from bastion.reports.dashboard.trends import Trends, period_start, trends
from bastion.reports.selectors import SituationReport, situation_report

# The headline: what a commander reads first, today against yesterday.
HEADLINE_KEYS = (
    "signals.found",
    "signals.open",
    "observation.new",
    "observation.active",
    "observation.fevers",
    "observation.checkins_missed",
    "five_early.referred",
    "five_early.confirmed",
    "checkpoints.vehicles",
    "checkpoints.persons",
    "checkpoints.fevers",
    "disinfection.rate",
)
# The short headline of the officer's home page.
HOME_KEYS = (
    "signals.open",
    "observation.active",
    "observation.fevers",
    "five_early.confirmed",
)
# A rise in these is good news (the others are work or risk).
GOOD_WHEN_UP = frozenset({"disinfection.rate", "observation.checkin_rate"})

# The five-early funnel (五早漏斗): from a signal found to a confirmed case.
FUNNEL_KEYS = (
    "signals.found",
    "signals.to_observation",
    "five_early.referred",
    "five_early.suspected",
    "five_early.confirmed",
)
LATENCY_STEPS: tuple[tuple[str, Promise], ...] = (
    ("report", _("发现→报告")),
    ("isolate", _("报告→隔离")),
    ("diagnose", _("隔离→诊断")),
    ("treat", _("诊断→治疗")),
)
RISK_KEYS = tuple(f"risk.{s.value}" for s in RiskState)


def sections_of(*keys: str) -> set[str]:
    """The report sections that hold these figures: the dashboard computes only those."""
    return {key.split(".", 1)[0] for key in keys}


LATENCY_KEYS = tuple(
    f"five_early.{step}_{w}" for step, _l in LATENCY_STEPS for w in ("median", "worst")
)
# Today's report feeds the headline and the risk states; yesterday's the headline only; the
# period's the funnel and the latencies.
TODAY_SECTIONS = sections_of(*HEADLINE_KEYS, *RISK_KEYS)
YESTERDAY_SECTIONS = sections_of(*HEADLINE_KEYS)
PERIOD_SECTIONS = sections_of(*FUNNEL_KEYS, *LATENCY_KEYS)


Value = int | float | None


def shown(value: Value, unit: str = "") -> str:
    """A figure as the page shows it: "—" when it cannot be computed (no cases, nothing due),
    one decimal for fractions, the percent sign for rates."""
    if value is None:
        return "—"
    text = f"{value:.1f}" if isinstance(value, float) and not value.is_integer() else f"{value:g}"
    return f"{text}%" if unit == "%" else text


@dataclass
class Figure:
    """One figure of the headline: today's value against yesterday's."""

    key: str
    label: str
    unit: str
    today: Value
    yesterday: Value

    @property
    def delta(self) -> float | int | None:
        if self.today is None or self.yesterday is None:
            return None
        delta = self.today - self.yesterday
        return round(delta, 1) if isinstance(delta, float) else delta

    @property
    def shown(self) -> str:
        return shown(self.today, self.unit)

    @property
    def shown_yesterday(self) -> str:
        return shown(self.yesterday, self.unit)

    @property
    def shown_delta(self) -> str:
        delta = self.delta
        return shown(abs(delta), self.unit) if delta else ""

    @property
    def trend(self) -> str:
        """ "up", "down" or "flat" against yesterday."""
        if not self.delta:
            return "flat"
        return "up" if self.delta > 0 else "down"

    @property
    def tone(self) -> str:
        """Whether the change is good news ("good"), bad news ("bad") or none ("")."""
        if not self.delta:
            return ""
        good = (self.delta > 0) == (self.key in GOOD_WHEN_UP)
        return "good" if good else "bad"


@dataclass
class Latency:
    step: str
    label: str
    median: Value
    worst: Value

    @property
    def shown_median(self) -> str:
        return shown(self.median)

    @property
    def shown_worst(self) -> str:
        return shown(self.worst)


@dataclass
class Dashboard:
    unit: OrgUnit
    today: date
    period_start: date
    crumbs: list[OrgUnit]
    children: list[OrgUnit]
    headline: list[Figure]
    trends: Trends
    funnel: list[Figure]
    latencies: list[Latency]
    attention: list[AttentionRow]
    risk: list[Figure]
    report: SituationReport
    period: SituationReport
    child_risk: dict[str, dict[str, Value]] = field(default_factory=dict)

    @property
    def yesterday(self) -> date:
        return self.today - timedelta(days=1)


def _figures(
    keys: tuple[str, ...], today: SituationReport, yesterday: SituationReport | None
) -> list[Figure]:
    return [
        Figure(
            key=key,
            label=str(FIGURES[key].label),
            unit=str(FIGURES[key].unit),
            today=today.value(key),
            yesterday=yesterday.value(key) if yesterday is not None else None,
        )
        for key in keys
    ]


def headline_figures(
    *, unit: OrgUnit, today: date, keys: tuple[str, ...] = HEADLINE_KEYS
) -> list[Figure]:
    """Today's figures against yesterday's (two situation reports). The caller has scoped
    `unit` to the user."""
    wanted = sections_of(*keys)
    return _figures(
        keys,
        situation_report(unit, today, sections=wanted),
        situation_report(unit, today - timedelta(days=1), sections=wanted),
    )


def dashboard_get(*, user: Any, unit: OrgUnit, now: datetime | None = None) -> Dashboard:
    """The whole dashboard of `unit` (scoped by the caller with `common.unit_get`)."""
    now = now or timezone.now()
    today = today_of(now)
    start = period_start(user=user, unit=unit, today=today)
    # Only the sections each part of the page reads (`report` and `period` hold None for the
    # figures of the other sections).
    report = situation_report(
        unit, today, sections=TODAY_SECTIONS, figures=(*HEADLINE_KEYS, *RISK_KEYS)
    )
    yesterday = situation_report(
        unit, today - timedelta(days=1), sections=YESTERDAY_SECTIONS, figures=HEADLINE_KEYS
    )
    period = situation_report(unit, start, today, sections=PERIOD_SECTIONS)
    children = children_of(user=user, unit=unit)
    visible = {c.code for c in children}
    child_risk = {
        row.code: {k: row.values.get(k) for k in RISK_KEYS}
        for row in report.children
        if row.code in visible
    }
    return Dashboard(
        unit=unit,
        today=today,
        period_start=start,
        crumbs=breadcrumbs(user=user, unit=unit),
        children=children,
        headline=_figures(HEADLINE_KEYS, report, yesterday),
        trends=trends(user=user, unit=unit, start=start, end=today),
        funnel=_figures(FUNNEL_KEYS, period, None),
        latencies=[
            Latency(
                step=step,
                label=str(label),
                median=period.value(f"five_early.{step}_median"),
                worst=period.value(f"five_early.{step}_worst"),
            )
            for step, label in LATENCY_STEPS
        ],
        attention=attention(user=user, unit=unit, children=children, now=now),
        risk=_figures(RISK_KEYS, report, None),
        report=report,
        period=period,
        child_risk=child_risk,
    )
