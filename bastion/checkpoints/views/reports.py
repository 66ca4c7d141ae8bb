"""Report pages: a checkpoint, township, county or the city over a range of days."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.checkpoints.selectors import report_range, traffic_report
from bastion.orgs import selectors as org_selectors
from bastion.orgs.models import Kind


def _day(request: HttpRequest, name: str) -> date | None:
    try:
        day = date.fromisoformat(request.GET.get(name, "")[:10])
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


@login_required
@require(Capability.VIEW_CHECKPOINTS)
def unit_report(request: HttpRequest, code: str) -> HttpResponse:
    """Vehicles and persons per day and per shift (a checkpoint) or per checkpoint (a township,
    county or the city), fevers, hand-overs and their uptake, high-risk origins, staffing gaps.
    Aggregates only: no names, no numbers."""
    user = request.user
    unit = org_selectors.unit_get(user=user, code=code)
    start, end = report_range(
        _day(request, "from"), _day(request, "to"), today=timezone.localdate()
    )
    report = traffic_report(user=user, unit=unit, start=start, end=end)
    children = (
        [
            c
            for c in org_selectors.unit_children(user=user, unit=unit)
            if c.kind == Kind.TERRITORIAL and c.level != "grid"
        ]
        if unit.kind == Kind.TERRITORIAL
        else []
    )
    return render(
        request,
        "checkpoints/report.html",
        {
            "unit": unit,
            "report": report,
            "crumbs": org_selectors.unit_breadcrumbs(user=user, unit=unit),
            "children": children,
            "can_create": unit.kind == Kind.TERRITORIAL
            and unit.level != "grid"
            and code_in_scope(user, unit.code, Capability.MANAGE_CHECKPOINTS),
        },
    )
