"""The grid worker's today screen (今日工作) and the unit pages (村、乡镇、县区): counts per
child unit, the missed-days buckets and the five-early latencies for a date range."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope, has_capability
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.observation import services
from bastion.observation.forms import DateRangeForm
from bastion.observation.selectors import alerts as alert_selectors
from bastion.observation.selectors import dashboard
from bastion.observation.selectors import observations as obs_selectors
from bastion.orgs.selectors import unit_breadcrumbs, unit_children, unit_roots


@login_required
@never_cache
def today(request: HttpRequest) -> HttpResponse:
    """Today first: who is due now, who has missed, the open alerts, care visits due."""
    user = request.user
    if not has_capability(user, Capability.RECORD_CHECKINS):
        roots = unit_roots(user=user)
        if roots:
            return redirect("observation:unit", code=roots[0].code)
        return redirect("core:home")
    work = dashboard.worker_today(user=user, now=timezone.now())
    services.observation_access_log(
        actor=user,
        action=Action.LIST,
        object_type="observation",
        count=work.active,
        purpose="today",
    )
    return render(
        request,
        "observation/today.html",
        {"work": work, "now": timezone.now(), "show_names": True},
    )


@login_required
@require(Capability.VIEW_OBSERVATIONS)
def unit_index(request: HttpRequest) -> HttpResponse:
    roots = unit_roots(user=request.user)
    if not roots:
        return redirect("core:home")
    return redirect("observation:unit", code=roots[0].code)


@login_required
@require(Capability.VIEW_OBSERVATIONS)
@never_cache
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    """A village, township or county: observations, due, missed buckets, fevers and the
    five-early latencies per child unit; drill down to the people."""
    user = request.user
    unit = obs_selectors.unit_in_scope(user=user, code=code)
    children = list(unit_children(user=user, unit=unit))
    range_form = DateRangeForm(request.GET or None)
    date_from, date_to = range_form.bounds()
    counts, total = dashboard.unit_counts(user=user, unit=unit, children=children)
    latencies, latency_total = dashboard.unit_latencies(
        user=user, unit=unit, children=children, date_from=date_from, date_to=date_to
    )
    cases = list(alert_selectors.case_list(user=user, unit_code=unit.code)[:50])
    rows = [(c, counts[c.code], latencies[c.code]) for c in children]
    services.observation_access_log(
        actor=user,
        action=Action.LIST,
        object_type="observation_summary",
        unit_code=unit.code,
        count=total.active,
    )
    return render(
        request,
        "observation/unit.html",
        {
            "unit": unit,
            "crumbs": unit_breadcrumbs(user=user, unit=unit),
            "rows": rows,
            "total": total,
            "latency_total": latency_total,
            "steps": dashboard.LATENCY_STEPS,
            "buckets": dashboard.BUCKETS,
            "cases": cases,
            "date_from": date_from,
            "date_to": date_to,
            "show_names": code_in_scope(user, unit.code, Capability.RECORD_CHECKINS),
            "active": "units",
        },
    )
