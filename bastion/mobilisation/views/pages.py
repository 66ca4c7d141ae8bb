"""Mobilisation pages (动员) under /mobilisation/: a unit's counts, its members, calls with
one-tap apply, a call's applicants to select, pledges, teams and the work log form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.mobilisation import selectors, services
from bastion.mobilisation.forms import (
    AssignmentForm,
    CallForm,
    MemberForm,
    PledgeForm,
    TeamForm,
    WorkLogForm,
    add_service_errors,
)
from bastion.mobilisation.models import Member
from bastion.orgs.selectors import home_unit

VIEW = Capability.VIEW_MOBILISATION
MANAGE = Capability.MANAGE_MOBILISATION
LAST_MEMBER = "mobilisation_member"
MAX_CHOICES = 500


def _log_list(request: HttpRequest, object_type: str, unit_code: str, count: int) -> None:
    access_log_write(
        user=request.user,
        action=Action.LIST,
        object_type=object_type,
        unit_code=unit_code,
        detail={"count": count},
    )


def _members(request: HttpRequest, code: str) -> list[Member]:
    unit = selectors.unit_get(user=request.user, code=code)
    return list(selectors.member_list(user=request.user, unit=unit)[:MAX_CHOICES])


@login_required
@require(VIEW)
def mobilisation_index(request: HttpRequest) -> HttpResponse:
    unit = home_unit(user=request.user, capability=VIEW)
    if unit is None:
        raise Http404("未找到")
    return redirect("mobilisation:unit_summary", code=unit.code)


@login_required
@require(VIEW)
@never_cache
def unit_summary(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    today = timezone.localdate()
    return render(
        request,
        "mobilisation/unit_summary.html",
        {
            "unit": unit,
            "today": today,
            "rows": selectors.unit_counts(user=user, unit=unit, on=today),
            "too_long": selectors.worked_too_long(user=user, unit=unit, on=today),
            "teams": selectors.team_list(user=user, unit=unit)[:20],
            "can_manage": code_in_scope(user, unit.code, MANAGE),
        },
    )


@login_required
@require(VIEW)
@never_cache
def member_list(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    members = list(selectors.member_list(user=user, unit=unit)[:MAX_CHOICES])
    _log_list(request, "member", unit.code, len(members))
    return render(
        request,
        "mobilisation/member_list.html",
        {"unit": unit, "members": members, "can_manage": code_in_scope(user, unit.code, MANAGE)},
    )


@login_required
@require(MANAGE)
@never_cache
def member_create(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code, capability=MANAGE)
    persons = selectors.person_choices(user=user, unit=unit)
    form = MemberForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_create(
                actor=user,
                unit=unit,
                person=selectors.person_for(user=user, person_id=data["person"]),
                is_party_member=data["is_party_member"],
                party_since_year=data["party_since_year"],
                skills=data["skills"],
                availability=data["availability"],
                posts=data["posts"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已添加队员。"))
            return redirect("mobilisation:member_list", code=unit.code)
    return render(
        request, "mobilisation/form.html", {"unit": unit, "form": form, "title": _("添加队员")}
    )


@login_required
@require(VIEW)
@never_cache
def call_list(request: HttpRequest, code: str) -> HttpResponse:
    """Calls of the unit; with a member chosen (remembered), each open call is one tap away."""
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    members = list(selectors.member_list(user=user, unit=unit)[:MAX_CHOICES])
    wanted = request.GET.get("member") or request.session.get(LAST_MEMBER)
    chosen = next((m for m in members if str(m.pk) == str(wanted)), None)
    if chosen is not None:
        request.session[LAST_MEMBER] = chosen.pk
    calls = list(selectors.call_list(user=user, unit=unit)[:100])
    applied: set[int] = set()
    if chosen is not None:
        applied = set(chosen.applications.values_list("call_id", flat=True))
    return render(
        request,
        "mobilisation/call_list.html",
        {
            "unit": unit,
            "calls": calls,
            "members": members,
            "chosen": chosen,
            "applied": applied,
            "can_manage": code_in_scope(user, unit.code, MANAGE),
        },
    )


@login_required
@require(MANAGE)
@never_cache
def call_create(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code, capability=MANAGE)
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=user, unit=unit, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已发布征集。"))
            return redirect("mobilisation:call_detail", call_id=call.pk)
    return render(
        request, "mobilisation/form.html", {"unit": unit, "form": form, "title": _("发布征集")}
    )


@login_required
@require(VIEW)
@require_POST
def call_apply(request: HttpRequest, call_id: int) -> HttpResponse:
    """One tap: the chosen member applies to the call."""
    user = request.user
    call = selectors.call_get(user=user, call_id=call_id)
    back = request.POST.get("back") or call.unit_code
    try:
        member_id = int(request.POST.get("member", ""))
    except ValueError:
        member_id = 0
    try:
        services.application_create(
            actor=user,
            member=selectors.member_for(user=user, member_id=member_id),
            call=call,
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("已报名“%(title)s”。") % {"title": call.title})
    if not code_in_scope(user, back[:40], VIEW):
        back = call.unit_code
    return redirect("mobilisation:call_list", code=back[:40])


@login_required
@require(VIEW)
@never_cache
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    user = request.user
    call = selectors.call_get(user=user, call_id=call_id)
    applications = list(selectors.applications_of(user=user, call=call))
    _log_list(request, "application", call.unit_code, len(applications))
    return render(
        request,
        "mobilisation/call_detail.html",
        {
            "call": call,
            "applications": applications,
            "n_selected": sum(1 for a in applications if a.status == "selected"),
            "can_manage": code_in_scope(user, call.unit_code, MANAGE),
        },
    )


@login_required
@require(MANAGE)
@require_POST
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get(
        user=user, application_id=application_id, capability=MANAGE
    )
    try:
        services.application_decide(
            actor=user, application=application, select=request.POST.get("select") == "1"
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    if application.call_id is not None:
        return redirect("mobilisation:call_detail", call_id=application.call_id)
    return redirect("mobilisation:team_detail", team_id=application.team_id)


@login_required
@require(VIEW)
@never_cache
def pledge_create(request: HttpRequest) -> HttpResponse:
    """请战书 for a call (?call=) or a team (?team=)."""
    user = request.user
    call = team = None
    try:
        if request.GET.get("call"):
            call = selectors.call_get(user=user, call_id=int(request.GET["call"]))
        elif request.GET.get("team"):
            team = selectors.team_get(user=user, team_id=int(request.GET["team"]))
    except ValueError:
        raise Http404("未找到") from None
    target = call or team
    if target is None:
        raise Http404("未找到")
    members = list(selectors.member_list(user=user, unit=target.unit)[:MAX_CHOICES])
    form = PledgeForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_create(
                actor=user,
                member=next((m for m in members if m.pk == data["member"]), None),
                call=call,
                team=team,
                is_pledge=True,
                statement=data["statement"],
                experience=data["experience"],
                applies_to_join_party=data["applies_to_join_party"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("请战书已提交。"))
            if call is not None:
                return redirect("mobilisation:call_detail", call_id=call.pk)
            return redirect("mobilisation:team_detail", team_id=target.pk)
    title = _("请战书：%(name)s") % {"name": call.title if call else team.name if team else ""}
    return render(
        request,
        "mobilisation/form.html",
        {"unit": target.unit, "form": form, "title": title},
    )


@login_required
@require(VIEW)
@never_cache
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    user = request.user
    team = selectors.team_get(user=user, team_id=team_id)
    members = list(selectors.team_members(team=team))
    pledges = list(selectors.applications_of(user=user, team=team))
    _log_list(request, "team_member", team.unit_code, len(members))
    return render(
        request,
        "mobilisation/team_detail.html",
        {
            "team": team,
            "members": members,
            "n_party": sum(1 for m in members if m.is_party_member),
            "pledges": pledges,
            "can_manage": code_in_scope(user, team.unit_code, MANAGE),
        },
    )


@login_required
@require(MANAGE)
@never_cache
def team_create(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code, capability=MANAGE)
    members = _members(request, unit.code)
    form = TeamForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {m.pk: m for m in members}
        chosen = [by_pk[pk] for pk in data["members"] if pk in by_pk]
        try:
            team = services.team_create(
                actor=user,
                unit=unit,
                name=data["name"],
                destination=data["destination"],
                members=chosen,
                leader=by_pk.get(data["leader"]) if data["leader"] else None,
                with_branch=bool(data["branch_name"].strip()),
                branch_name=data["branch_name"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已组建队伍。"))
            return redirect("mobilisation:team_detail", team_id=team.pk)
    return render(
        request, "mobilisation/form.html", {"unit": unit, "form": form, "title": _("组建队伍")}
    )


@login_required
@require(VIEW)
@never_cache
def work_log_create(request: HttpRequest, code: str) -> HttpResponse:
    """工作记录 on a phone: today's date and the last member are filled in."""
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    members = _members(request, unit.code)
    initial: dict[str, Any] = {
        "day": timezone.localdate(),
        "member": request.session.get(LAST_MEMBER),
    }
    form = WorkLogForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            log, created = services.work_log_record(
                actor=user,
                member=next((m for m in members if m.pk == data["member"]), None),
                day=data["day"],
                hours=data["hours"],
                cancelled_leave=data["cancelled_leave"],
                client_uuid=data["client_uuid"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            request.session[LAST_MEMBER] = log.member_id
            messages.success(
                request,
                _("已记录 %(hours)s 小时。") % {"hours": log.hours}
                if created
                else _("这条记录已经保存过，没有重复登记。"),
            )
            return redirect(reverse("mobilisation:work_log_create", args=[unit.code]))
    return render(
        request, "mobilisation/form.html", {"unit": unit, "form": form, "title": _("工作记录")}
    )


@login_required
@require(VIEW)
def assignment_list(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's duties (派遣) on a day, and for managers the form to send a member."""
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    can_manage = code_in_scope(user, unit.code, MANAGE)
    today = timezone.localdate()
    form = None
    if can_manage:
        members = _members(request, unit.code)
        form = AssignmentForm(
            request.POST or None, members=members, initial={"starts_on": today, "ends_on": today}
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.assignment_create(
                    actor=user,
                    member=next((m for m in members if m.pk == data["member"]), None),
                    duty=data["duty"],
                    place=data["place"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("已派遣。"))
                return redirect("mobilisation:assignment_list", code=unit.code)
    elif request.method == "POST":
        raise Http404("未找到")
    rows = list(selectors.assignment_list(user=user, unit=unit, on=today)[:200])
    _log_list(request, "assignment", unit.code, len(rows))
    return render(
        request,
        "mobilisation/assignments.html",
        {"unit": unit, "rows": rows, "form": form, "today": today, "section": "assignments"},
    )


@login_required
@require(MANAGE)
@require_POST
def call_close(request: HttpRequest, call_id: int) -> HttpResponse:
    """Close a call once enough people were selected: no more applications."""
    call = selectors.call_get(user=request.user, call_id=call_id, capability=MANAGE)
    services.call_close(actor=request.user, call=call)
    messages.success(request, _("征集已结束。"))
    return redirect("mobilisation:call_detail", call_id=call.pk)
