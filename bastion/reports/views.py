"""Report pages under /reports/: the daily situation report of a unit (日报) as tables, a
printable page and an Excel file, and the sign-off form. Figures only: no personal data."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.forms import add_service_errors
from bastion.orgs.selectors import home_unit
from bastion.reports import services
from bastion.reports.forms import DatesForm, SignOffForm, parse_dates
from bastion.reports.selectors import situation_report
from bastion.reports.selectors.report import SituationReport
from bastion.reports.selectors.signoffs import changes_since, signoff_list
from bastion.reports.selectors.units import report_parent, report_unit_get
from bastion.reports.spreadsheets import report_title, report_workbook

VIEW = Capability.VIEW_REPORTS
SIGN = Capability.SIGN_REPORTS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _query(start: date, end: date) -> str:
    params = {"date": start.isoformat()}
    if end != start:
        params["to"] = end.isoformat()
    return urlencode(params)


@login_required
@require(VIEW)
def report_index(request: HttpRequest) -> HttpResponse:
    unit = home_unit(user=request.user, capability=VIEW)
    if unit is None:
        raise Http404("未找到")
    return redirect("reports:unit", code=unit.code)


def _context(request: HttpRequest, report: SituationReport, form: DatesForm) -> dict[str, Any]:
    unit, today = report.unit, timezone.localdate()
    one_day = report.start == report.end
    signoffs = list(signoff_list(unit=unit, day=report.start)) if one_day else []
    latest = signoffs[0] if signoffs else None
    span = timedelta(days=report.days)
    return {
        "unit": unit,
        "report": report,
        "form": form,
        "query": _query(report.start, report.end),
        "previous_query": _query(report.start - span, report.end - span),
        "next_query": _query(report.start + span, report.end + span),
        "has_next": report.end < today,
        "today": today,
        "parent": report_parent(user=request.user, unit=unit),
        "signoffs": signoffs,
        "latest_signoff": latest,
        "changes": changes_since(latest, report) if latest else [],
        "can_sign": one_day
        and report.start <= today
        and services.can_sign(user=request.user, unit=unit),
        "title": report_title(report),
    }


def _report_or_errors(request: HttpRequest, code: str) -> tuple[Any, DatesForm, Any]:
    unit = report_unit_get(user=request.user, code=code)
    form, start, end = parse_dates(request.GET, timezone.localdate())
    return unit, form, (None if form.errors else situation_report(unit, start, end))


@login_required
@require(VIEW)
@never_cache
def report_unit(request: HttpRequest, code: str) -> HttpResponse:
    unit, form, report = _report_or_errors(request, code)
    if report is None:
        return render(request, "reports/report.html", {"unit": unit, "form": form}, status=400)
    context = _context(request, report, form)
    context["sign_form"] = SignOffForm()
    return render(request, "reports/report.html", context)


@login_required
@require(VIEW)
@never_cache
def report_print(request: HttpRequest, code: str) -> HttpResponse:
    unit, form, report = _report_or_errors(request, code)
    if report is None:
        return render(request, "reports/report.html", {"unit": unit, "form": form}, status=400)
    return render(request, "reports/print.html", _context(request, report, form))


@login_required
@require(VIEW)
def report_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    unit, form, report = _report_or_errors(request, code)
    if report is None:
        return render(request, "reports/report.html", {"unit": unit, "form": form}, status=400)
    content = report_workbook(report)
    access_log_write(
        user=request.user,
        action=Action.EXPORT,
        object_type="situation_report",
        object_id=unit.code,
        unit_code=unit.code,
        detail={"start": report.start.isoformat(), "end": report.end.isoformat()},
    )
    response = HttpResponse(content, content_type=XLSX)
    filename = f"report-{unit.code}-{report.start:%Y%m%d}"
    if report.end != report.start:
        filename += f"-{report.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@login_required
@require(SIGN)
@require_POST
def report_sign(request: HttpRequest, code: str) -> HttpResponse:
    unit, form, report = _report_or_errors(request, code)
    if report is None or report.start != report.end:
        return render(request, "reports/report.html", {"unit": unit, "form": form}, status=400)
    sign_form = SignOffForm(request.POST)
    if sign_form.is_valid():
        try:
            services.signoff_create(
                actor=request.user, unit=unit, day=report.start, note=sign_form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(sign_form, error)
        else:
            messages.success(request, _("日报已签发。"))
            return redirect(
                reverse("reports:unit", args=[unit.code]) + "?" + _query(report.start, report.end)
            )
    context = _context(request, report, form)
    context["sign_form"] = sign_form
    return render(request, "reports/report.html", context, status=400)
