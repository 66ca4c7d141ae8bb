"""Gathering pages (酒宴): the village's list, the phone form, the record with its outcome and
attendees, and the Excel export."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.community import selectors, services
from bastion.community.forms import (
    AttendeeChangeForm,
    AttendeeSearchForm,
    ExportForm,
    GatheringFilterForm,
    GatheringForm,
)
from bastion.community.models import Gathering
from bastion.community.spreadsheets import gatherings_workbook
from bastion.community.views.common import is_htmx, posted, xlsx_response
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.forms import add_service_errors
from bastion.core.http import AuthedRequest
from bastion.people import selectors as people_selectors
from bastion.people import services as people_services
from bastion.people.selectors import QueryKind

VIEW = Capability.VIEW_GATHERINGS
RECORD = Capability.RECORD_GATHERINGS
PAGE_SIZE = 25
SEARCH_LIMIT = 20


@login_required
@require(VIEW)
@never_cache
def gathering_list(request: AuthedRequest) -> HttpResponse:
    """The gatherings of the user's villages: those waiting for an outcome first."""
    user = request.user
    units = list(selectors.filter_units(user=user, capability=VIEW))
    filters = GatheringFilterForm(request.GET, units=units)
    filters.is_valid()
    data = filters.cleaned_data
    unit_code = data.get("unit") or None
    outcome = data.get("outcome") or None
    gatherings = selectors.gathering_list(
        user=user,
        unit_code=unit_code,
        outcome=outcome,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    page = Paginator(gatherings, PAGE_SIZE).get_page(data.get("page"))
    today = selectors.today_of(None)
    rows = [(g, selectors.gathering_warnings(g, today=today)) for g in page.object_list]
    access_log_write(
        user=user,
        action=Action.LIST,
        object_type="gathering",
        unit_code=unit_code or "",
        detail={"count": page.paginator.count, "page": page.number, "outcome": outcome or ""},
    )
    kept = ("unit", "outcome", "date_from", "date_to")
    query = urlencode([(k, str(v)) for k, v in request.GET.items() if k in kept and v])
    return render(
        request,
        "community/gathering_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query,
            "can_record": selectors.entry_units(user=user).exists(),
        },
    )


@login_required
@require(RECORD)
@never_cache
def gathering_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    units = list(selectors.entry_units(user=user))
    last = selectors.last_gathering_of(user=user)
    form = GatheringForm(posted(request), units=units, last=last)
    if request.method == "POST" and form.is_valid():
        try:
            gathering, _created = services.gathering_create(
                actor=user, client_uuid=form.cleaned_data.get("client_uuid"), **form.arguments()
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("已登记：%(name)s 的酒宴。") % {"name": gathering.host_name}
            )
            return redirect("community:gathering_detail", gathering_id=gathering.pk)
    return render(request, "community/gathering_form.html", {"form": form, "gathering": None})


def _detail_context(request: AuthedRequest, gathering: Gathering, **extra: Any) -> dict[str, Any]:
    user = request.user
    today = selectors.today_of(None)
    return {
        "gathering": gathering,
        "warnings": selectors.gathering_warnings(gathering, today=today),
        "attendees": selectors.attendees_of(user=user, gathering=gathering),
        "can_edit": code_in_scope(user, gathering.unit_code, RECORD),
        "search": AttendeeSearchForm(),
        "results": None,
        **extra,
    }


@login_required
@require(VIEW)
@never_cache
def gathering_detail(request: AuthedRequest, gathering_id: int) -> HttpResponse:
    gathering = selectors.gathering_get(user=request.user, gathering_id=gathering_id)
    access_log_write(
        user=request.user,
        action=Action.VIEW,
        object_type="gathering",
        object_id=gathering.pk,
        unit_code=gathering.unit_code,
    )
    return render(request, "community/gathering_detail.html", _detail_context(request, gathering))


@login_required
@require(RECORD)
@never_cache
def gathering_edit(request: AuthedRequest, gathering_id: int) -> HttpResponse:
    """Record the action and the outcome, or correct the record (optimistic concurrency)."""
    user = request.user
    gathering = selectors.gathering_get(user=user, gathering_id=gathering_id, capability=RECORD)
    units = list(selectors.entry_units(user=user))
    form = GatheringForm(posted(request), units=units, gathering=gathering)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.gathering_update(
                actor=user,
                gathering=gathering,
                version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            )
        except StaleVersion as e:
            stale = True
            form = GatheringForm(units=units, gathering=e.current)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("community:gathering_detail", gathering_id=gathering.pk)
    return render(
        request,
        "community/gathering_form.html",
        {"form": form, "gathering": gathering, "stale": stale},
        status=409 if stale else 200,
    )


def _attendee_search(request: AuthedRequest, gathering: Gathering) -> HttpResponse:
    user = request.user
    search = AttendeeSearchForm(request.POST)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    kind, found = people_selectors.person_search(user=user, q=q)
    results = list(found[:SEARCH_LIMIT])
    if kind != QueryKind.EMPTY:
        people_services.person_list_log(
            actor=user, action=Action.SEARCH, count=len(results), kind=kind
        )
    registered = set(gathering.attendees.values_list("pk", flat=True))
    context = {"gathering": gathering, "results": results, "registered": registered}
    if is_htmx(request):
        return render(request, "community/_attendee_results.html", context)
    return render(
        request,
        "community/gathering_detail.html",
        _detail_context(request, gathering, **context),
    )


@login_required
@require(RECORD)
@never_cache
@require_POST
def gathering_attendees(request: AuthedRequest, gathering_id: int) -> HttpResponse:
    """Search the registry (htmx) or add / remove one attendee of a held gathering."""
    user = request.user
    gathering = selectors.gathering_get(user=user, gathering_id=gathering_id, capability=RECORD)
    if "q" in request.POST:
        return _attendee_search(request, gathering)
    change = AttendeeChangeForm(request.POST)
    if change.is_valid():
        person_id = change.cleaned_data["person_id"]
        current = list(gathering.attendees.all())
        if change.cleaned_data["op"] == "add":
            found = selectors.persons_for_attendance(user=user, person_ids=[person_id])
            persons = current + found if found else None
        else:
            persons = [p for p in current if p.pk != person_id]
        try:
            if persons is None:
                raise ValidationError({"attendees": services.gatherings.ATTENDEE_NOT_IN_SCOPE})
            services.gathering_attendees_set(actor=user, gathering=gathering, persons=persons)
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
    return redirect(f"{gathering_url(gathering)}#attendees")


def gathering_url(gathering: Gathering) -> str:
    return reverse("community:gathering_detail", kwargs={"gathering_id": gathering.pk})


@login_required
@require(VIEW)
@never_cache
def gathering_export(request: AuthedRequest) -> HttpResponse:
    """Excel of the gatherings in scope (names masked), after the user states a reason."""
    user = request.user
    units = list(selectors.filter_units(user=user, capability=VIEW))
    form = ExportForm(posted(request), units=units, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit_code = data.get("unit") or None
        rows = selectors.gathering_export_rows(
            user=user,
            unit_code=unit_code,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        content, count = gatherings_workbook(rows)
        access_log_write(
            user=user,
            action=Action.EXPORT,
            object_type="gathering",
            unit_code=unit_code or "",
            reason=data["reason"],
            detail={"count": count, "masked": True},
        )
        return xlsx_response(content, "酒宴登记")
    return render(
        request,
        "community/export_form.html",
        {"form": form, "title": _("导出酒宴登记"), "back": reverse("community:gathering_list")},
    )
