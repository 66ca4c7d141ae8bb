"""Acting on an observation: release, close, period, transfer and accept, workers, supplies
and care visits, and the personal self check-in link with its printable door notice."""

from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.roles import Capability, Role
from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors
from bastion.observation import services
from bastion.observation.forms import (
    CareForm,
    CareRecordForm,
    CloseForm,
    PeriodForm,
    SupplyForm,
    TransferForm,
    WorkersForm,
)
from bastion.observation.models import CareVisit, Observation
from bastion.observation.selectors import observations as obs_selectors

MANAGE = Capability.MANAGE_OBSERVATIONS
RECORD = Capability.RECORD_CHECKINS


def _get(request: HttpRequest, pk: int, capability: Capability) -> Observation:
    return obs_selectors.observation_get(
        user=request.user, observation_id=pk, capability=capability
    )


def _back(observation: Observation, anchor: str = "") -> HttpResponse:
    return redirect(reverse("observation:detail", args=[observation.pk]) + anchor)


def _form_error(form: forms.Form) -> str:
    return next((str(m) for errors in form.errors.values() for m in errors), _("操作未完成。"))


def _first_error(error: ValidationError) -> str:
    return str(error.messages[0]) if error.messages else _("操作未完成。")


def _action_form(
    request: HttpRequest,
    observation: Observation,
    form: forms.Form,
    *,
    title: str,
    done: str,
    act: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """The shape of every small action on an observation: a valid POST calls the service
    (`act` with the cleaned data), then back to the observation with `done`; a service error
    stays on the form beside its field."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, done)
            return _back(observation)
    return render(
        request,
        "observation/action_form.html",
        {"observation": observation, "form": form, "title": title},
    )


@login_required
@require(MANAGE)
@require_POST
def observation_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """期满解除, also on the last day without a visit."""
    observation = _get(request, pk, MANAGE)
    try:
        services.observation_complete(actor=request.user, observation=observation)
    except ValidationError as e:
        messages.error(request, _first_error(e))
    else:
        messages.success(request, _("已期满解除医学观察。"))
    return _back(observation)


@login_required
@require(MANAGE)
@never_cache
def observation_close(request: HttpRequest, pk: int) -> HttpResponse:
    """失访 or 死亡, with a note."""
    observation = _get(request, pk, MANAGE)
    return _action_form(
        request,
        observation,
        CloseForm(request.POST or None),
        title=_("结束观察（失访或死亡）"),
        done=_("已结束医学观察。"),
        act=lambda data: services.observation_transition(
            actor=request.user, observation=observation, to_status=data["status"], note=data["note"]
        ),
    )


@login_required
@require(MANAGE)
@never_cache
def observation_period(request: HttpRequest, pk: int) -> HttpResponse:
    """延长或缩短观察期 with a reason (logged)."""
    observation = _get(request, pk, MANAGE)
    return _action_form(
        request,
        observation,
        PeriodForm(request.POST or None, initial={"planned_end": observation.planned_end}),
        title=_("调整观察期"),
        done=_("观察期已调整。"),
        act=lambda data: services.observation_change_period(
            actor=request.user,
            observation=observation,
            planned_end=data["planned_end"],
            reason=data["reason"],
        ),
    )


@login_required
@require(MANAGE)
@never_cache
def observation_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """转出 to another village, anywhere in the city: that village owns it from then on."""
    observation = _get(request, pk, MANAGE)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = obs_selectors.transfer_target(form.cleaned_data["to_unit"])
        if target is None:
            form.add_error("to_unit", _("找不到这个村（社区），请填写 12 位代码或完整名称。"))
        else:
            try:
                services.observation_transfer(
                    actor=request.user,
                    observation=observation,
                    to_unit=target,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(
                    request, _("已转给%(unit)s，等待对方接收。") % {"unit": target.name}
                )
                return redirect("observation:list")
    return render(
        request,
        "observation/action_form.html",
        {"observation": observation, "form": form, "title": _("转出到其他辖区")},
    )


@login_required
@require(MANAGE)
@require_POST
def observation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    observation = _get(request, pk, MANAGE)
    try:
        services.observation_accept(actor=request.user, observation=observation)
    except ValidationError as e:
        messages.error(request, _first_error(e))
    else:
        messages.success(request, _("已接收，本辖区继续观察。"))
    return _back(observation)


@login_required
@require(MANAGE)
@never_cache
def observation_workers(request: HttpRequest, pk: int) -> HttpResponse:
    observation = _get(request, pk, MANAGE)
    workers = obs_selectors.responsible_candidates(
        unit_code=observation.unit_code, role=Role.VILLAGE_WORKER
    )
    doctors = obs_selectors.responsible_candidates(
        unit_code=observation.unit_code, role=Role.HEALTH_WORKER
    )
    form = WorkersForm(
        request.POST or None,
        initial={
            "grid_worker": observation.grid_worker_id,
            "health_worker": observation.health_worker_id,
        },
        grid_workers=workers,
        health_workers=doctors,
    )
    return _action_form(
        request,
        observation,
        form,
        title=_("更换责任人"),
        done=_("责任人已更新。"),
        act=lambda data: services.observation_assign_workers(
            actor=request.user,
            observation=observation,
            grid_worker=workers.filter(pk=data["grid_worker"]).first(),
            health_worker=doctors.filter(pk=data["health_worker"]).first(),
        ),
    )


@login_required
@require(RECORD)
@require_POST
def supply_create(request: HttpRequest, pk: int) -> HttpResponse:
    """送物资: masks, a thermometer, disinfectant, daily necessities."""
    observation = _get(request, pk, RECORD)
    form = SupplyForm(request.POST)
    if form.is_valid():
        try:
            services.supply_deliver(
                actor=request.user, observation=observation, **form.cleaned_data
            )
        except ValidationError as e:
            messages.error(request, _first_error(e))
        else:
            messages.success(request, _("已登记送达物资。"))
    else:
        messages.error(request, _form_error(form))
    return _back(observation, "#supplies")


@login_required
@require(RECORD)
@require_POST
def care_create(request: HttpRequest, pk: int) -> HttpResponse:
    """安排关爱上门 (上门产检, 送药…)."""
    observation = _get(request, pk, RECORD)
    form = CareForm(request.POST)
    if form.is_valid():
        try:
            services.care_visit_schedule(
                actor=request.user, observation=observation, **form.cleaned_data
            )
        except ValidationError as e:
            messages.error(request, _first_error(e))
        else:
            messages.success(request, _("已安排上门。"))
    else:
        messages.error(request, _form_error(form))
    return _back(observation, "#care")


@login_required
@require(RECORD)
@require_POST
def care_record(request: HttpRequest, pk: int, visit_id: int) -> HttpResponse:
    observation = _get(request, pk, RECORD)
    visit = CareVisit.objects.filter(observation=observation, pk=visit_id).first()
    form = CareRecordForm(request.POST)
    if visit is None or not form.is_valid():
        messages.error(request, _("未找到该上门安排。"))
        return _back(observation, "#care")
    try:
        services.care_visit_record(
            actor=request.user, visit=visit, outcome=form.cleaned_data["outcome"]
        )
    except ValidationError as e:
        messages.error(request, _first_error(e))
    else:
        messages.success(request, _("已记录上门。"))
    return _back(observation, "#care")


def self_checkin_url(request: HttpRequest, raw: str) -> str:
    """The short /c/<token> address when the site includes `public_urls`, else the one under
    /observation/."""
    try:
        path = reverse("selfcheck:page", args=[raw])
    except NoReverseMatch:
        path = reverse("observation:self_checkin", args=[raw])
    return request.build_absolute_uri(path)


@login_required
@require(RECORD)
@never_cache
@require_POST
def door_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """返乡人员医学观察点 标识牌: printed for the door with a fresh self check-in QR code.
    It shows the period and the grid worker's name and phone — no ID number, no health data,
    not even the person's name."""
    observation = _get(request, pk, RECORD)
    try:
        _token, raw = services.checkin_token_issue(actor=request.user, observation=observation)
    except ValidationError as e:
        messages.error(request, _first_error(e))
        return _back(observation)
    url = self_checkin_url(request, raw)
    qr = segno.make(url, error="m")
    size = "a4" if request.POST.get("size") == "a4" else "a5"
    return render(
        request,
        "observation/door_notice.html",
        {
            "observation": observation,
            "qr_svg": qr.svg_inline(scale=6, dark="#000", light="#fff", omitsize=True),
            "size": size,
            "worker": observation.grid_worker,
        },
    )


@login_required
@require(RECORD)
@never_cache
@require_POST
def personal_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The self check-in link to send to the person (shown once: only its hash is kept)."""
    observation = _get(request, pk, RECORD)
    try:
        _token, raw = services.checkin_token_issue(actor=request.user, observation=observation)
    except ValidationError as e:
        messages.error(request, _first_error(e))
        return _back(observation)
    url = self_checkin_url(request, raw)
    return render(
        request,
        "observation/personal_link.html",
        {
            "observation": observation,
            "url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=5, omitsize=True),
        },
    )


@login_required
@require(RECORD)
@require_POST
def links_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    observation = _get(request, pk, RECORD)
    count = services.checkin_tokens_revoke(actor=request.user, observation=observation)
    messages.success(request, _("已作废 %(n)s 个自报二维码或链接。") % {"n": count})
    return _back(observation)
