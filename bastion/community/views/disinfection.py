"""Disinfection pages (消毒消杀): sites with overdue ones first and a big "record run" button,
the short checklist form for a run, site set-up, and the Excel export of runs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bastion.accounts.decorators import require
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.community import selectors, services
from bastion.community.checklists import AGENT_DEFAULTS, AGENT_UNITS
from bastion.community.forms import ExportForm, RunForm, SiteFilterForm, SiteForm
from bastion.community.spreadsheets import checklist_text, runs_workbook
from bastion.community.views.common import posted, xlsx_response
from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors
from bastion.core.http import AuthedRequest

VIEW = Capability.VIEW_SITES
RECORD = Capability.RECORD_DISINFECTION
MANAGE = Capability.MANAGE_SITES
LIST_LIMIT = 200
RECENT_RUNS = 20


@login_required
@require(VIEW)
@never_cache
def site_list(request: AuthedRequest) -> HttpResponse:
    """Today's sites: overdue ones first, each with a big button to record a run."""
    user = request.user
    units = list(selectors.filter_units(user=user, capability=VIEW))
    filters = SiteFilterForm(request.GET, units=units)
    filters.is_valid()
    data = filters.cleaned_data
    statuses = selectors.site_statuses(
        user=user,
        unit_code=data.get("unit") or None,
        kind=data.get("kind") or None,
        overdue_only=bool(data.get("overdue")),
    )
    rows = [(s, services.site_in_scope(user, s.site, RECORD)) for s in statuses[:LIST_LIMIT]]
    return render(
        request,
        "community/site_list.html",
        {
            "filters": filters,
            "rows": rows,
            "count": len(statuses),
            "overdue": sum(1 for s in statuses if s.overdue),
            "truncated": len(statuses) > LIST_LIMIT,
            "can_manage": bool(selectors.site_units(user=request.user)),
            "next": request.get_full_path(),
        },
    )


@login_required
@require(MANAGE)
@never_cache
def site_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = SiteForm(
        posted(request),
        units=selectors.site_units(user=request.user),
        responsible_units=selectors.responsible_units(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_create(actor=user, **form.arguments())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已新增点位：%(name)s。") % {"name": site.name})
            return redirect("community:site_detail", site_id=site.pk)
    return render(request, "community/site_form.html", {"form": form, "site": None})


@login_required
@require(MANAGE)
@never_cache
def site_edit(request: AuthedRequest, site_id: int) -> HttpResponse:
    user = request.user
    site = selectors.site_get(user=user, site_id=site_id, capability=MANAGE)
    form = SiteForm(
        posted(request),
        units=[site.unit],
        responsible_units=selectors.responsible_units(user=request.user),
        site=site,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.site_update(actor=user, site=site, **form.arguments())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("community:site_detail", site_id=site.pk)
    return render(request, "community/site_form.html", {"form": form, "site": site})


@login_required
@require(VIEW)
@never_cache
def site_detail(request: AuthedRequest, site_id: int) -> HttpResponse:
    user = request.user
    site = selectors.site_get(user=user, site_id=site_id)
    runs = list(selectors.run_list(user=user, site_id=site.pk)[:RECENT_RUNS])
    return render(
        request,
        "community/site_detail.html",
        {
            "site": site,
            "status": selectors.site_status(site=site),
            "runs": [(r, checklist_text(r)) for r in runs],
            "can_record": site.is_active and services.site_in_scope(user, site, RECORD),
            "can_manage": services.site_in_scope(user, site, MANAGE),
        },
    )


def _safe_next(request: AuthedRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("community:site_list")


@login_required
@require(RECORD)
@never_cache
def run_create(request: AuthedRequest, site_id: int) -> HttpResponse:
    """The short form of a run: the site's checklist as big boxes; agent, concentration and
    operator remembered from the last run; a client UUID so that a double tap records once."""
    user = request.user
    site = selectors.site_get(user=user, site_id=site_id, capability=RECORD)
    form = RunForm(posted(request), site=site, last=selectors.last_run_of(user=user))
    if request.method == "POST" and form.is_valid():
        try:
            _run, _created = services.run_record(actor=user, site=site, **form.arguments())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            status = selectors.site_status(site=site)
            messages.success(
                request,
                _("已记录：%(site)s，今日第 %(n)s 次。")
                % {"site": site.name, "n": status.runs_today},
            )
            return redirect(_safe_next(request))
    return render(
        request,
        "community/run_form.html",
        {
            "form": form,
            "site": site,
            "status": selectors.site_status(site=site),
            "next": _safe_next(request),
            "unit_label": AGENT_UNITS.get(str(form["agent"].value()), "mg/L"),
            "agent_defaults": {
                a: {"value": AGENT_DEFAULTS[a], "unit": u} for a, u in AGENT_UNITS.items()
            },
        },
    )


@login_required
@require(VIEW)
@never_cache
def run_export(request: AuthedRequest) -> HttpResponse:
    """Excel of the runs in scope for a period, after the user states a reason."""
    user = request.user
    units = list(selectors.filter_units(user=user, capability=VIEW))
    form = ExportForm(posted(request), units=units, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit_code = data.get("unit") or None
        rows = selectors.run_export_rows(
            user=user,
            unit_code=unit_code,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        content, count = runs_workbook(rows)
        access_log_write(
            user=user,
            action=Action.EXPORT,
            object_type="disinfection_run",
            unit_code=unit_code or "",
            reason=data["reason"],
            detail={"count": count},
        )
        return xlsx_response(content, "消杀记录")
    return render(
        request,
        "community/export_form.html",
        {"form": form, "title": _("导出消杀记录"), "back": reverse("community:site_list")},
    )
