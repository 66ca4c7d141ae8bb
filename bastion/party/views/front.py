"""Engagement (在岗情况), Party organisations and vanguard posts (先锋岗、责任区) pages."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.orgs.models import OrgUnit
from bastion.orgs.selectors import home_unit
from bastion.party import selectors, services
from bastion.party.engagement import FIGURES, coverage, engagement, leave_cancelled
from bastion.party.forms import PartyOrgForm, PostForm, add_service_errors
from bastion.party.views.common import (
    MANAGE,
    RECORD,
    VIEW,
    crumbs,
    period_of,
    query,
    report_url,
)
from bastion.reports.catalogue import FIGURES as REPORT_FIGURES
from bastion.reports.selectors import situation_report

# The columns of the engagement table on a phone, in order.
COLUMNS = ["orgs_engaged", "party_on_duty", "non_party_on_duty", "hours", "cancelled_leave"]
DETAIL = [
    "orgs",
    "temporary_branches",
    "members",
    "party_members",
    "on_duty",
    "team_members",
    "posts",
    "areas",
]
# Where the members serve (在哪里服务), per child unit: their roster shifts and duties, and
# what the accounts linked to them recorded.
# Short headings keep the table readable on a phone; the legend below it gives the full names.
SERVE = [
    ("shifts", gettext_lazy("卡点")),
    ("assignments", gettext_lazy("任务")),
    ("visits", gettext_lazy("走访")),
    ("checkins", gettext_lazy("随访")),
    ("disinfections", gettext_lazy("消杀")),
    ("deliveries", gettext_lazy("发放")),
]


# The unit's work on each front over the period, from the situation report: everyone's work,
# members or not (the SERVE figures above count only what members' linked accounts recorded).
FRONTS = [
    "screening.visits",
    "observation.checkins_done",
    "checkpoints.vehicles",
    "disinfection.done",
    "supplies.issued",
    "gatherings.postponed",
]


def _fronts(
    request: HttpRequest, unit: OrgUnit, start: date, end: date
) -> list[tuple[str, Any, str]]:
    if not code_in_scope(request.user, unit.code, Capability.VIEW_REPORTS):
        return []
    # Only these figures' sections, and not the due check-in slots (the costly part, which
    # no front reads): the whole report was most of this page's time for a city.
    report = situation_report(
        unit, start, end, sections={k.split(".")[0] for k in FRONTS}, figures=FRONTS
    )
    return [
        (str(REPORT_FIGURES[k].label), report.value(k), str(REPORT_FIGURES[k].unit)) for k in FRONTS
    ]


@login_required
@require(VIEW)
def party_index(request: HttpRequest) -> HttpResponse:
    unit = home_unit(user=request.user, capability=VIEW)
    if unit is None:
        raise Http404("未找到")
    return redirect("party:engagement", code=unit.code)


@login_required
@require(VIEW)
@never_cache
def engagement_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get(user=request.user, code=code)
    form, start, end = period_of(request)
    e = engagement(user=request.user, unit=unit, start=start, end=end)
    return render(
        request,
        "party/engagement.html",
        {
            "unit": unit,
            "crumbs": crumbs(request, unit),
            "form": form,
            "start": start,
            "end": end,
            "query": query(start, end),
            "e": e,
            "columns": [(k, *FIGURES[k]) for k in COLUMNS],
            "detail": [(k, *FIGURES[k], e.own.values[k]) for k in DETAIL],
            "serve": [(k, short, *FIGURES[k]) for k, short in SERVE],
            "section": "engagement",
            "fronts": _fronts(request, unit, start, end),
            "leave": leave_cancelled(user=request.user, unit=unit, start=start, end=end),
            "report_url": report_url(unit.code, start, end),
        },
    )


@login_required
@require(VIEW)
@never_cache
def org_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get(user=request.user, code=code)
    can_manage = code_in_scope(request.user, unit.code, MANAGE)
    form = None
    if can_manage:
        members = selectors.party_members(user=request.user, unit=unit)
        form = PartyOrgForm(request.POST or None, members=members)
        if request.method == "POST" and form.is_valid():
            secretary = selectors.member_for(
                user=request.user, member_id=form.cleaned_data["secretary"]
            )
            try:
                org = services.party_org_create(
                    led_unit=unit,
                    name=form.cleaned_data["name"],
                    party_kind=form.cleaned_data["party_kind"],
                    secretary=secretary,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已建立%(name)s。") % {"name": org.unit.name})
                return redirect("party:org_list", code=unit.code)
    elif request.method == "POST":
        raise Http404("未找到")
    orgs = list(selectors.party_orgs(user=request.user, unit=unit)[:500])
    return render(
        request,
        "party/org_list.html",
        {
            "unit": unit,
            "crumbs": crumbs(request, unit),
            "orgs": orgs,
            "counts": selectors.org_member_counts(orgs=orgs),
            "form": form,
            "section": "orgs",
        },
    )


@login_required
@require(VIEW)
@never_cache
def post_list(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    today = timezone.localdate()
    can_manage = code_in_scope(user, unit.code, MANAGE)
    form = None
    if can_manage:
        form = PostForm(
            request.POST or None,
            members=selectors.party_members(user=user, unit=unit),
            checkpoints=selectors.checkpoints_under(user=user, unit=unit),
            areas=selectors.grids_under(user=user, unit=unit),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            place = data["place"]
            member = selectors.member_for(user=user, member_id=data["member"])
            checkpoint = (
                selectors.checkpoint_for(user=user, checkpoint_id=int(place[1:]))
                if place.startswith("c")
                else None
            )
            area = selectors.area_for(user=user, code=place[1:]) if place.startswith("a") else None
            if member is None or (checkpoint is None and area is None):
                raise Http404("未找到")
            try:
                services.post_assign(
                    actor=user,
                    member=member,
                    kind=data["kind"],
                    title=data["title"],
                    starts_on=data["starts_on"],
                    checkpoint=checkpoint,
                    area=area,
                    building=data["building"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已设立。"))
                return redirect("party:post_list", code=unit.code)
    elif request.method == "POST":
        raise Http404("未找到")
    return render(
        request,
        "party/post_list.html",
        {
            "unit": unit,
            "crumbs": crumbs(request, unit),
            "rows": coverage(user=user, unit=unit, on=today),
            "posts": selectors.post_list(user=user, unit=unit, on=today)[:200],
            "form": form,
            "today": today,
            "section": "posts",
            "can_record": code_in_scope(user, unit.code, RECORD),
        },
    )


@login_required
@require(MANAGE)
@require_POST
def post_end(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_get(user=request.user, post_id=post_id, capability=MANAGE)
    try:
        services.post_end(post=post, on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("party:post_list", code=post.unit_code)
