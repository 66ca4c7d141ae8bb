"""Returnee pages (返乡人员): travel records, confirming a self-registration, the high-risk
area list, the village QR poster, and the public self-registration page itself."""

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import has_capability, scoped
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.forms import add_service_errors
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.screening import selectors, services
from bastion.screening.forms.travel import (
    RiskAreaForm,
    SelfRegistrationForm,
    TravelEditForm,
    TravelForm,
    journey_of,
)
from bastion.screening.views.common import PAGE_SIZE, deny_unless


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
def travel_list(request: HttpRequest) -> HttpResponse:
    """Returnees (返乡人员): the latest arrivals first; high-risk origins can be singled out."""
    user = request.user
    unit_code = request.GET.get("unit", "")[:40] or None
    high_risk = True if request.GET.get("risk") == "1" else None
    records = selectors.travel_list(user=user, unit_code=unit_code, high_risk=high_risk)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_write(
        user=user,
        action=Action.LIST,
        object_type="travel_record",
        unit_code=unit_code or "",
        detail={"count": page.paginator.count, "high_risk": bool(high_risk)},
    )
    return render(
        request,
        "screening/travel_list.html",
        {
            "page": page,
            "unit_code": unit_code or "",
            "high_risk": high_risk,
            "can_record": has_capability(user, Capability.RECORD_SCREENING),
        },
    )


def _register(request: HttpRequest, form: TravelForm, signal: Any = None) -> Any:
    try:
        return services.returnee_register(
            actor=request.user,
            unit=form.units.get(form.cleaned_data["unit"]),
            address=form.cleaned_data["address"],
            arrival=form.arrival(),
            signal=signal,
        )
    except ValidationError as e:
        add_service_errors(form, e)
        return None


@login_required
@require(Capability.RECORD_SCREENING)
@never_cache
def travel_create(request: HttpRequest) -> HttpResponse:
    """Register a returnee by hand (登记返乡人员)."""
    units = _units(request.user, Capability.RECORD_SCREENING, (Level.VILLAGE, Level.GRID))
    form = TravelForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        record = _register(request, form)
        if record is not None:
            messages.success(request, _("已登记：%(name)s。") % {"name": record.person.name})
            return redirect("screening:travel")
    return render(request, "screening/travel_form.html", {"form": form, "signal": None})


@login_required
@require(Capability.RECORD_SCREENING)
@never_cache
def travel_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    """Correct a journey (修改行程): a stale copy is refused, with the current values shown."""
    user = request.user
    record = selectors.travel_get(
        user=user, record_id=record_id, capability=Capability.RECORD_SCREENING
    )
    form = TravelEditForm(request.POST or None, initial=TravelEditForm.initial_of(record))
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.travel_record_update(
                actor=user,
                record=record,
                version=form.cleaned_data["version"],
                journey=journey_of(form.cleaned_data),
            )
        except StaleVersion:
            record = selectors.travel_get(
                user=user, record_id=record_id, capability=Capability.RECORD_SCREENING
            )
            form = TravelEditForm(initial=TravelEditForm.initial_of(record))
            stale = True

        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已修改：%(name)s 的行程。") % {"name": record.person.name})
            return redirect("screening:travel")
    return render(
        request, "screening/travel_edit.html", {"form": form, "record": record, "stale": stale}
    )


@login_required
@require(Capability.RECORD_SCREENING)
@never_cache
def signal_confirm(request: HttpRequest, signal_id: int) -> HttpResponse:
    """Confirm a self-registration (核实自主登记): the worker checks what the person typed,
    corrects it, and only then it enters the registry."""
    user = request.user
    signal = selectors.signal_get(user=user, signal_id=signal_id)
    deny_unless(user, Capability.RECORD_SCREENING, signal.unit_code)
    if not signal.is_open or signal.person_id is not None:
        messages.info(request, _("该线索已有登记人员，无需再核实登记。"))
        return redirect("screening:signal", signal_id=signal.pk)
    units = [
        u
        for u in _units(user, Capability.RECORD_SCREENING, (Level.VILLAGE, Level.GRID))
        if u.code.startswith(signal.unit_code)
    ]
    initial = {
        "unit": signal.unit_code,
        "address": signal.subject_address,
        "name": signal.subject_name,
        "mobile": signal.subject_mobile,
        "id_number": signal.subject_id_number,
        **services.details_journey(signal.details),
    }
    form = TravelForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = _register(request, form, signal=signal)
        if record is not None:
            messages.success(
                request,
                _("已核实并登记：%(name)s，线索进入核实中。") % {"name": record.person.name},
            )
            return redirect("screening:signal", signal_id=signal.pk)
    return render(request, "screening/travel_form.html", {"form": form, "signal": signal})


@login_required
@require(Capability.VIEW_SCREENING)
@never_cache
def risk_areas(request: HttpRequest) -> HttpResponse:
    """The high-risk area list (高风险地区); the city and county commands keep it."""
    user = request.user
    can_manage = has_capability(user, Capability.MANAGE_RISK_AREAS)
    form = RiskAreaForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404("未找到")
        if form.is_valid():
            try:
                area = services.high_risk_area_create(actor=user, **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("已加入高风险地区：%(name)s。") % {"name": area.name})
                return redirect("screening:risk_areas")
    return render(
        request,
        "screening/risk_areas.html",
        {
            "areas": selectors.risk_area_list(),
            "form": form,
            "can_manage": can_manage,
            "today": timezone.localdate(),
        },
    )


@login_required
@require(Capability.MANAGE_RISK_AREAS)
@require_POST
def risk_area_end(request: HttpRequest, area_id: int) -> HttpResponse:
    area = selectors.risk_area_get(area_id=area_id)
    try:
        services.high_risk_area_end(actor=request.user, area=area, on=timezone.localdate())
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("已解除：%(name)s。") % {"name": area.name})
    return redirect("screening:risk_areas")


@login_required
@require(Capability.MANAGE_SCREENING)
@never_cache
def poster(request: HttpRequest, code: str = "") -> HttpResponse:
    """The village's QR poster (自主登记二维码): print it and post it at the entrance."""
    user = request.user
    villages = _units(user, Capability.MANAGE_SCREENING, (Level.VILLAGE,))
    if not code:
        if len(villages) == 1:
            return redirect("screening:poster", code=villages[0].code)
        return render(request, "screening/poster_pick.html", {"villages": villages})
    unit = next((v for v in villages if v.code == code), None)
    if unit is None:
        raise Http404("未找到")
    point = services.registration_point_ensure(actor=user, unit=unit)
    if request.method == "POST":
        point = services.registration_point_renew(actor=user, point=point)
        messages.success(request, _("已更换二维码，旧的二维码不再有效。"))
        return redirect("screening:poster", code=unit.code)
    url = request.build_absolute_uri(reverse("screening:register", args=[point.token]))
    # segno writes the SVG itself from the URL we built: nothing user-typed goes in raw.
    qr = mark_safe(segno.make(url, error="m").svg_inline(scale=8))  # noqa: S308
    return render(request, "screening/poster.html", {"unit": unit, "url": url, "qr": qr})


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")[:64]


@never_cache
def register(request: HttpRequest, token: str) -> HttpResponse:
    """The public self-registration page (自主登记), no login. What is sent becomes a signal
    for the village; a honeypot and a per-address hourly limit keep abuse out."""
    point = selectors.registration_point_by_token(token=token)
    if point is None:
        raise Http404("未找到")
    form = SelfRegistrationForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot:
            # Answer as if accepted: a bot learns nothing.
            return render(request, "screening/register_done.html", {"unit": point.unit})
        try:
            services.registration_rate_check(key=_client_address(request))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.self_registration_submit(
                        point=point,
                        name=data["name"],
                        mobile=data["mobile"],
                        id_number=data["id_number"],
                        address=data["address"],
                        journey=journey_of(data),
                        symptoms=data["symptoms"],
                    )
                except ValidationError as e:
                    add_service_errors(form, e)
                else:
                    return render(request, "screening/register_done.html", {"unit": point.unit})
    return render(request, "screening/register.html", {"unit": point.unit, "form": form})
