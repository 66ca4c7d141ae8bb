"""Alerts and cases: the inbox (预警), acknowledge and resolve, referral to a fever clinic,
the clinic's steps, and the close contacts of a confirmed case."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors
from bastion.observation import services
from bastion.observation.forms import CASE_STEP_FORMS, ReferForm, ResolveForm, fresh_uuid
from bastion.observation.models import AlertKind, AlertStatus, Case, CaseStatus
from bastion.observation.selectors import alerts as alert_selectors
from bastion.observation.selectors import observations as obs_selectors
from bastion.observation.services.cases import CASE_TRANSITIONS
from bastion.observation.views.observations import shows_names

PAGE_SIZE = 30


@login_required
@require(Capability.VIEW_OBSERVATIONS)
@never_cache
def alert_inbox(request: HttpRequest) -> HttpResponse:
    """预警: the worker's and the officer's inbox, unresolved first."""
    user = request.user
    unit_code = request.GET.get("unit", "")[:40] or None
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    unresolved = status == ""
    alerts = alert_selectors.alert_list(
        user=user,
        unit_code=unit_code,
        status=status if status in AlertStatus.values else None,
        kind=kind if kind in AlertKind.values else None,
        unresolved=unresolved,
    )
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    services.observation_access_log(
        actor=user,
        action=Action.LIST,
        object_type="alert",
        unit_code=unit_code or "",
        count=page.paginator.count,
        status=status,
        kind=kind,
    )
    query = urlencode(
        {k: v for k, v in (("unit", unit_code), ("status", status), ("kind", kind)) if v}
    )
    return render(
        request,
        "observation/alerts.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "statuses": AlertStatus.choices,
            "kinds": AlertKind.choices,
            "query": query,
            "unit_code": unit_code or "",
            "show_names": shows_names(user),
        },
    )


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require(Capability.RECORD_CHECKINS)
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    """确认: I have seen it and I act (the "reported" step of 五早)."""
    alert = alert_selectors.alert_get(
        user=request.user, alert_id=alert_id, capability=Capability.RECORD_CHECKINS
    )
    services.alert_acknowledge(actor=request.user, alert=alert)
    messages.success(request, _("已确认预警。"))
    return redirect(_next(request, reverse("observation:detail", args=[alert.observation_id])))


@login_required
@require(Capability.RECORD_CHECKINS)
@require_POST
def missed_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """确认全部漏报 of one person."""
    observation = obs_selectors.observation_get(
        user=request.user, observation_id=pk, capability=Capability.RECORD_CHECKINS
    )
    count = services.alerts_acknowledge_missed(actor=request.user, observation=observation)
    messages.success(request, _("已确认 %(n)s 条漏报预警。") % {"n": count})
    return redirect("observation:detail", pk=observation.pk)


@login_required
@require(Capability.RECORD_CHECKINS)
@never_cache
def alert_resolve(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = alert_selectors.alert_get(
        user=request.user, alert_id=alert_id, capability=Capability.RECORD_CHECKINS
    )
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_resolve(actor=request.user, alert=alert, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("预警已处置。"))
            return redirect("observation:detail", pk=alert.observation_id)
    return render(
        request,
        "observation/action_form.html",
        {"observation": alert.observation, "form": form, "title": _("处置预警"), "alert": alert},
    )


@login_required
@require(Capability.MANAGE_OBSERVATIONS)
@never_cache
def observation_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """转诊 to a fever clinic, from an alert (?alert=) or from the person's page."""
    user = request.user
    observation = obs_selectors.observation_get(
        user=user, observation_id=pk, capability=Capability.MANAGE_OBSERVATIONS
    )
    raw_alert = request.GET.get("alert", "") or request.POST.get("alert", "")
    alert = (
        alert_selectors.alert_get(user=user, alert_id=int(raw_alert))
        if raw_alert.isdigit()
        else None
    )
    form = ReferForm(request.POST or None, initial=fresh_uuid())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_refer(
                actor=user,
                observation=observation,
                alert=alert,
                referred_to=data["referred_to"],
                at=data["at"],
                note=data["note"],
                client_uuid=data["client_uuid"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已转诊：%(to)s。") % {"to": case.referred_to})
            return redirect("observation:case", case_id=case.pk)
    return render(
        request,
        "observation/action_form.html",
        {
            "observation": observation,
            "form": form,
            "title": _("转诊发热门诊"),
            "alert": alert,
            "hidden": {"alert": alert.pk} if alert else {},
        },
    )


def _step_forms(case: Case) -> list[tuple[str, str, Any]]:
    """The step forms that make sense in the case's status, in the pipeline's order."""
    nxt = CASE_TRANSITIONS[case.status]
    steps: list[tuple[str, str]] = []
    if case.is_open:
        steps.append(("test", _("采样检测")))
    if case.is_open and case.status != CaseStatus.EXCLUDED and case.isolated_at is None:
        steps.append(("isolate", _("隔离")))
    if nxt & {CaseStatus.SUSPECTED, CaseStatus.CONFIRMED, CaseStatus.EXCLUDED}:
        steps.append(("classify", _("诊断分类")))
    if CaseStatus.ADMITTED in nxt:
        steps.append(("admit", _("收治")))
    if nxt & {CaseStatus.RECOVERED, CaseStatus.DIED}:
        steps.append(("close", _("转归")))
    if CaseStatus.RETURNED in nxt:
        steps.append(("return", _("返回观察")))
    return [(name, label, CASE_STEP_FORMS[name](prefix=name)) for name, label in steps]


@login_required
@require(Capability.VIEW_OBSERVATIONS)
@never_cache
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = alert_selectors.case_get(user=user, case_id=case_id)
    can_record = code_in_scope(user, case.unit_code, Capability.RECORD_CASES)
    can_manage = code_in_scope(user, case.unit_code, Capability.MANAGE_OBSERVATIONS)
    contacts = (
        alert_selectors.close_contacts(user=user, case=case)
        if can_manage and case.confirmed_at is not None
        else []
    )
    services.observation_access_log(
        actor=user,
        action=Action.VIEW,
        object_type="case",
        object_id=case.pk,
        unit_code=case.unit_code,
    )
    return render(
        request,
        "observation/case.html",
        {
            "case": case,
            "events": list(alert_selectors.case_events(case=case)),
            "latencies": case.latencies(),
            "steps": _step_forms(case) if can_record else [],
            "contacts": contacts,
            "today": timezone.localdate(),
            "show_names": shows_names(user),
        },
    )


@login_required
@require(Capability.RECORD_CASES)
@require_POST
def case_step(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    """One clinic step: test, classify, isolate, admit, close (outcome) or return."""
    user = request.user
    case = alert_selectors.case_get(user=user, case_id=case_id, capability=Capability.RECORD_CASES)
    form_class = CASE_STEP_FORMS.get(step)
    if form_class is None:
        return redirect("observation:case", case_id=case.pk)
    form = form_class(request.POST, prefix=step)
    actions = {
        "test": services.case_record_test,
        "classify": services.case_classify,
        "isolate": services.case_isolate,
        "admit": services.case_admit,
        "close": services.case_close,
        "return": services.case_return,
    }
    if form.is_valid():
        try:
            actions[step](actor=user, case=case, **form.cleaned_data)  # type: ignore[operator]
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已记录。"))
            return redirect("observation:case", case_id=case.pk)
    messages.error(request, "；".join(str(m) for errs in form.errors.values() for m in errs))
    return redirect("observation:case", case_id=case.pk)


@login_required
@require(Capability.MANAGE_OBSERVATIONS)
@require_POST
def case_contacts(request: HttpRequest, case_id: int) -> HttpResponse:
    """一键纳入: start observations for the chosen close contacts of a confirmed case."""
    user = request.user
    case = alert_selectors.case_get(
        user=user, case_id=case_id, capability=Capability.MANAGE_OBSERVATIONS
    )
    chosen = {int(v) for v in request.POST.getlist("person") if v.isdigit()}
    persons = [
        p for p, _why in alert_selectors.close_contacts(user=user, case=case) if p.pk in chosen
    ]
    if not persons:
        messages.error(request, _("请至少选择一位密切接触者。"))
        return redirect("observation:case", case_id=case.pk)
    try:
        started = services.observations_start(
            actor=user,
            persons=persons,
            kind="home",
            start_date=timezone.localdate(),
            note=_("确诊病例密切接触者"),
        )
    except ValidationError as e:
        messages.error(request, str(e.messages[0]))
    else:
        messages.success(request, _("已纳入医学观察 %(n)s 人。") % {"n": len(started.observations)})
    return redirect("observation:case", case_id=case.pk)
