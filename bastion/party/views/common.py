"""Helpers shared by the Party pages."""

from datetime import date
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.orgs.models import OrgUnit
from bastion.orgs.selectors import unit_breadcrumbs
from bastion.party.forms import PeriodForm

VIEW = Capability.VIEW_PARTY
RECORD = Capability.RECORD_DEEDS
MANAGE = Capability.MANAGE_PARTY


def period_of(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": today, "end": today})
    start, end = form.period()
    return form, start, end


def query(start: date, end: date) -> str:
    return urlencode({"start": start.isoformat(), "end": end.isoformat()})


def report_url(code: str, start: date, end: date) -> str:
    """The situation report (日报) of the unit and period the figures come from."""
    base = reverse("reports:unit", kwargs={"code": code})
    return f"{base}?{urlencode({'date': start.isoformat(), 'to': end.isoformat()})}"


def crumbs(request: HttpRequest, unit: OrgUnit) -> list[OrgUnit]:
    return [
        u
        for u in unit_breadcrumbs(user=request.user, unit=unit)
        if code_in_scope(request.user, u.code, VIEW)
    ]
