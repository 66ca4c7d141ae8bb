"""Dashboard pages (指挥大屏): the user's home unit, any unit of the jurisdiction, and the large
screen of the command centre. Aggregates only: no names, no numbers of persons."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from bastion.accounts.decorators import require
from bastion.orgs.models import Kind, Level, OrgUnit, RiskState
from bastion.orgs.selectors import home_unit
from bastion.reports.dashboard import links
from bastion.reports.dashboard.attention import MEASURES
from bastion.reports.dashboard.common import VIEW, unit_get
from bastion.reports.dashboard.selectors import Dashboard, Value, dashboard_get

# The large screen reloads its figures this often (seconds).
SCREEN_REFRESH_SECONDS = 60


def report_links(code: str, day: Any) -> dict[str, str]:
    """The day's situation report page and its Excel download (the reports app's pages)."""
    query = urlencode({"date": day.isoformat()})
    result = {}
    for name, url_name in (("page", "reports:unit"), ("xlsx", "reports:xlsx")):
        try:
            result[name] = f"{reverse(url_name, args=[code])}?{query}"
        except NoReverseMatch:
            continue
    return result


def _risk_of(unit: OrgUnit, counts: dict[str, dict[str, Value]]) -> list[tuple[str, str, Value]]:
    """A village's own risk state; for a larger unit, its villages in each state that has any."""
    if unit.level == Level.VILLAGE and unit.kind == Kind.TERRITORIAL:
        return [(unit.risk_state, unit.get_risk_state_display(), None)]
    of_unit = counts.get(unit.code, {})
    return [
        (state.value, str(state.label), of_unit.get(f"risk.{state.value}"))
        for state in reversed(RiskState)
        if of_unit.get(f"risk.{state.value}")
    ]


def _context(request: HttpRequest, board: Dashboard, drill: str) -> dict[str, Any]:
    """The dashboard with the link behind every figure, for this user. `drill` names the page
    a child unit opens (its dashboard, or its large screen)."""
    user = request.user
    code = board.unit.code
    today, start = board.today, board.period_start

    def to(key: str, unit_code: str = code, *, period: bool = False) -> str | None:
        return links.link(user, key, unit_code, start=start if period else today, end=today)

    return {
        "board": board,
        "unit": board.unit,
        "headline": [(f, to(f.key)) for f in board.headline],
        "funnel": [(f, to(f.key, period=True)) for f in board.funnel],
        "risk": [(f, to(f.key)) for f in board.risk],
        "latencies_link": to("five_early.latencies", period=True),
        "ranking": [
            {
                "row": row,
                "items": [
                    (key, label, n, to(key, row.unit.code) if n else None)
                    for key, label, n in row.items()
                ],
                "risk": [] if row.is_own else _risk_of(row.unit, board.child_risk),
                "drill": None if row.is_own else reverse(drill, args=[row.unit.code]),
            }
            for row in board.attention
        ],
        "measures": MEASURES,
        "chart": {
            **board.trends.chart(),
            "funnel": [{"name": f.label, "value": f.today or 0} for f in board.funnel],
        },
        "report_links": report_links(code, today),
        "refresh_seconds": SCREEN_REFRESH_SECONDS,
    }


@login_required
@require(VIEW)
def dashboard_home(request: HttpRequest) -> HttpResponse:
    """The user's home unit: the highest one where they may see reports."""
    unit = home_unit(user=request.user, capability=VIEW)
    if unit is None:
        raise Http404("未找到")
    return redirect("dashboard:unit", code=unit.code)


@login_required
@require(VIEW)
@never_cache
def dashboard_unit(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get(user=request.user, code=code)
    board = dashboard_get(user=request.user, unit=unit)
    return render(
        request, "reports/dashboard/unit.html", _context(request, board, "dashboard:unit")
    )


@login_required
@require(VIEW)
@never_cache
def dashboard_screen(request: HttpRequest, code: str) -> HttpResponse:
    """The command centre's large screen: dark, large type, refreshed by htmx every minute
    (the same view answers the page and, for htmx, its figures only)."""
    unit = unit_get(user=request.user, code=code)
    board = dashboard_get(user=request.user, unit=unit)
    template = (
        "reports/dashboard/_screen_body.html"
        if request.headers.get("HX-Request")
        else "reports/dashboard/screen.html"
    )
    return render(request, template, _context(request, board, "dashboard:screen"))
