"""The unit page of community measures: gatherings by outcome and disinfection compliance per
child unit, with the overdue sites; one grouped query per table, whatever the unit's size."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from bastion.accounts.jurisdiction import active_memberships, code_in_scope
from bastion.accounts.roles import Capability
from bastion.community import selectors
from bastion.community.forms import PeriodForm, default_period
from bastion.community.models import GatheringOutcome
from bastion.core.http import AuthedRequest
from bastion.orgs.models import OrgUnit

GATHERINGS = Capability.VIEW_GATHERINGS
SITES = Capability.VIEW_SITES


def _roots(request: AuthedRequest) -> list[OrgUnit]:
    """The user's own units where they see gatherings or sites, outermost only."""
    units = {
        m.unit.code: m.unit
        for m in active_memberships(request.user)
        if code_in_scope(request.user, m.unit.code, GATHERINGS)
        or code_in_scope(request.user, m.unit.code, SITES)
    }
    return [
        u
        for u in units.values()
        if not any(o.code != u.code and u.code.startswith(o.scope_prefix) for o in units.values())
    ]


@login_required
@never_cache
def community_index(request: AuthedRequest) -> HttpResponse:
    roots = _roots(request)
    if not roots:
        raise Http404("未找到")
    if len(roots) == 1:
        return redirect("community:unit_summary", code=roots[0].code)
    return render(request, "community/index.html", {"roots": roots})


@login_required
@never_cache
def unit_summary(request: AuthedRequest, code: str) -> HttpResponse:
    """Counts for one unit, per child: gatherings by outcome in a period of planned dates, and
    disinfection done / due over the last seven days with today's overdue sites."""
    user = request.user
    see_gatherings = code_in_scope(user, code, GATHERINGS)
    see_sites = code_in_scope(user, code, SITES)
    if not (see_gatherings or see_sites):
        raise Http404("未找到")
    capability = GATHERINGS if see_gatherings else SITES
    unit = selectors.unit_in_scope(user=user, code=code, capability=capability)
    children = selectors.unit_children(user=user, unit=unit, capability=capability)
    period = PeriodForm(request.GET)
    period.is_valid()
    date_from = period.cleaned_data.get("date_from")
    date_to = period.cleaned_data.get("date_to")
    context: dict[str, object] = {
        "unit": unit,
        "period": period,
        "see_gatherings": see_gatherings,
        "see_sites": see_sites,
        "outcomes": GatheringOutcome.choices,
    }
    if see_gatherings:
        counts, total = selectors.gathering_counts(
            user=user, unit=unit, children=children, date_from=date_from, date_to=date_to
        )
        context |= {"counts": counts, "counts_total": total}
    if see_sites:
        today = selectors.today_of(None)
        first, last = default_period(today)
        rows, all_sites = selectors.compliance(
            user=user, unit=unit, children=children, days=selectors.period_days(first, last)
        )
        context |= {
            "compliance": rows,
            "compliance_total": all_sites,
            "days": all_sites.days,
            "today": today,
            "today_cell": all_sites.cell(today),
        }
    parent = unit.parent
    context["parent_code"] = (
        parent.code if parent is not None and code_in_scope(user, parent.code, capability) else ""
    )
    return render(request, "community/unit_summary.html", context)
