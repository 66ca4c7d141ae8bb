"""Sweep pages (入户排查): the list, start one, coverage per unit, the worker's list of what is
left, and the visit form on a phone."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import active_memberships, has_capability, scoped
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors
from bastion.core.masking import mask_id_number, mask_mobile
from bastion.observation.selectors import policy_for
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people import services as people
from bastion.screening import selectors, services
from bastion.screening.forms.sweeps import HouseholdForm, SweepForm, visit_forms
from bastion.screening.models import Sweep

LAST_JOURNEY = "screening_last_journey"
REMEMBERED = ("origin_province", "origin_city", "transport")


def _units(user: Any, capability: Capability, levels: tuple[str, ...]) -> list[OrgUnit]:
    return list(
        scoped(
            user,
            OrgUnit.objects.filter(is_active=True, kind=Kind.TERRITORIAL, level__in=levels),
            capability,
            field="code",
        ).order_by("code")
    )


@login_required
@require(Capability.VIEW_SCREENING)
@never_cache
def screening_home(request: HttpRequest) -> HttpResponse:
    """Today's work first: running sweeps with what is left, then the signal inbox."""
    user = request.user
    today = timezone.localdate()
    active = selectors.sweeps_active(user=user, on=today)
    return render(
        request,
        "screening/home.html",
        {
            "active": active,
            "open_signals": selectors.signal_inbox(user=user).count()
            if has_capability(user, Capability.VIEW_SIGNALS)
            else None,
            "can_record": has_capability(user, Capability.RECORD_SCREENING),
            "can_manage": has_capability(user, Capability.MANAGE_SCREENING),
        },
    )


@login_required
@require(Capability.VIEW_SCREENING)
@never_cache
def sweep_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "screening/sweep_list.html",
        {
            "sweeps": selectors.sweep_list(user=user)[:100],
            "today": timezone.localdate(),
            "can_manage": has_capability(user, Capability.MANAGE_SCREENING),
        },
    )


@login_required
@require(Capability.MANAGE_SCREENING)
@never_cache
def sweep_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = _units(user, Capability.MANAGE_SCREENING, (Level.TOWNSHIP, Level.VILLAGE))
    form = SweepForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sweep = services.sweep_start(
                actor=user,
                unit=form.units.get(data["unit"]),
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已开始：%(name)s。") % {"name": sweep.name})
            return redirect("screening:sweep", sweep_id=sweep.pk)
    return render(request, "screening/sweep_form.html", {"form": form})


@login_required
@require(Capability.VIEW_SCREENING)
@never_cache
def sweep_detail(request: HttpRequest, sweep_id: int) -> HttpResponse:
    """Coverage (覆盖率) of the sweep's unit, or of a unit inside it (?unit=), per child."""
    user = request.user
    sweep = selectors.sweep_get(user=user, sweep_id=sweep_id)
    code = request.GET.get("unit", "")[:40]
    unit = None
    if code:
        unit = selectors.unit_in_scope(user=user, code=code, capability=Capability.VIEW_SCREENING)
    if unit is None or not unit.code.startswith(sweep.scope_prefix):
        unit = _own_unit(user, sweep)
    total, rows = selectors.sweep_coverage(user=user, sweep=sweep, unit=unit)
    return render(
        request,
        "screening/sweep_detail.html",
        {
            "sweep": sweep,
            "unit": unit,
            "total": total,
            "rows": rows,
            "can_record": has_capability(user, Capability.RECORD_SCREENING),
        },
    )


def _own_unit(user: Any, sweep: Sweep) -> OrgUnit:
    """The unit a user looks at first: their own when it lies inside the sweep's unit (a
    village worker in a township sweep), else the sweep's."""
    for m in active_memberships(user):
        unit: OrgUnit = m.unit
        if unit.code.startswith(sweep.scope_prefix) and unit.code != sweep.unit_code:
            return unit
    return sweep.unit


@login_required
@require(Capability.RECORD_SCREENING)
@never_cache
def sweep_todo(request: HttpRequest, sweep_id: int) -> HttpResponse:
    """The worker's list (今日待走访): households left, never visited first."""
    user = request.user
    sweep = selectors.sweep_get(user=user, sweep_id=sweep_id)
    q = request.GET.get("q", "")[:50]
    todo = selectors.sweep_todo(user=user, sweep=sweep, q=q)
    return render(
        request,
        "screening/sweep_todo.html",
        {
            "sweep": sweep,
            "todo": todo,
            "q": q,
            "done_today": selectors.visits_today(user=user, sweep=sweep),
            "running": sweep.starts_on <= timezone.localdate() <= sweep.ends_on,
        },
    )


def _known(household: Any) -> list[dict[str, Any]]:
    """The household's known members as initial lines (ID number and phone masked)."""
    return [
        {
            "person_id": k.person.pk,
            "name": k.person.name,
            "relation": k.relation,
            "mobile_masked": mask_mobile(k.person.mobile),
            "id_number_masked": mask_id_number(k.person.id_number),
        }
        for k in selectors.household_known_members(household=household)
    ]


@login_required
@require(Capability.RECORD_SCREENING)
@never_cache
def visit_create(request: HttpRequest, sweep_id: int, household_id: int) -> HttpResponse:
    """Record a visit: the result first, then who lives there (pre-filled from the last
    visit), then every returnee met."""
    user = request.user
    sweep = selectors.sweep_get(user=user, sweep_id=sweep_id)
    household = selectors.sweep_household(user=user, sweep=sweep, household_id=household_id)
    last = request.session.get(LAST_JOURNEY, {})
    remembered = {k: last.get(k, "") for k in REMEMBERED}
    forms = visit_forms(request.POST or None, known=_known(household), remembered=remembered)
    if request.method == "POST" and forms.is_valid():
        data = forms.visit.cleaned_data
        arrivals = [a for _i, a in forms.arrival_lines]
        try:
            _visit, _created = services.visit_record(
                actor=user,
                sweep=sweep,
                household=household,
                result=data["result"],
                residents=data["residents"],
                note=data["note"],
                members=[m for _i, m in forms.member_lines],
                arrivals=arrivals,
                client_uuid=data["client_uuid"],
            )
        except ValidationError as e:
            forms.add_service_errors(e)
        else:
            if arrivals:
                journey = arrivals[-1].journey
                request.session[LAST_JOURNEY] = {k: getattr(journey, k) for k in REMEMBERED}
                messages.success(
                    request,
                    _("已登记走访：%(address)s；%(count)s 名返乡人员已生成线索。")
                    % {"address": household.address, "count": len(arrivals)},
                )
            else:
                messages.success(
                    request, _("已登记走访：%(address)s。") % {"address": household.address}
                )
            return redirect("screening:todo", sweep_id=sweep.pk)
    return render(
        request,
        "screening/visit_form.html",
        {
            "sweep": sweep,
            "household": household,
            "form": forms.visit,
            "members": forms.members,
            "returnees": forms.returnees,
            "window": policy_for(
                unit_code=household.unit_code, on=timezone.localdate()
            ).arrival_window_days,
            "has_returnees": request.method == "POST"
            and any(f.has_changed() for f in forms.returnees),
        },
    )


@login_required
@require(Capability.RECORD_SCREENING)
@never_cache
def household_add(request: HttpRequest, sweep_id: int) -> HttpResponse:
    """A door the registry did not know: register the household, then visit it."""
    user = request.user
    sweep = selectors.sweep_get(user=user, sweep_id=sweep_id)
    units = [
        u
        for u in _units(user, Capability.RECORD_SCREENING, (Level.VILLAGE, Level.GRID))
        if u.code.startswith(sweep.scope_prefix)
    ]
    form = HouseholdForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            household = people.household_create(
                actor=user,
                unit=form.units.get(form.cleaned_data["unit"]),
                address=form.cleaned_data["address"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return redirect("screening:visit", sweep_id=sweep.pk, household_id=household.pk)
    return render(request, "screening/household_form.html", {"sweep": sweep, "form": form})
