"""Duty roster pages (勤务): the week with its warnings, printable and exportable; one shift's
attendance, handover note and summary."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.checkpoints import selectors, services
from bastion.checkpoints.forms import AssignmentForm, HandoverForm
from bastion.checkpoints.models import Checkpoint, Shift
from bastion.checkpoints.spreadsheets import ROSTER_CONTENT_TYPE, roster_workbook
from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors


def _week(request: HttpRequest) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", "")[:10])
    except ValueError:
        day = timezone.localdate()
    if not 2000 <= day.year <= 2100:
        day = timezone.localdate()
    return selectors.week_start(day)


def _plan(request: HttpRequest, checkpoint: Checkpoint, start: date) -> selectors.WeekPlan:
    shifts = selectors.week_shifts(user=request.user, checkpoint=checkpoint, start=start)
    return selectors.week_plan(user=request.user, checkpoint=checkpoint, shifts=shifts)


def _can(request: HttpRequest, code: str, capability: Capability) -> bool:
    return code_in_scope(request.user, code, capability)


@login_required
@require(Capability.VIEW_CHECKPOINTS)
@never_cache
def roster_week(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the week's roster. POST: create the week's shifts from the checkpoint's slots."""
    checkpoint = selectors.checkpoint_get(user=request.user, code=code)
    start = _week(request)
    can_manage = _can(request, checkpoint.unit_code, Capability.MANAGE_CHECKPOINTS)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        services.shifts_ensure(checkpoint=checkpoint, start=start)
        messages.success(request, _("已生成本周班次。"))
        return redirect(f"{request.path}?week={start.isoformat()}")
    plan = _plan(request, checkpoint, start)
    return render(
        request,
        "checkpoints/roster.html",
        {
            "checkpoint": checkpoint,
            "plan": plan,
            "start": start,
            "end": start + timedelta(days=6),
            "previous": start - timedelta(days=7),
            "next": start + timedelta(days=7),
            "can_manage": can_manage,
            "printing": False,
        },
    )


@login_required
@require(Capability.VIEW_CHECKPOINTS)
def roster_print(request: HttpRequest, code: str) -> HttpResponse:
    checkpoint = selectors.checkpoint_get(user=request.user, code=code)
    start = _week(request)
    plan = _plan(request, checkpoint, start)
    return render(
        request,
        "checkpoints/roster.html",
        {
            "checkpoint": checkpoint,
            "plan": plan,
            "start": start,
            "end": start + timedelta(days=6),
            "printing": True,
        },
    )


@login_required
@require(Capability.VIEW_CHECKPOINTS)
def roster_export(request: HttpRequest, code: str) -> HttpResponse:
    """The week's roster as an Excel workbook (phones masked), logged."""
    checkpoint = selectors.checkpoint_get(user=request.user, code=code)
    start = _week(request)
    plan = _plan(request, checkpoint, start)
    content, rows = roster_workbook(plan)
    services.roster_export_log(
        actor=request.user, unit_code=checkpoint.unit_code, week=start.isoformat(), rows=rows
    )
    response = HttpResponse(content, content_type=ROSTER_CONTENT_TYPE)
    filename = f"roster-{checkpoint.unit_code}-{start.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _shift_page(
    request: HttpRequest,
    shift: Shift,
    assign: AssignmentForm | None = None,
    handover: HandoverForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    checkpoint = shift.checkpoint
    can_manage = _can(request, shift.unit_code, Capability.MANAGE_CHECKPOINTS)
    can_record = _can(request, shift.unit_code, Capability.RECORD_PASSAGES)
    candidates = selectors.duty_candidates(user=user, checkpoint=checkpoint) if can_manage else []
    members = selectors.member_candidates(user=user, checkpoint=checkpoint) if can_manage else []
    assign = assign or AssignmentForm(candidates=candidates, members=members)
    if not can_manage:
        # An officer on duty records walk-ins by name; accounts and members are the planner's.
        assign.fields.pop("user_id", None)
        assign.fields.pop("member_id", None)
    return render(
        request,
        "checkpoints/shift.html",
        {
            "shift": shift,
            "checkpoint": checkpoint,
            "summary": selectors.shift_summary(user=user, shift=shift),
            "previous": selectors.previous_shift(user=user, shift=shift),
            "assign": assign,
            "handover": handover or HandoverForm(initial={"note": shift.handover_note}),
            "can_manage": can_manage,
            "can_record": can_record,
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require(Capability.VIEW_CHECKPOINTS)
@never_cache
def shift_detail(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, shift_id=shift_id)
    return _shift_page(request, shift)


@login_required
@require(Capability.VIEW_CHECKPOINTS)
@require_POST
def assignment_add(request: HttpRequest, shift_id: int) -> HttpResponse:
    """A planner puts a person on the shift; an officer on duty adds a walk-in who came."""
    user = request.user
    shift = selectors.shift_get(user=user, shift_id=shift_id)
    walk_in = request.POST.get("walk_in") == "1"
    needed = Capability.RECORD_PASSAGES if walk_in else Capability.MANAGE_CHECKPOINTS
    if not _can(request, shift.unit_code, needed):
        raise PermissionDenied
    candidates = selectors.duty_candidates(user=user, checkpoint=shift.checkpoint)
    members = selectors.member_candidates(user=user, checkpoint=shift.checkpoint)
    form = AssignmentForm(request.POST, candidates=candidates, members=members)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        account = member = None
        if data["user_id"]:
            account = selectors.duty_candidate_get(
                user=user, checkpoint=shift.checkpoint, user_id=data["user_id"]
            )
        elif data.get("member_id"):
            member = selectors.member_candidate_get(
                user=user, checkpoint=shift.checkpoint, member_id=data["member_id"]
            )
        try:
            services.assignment_add(
                actor=user,
                shift=shift,
                staff_kind=data["staff_kind"],
                user=account,
                member=member,
                person_name=data["person_name"],
                phone=data["phone"],
                check_in_at=timezone.now() if walk_in else None,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return redirect("checkpoints:shift", shift_id=shift.pk)
    return _shift_page(request, shift, assign=form, status=422)


@login_required
@require(Capability.MANAGE_CHECKPOINTS)
@require_POST
def assignment_remove(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.assignment_get(
        user=request.user, assignment_id=assignment_id, capability=Capability.MANAGE_CHECKPOINTS
    )
    try:
        services.assignment_remove(actor=request.user, assignment=assignment)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("checkpoints:shift", shift_id=assignment.shift_id)


@login_required
@require(Capability.RECORD_PASSAGES)
@require_POST
def attendance(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Check a person in (到岗) or out (离岗)."""
    assignment = selectors.assignment_get(
        user=request.user, assignment_id=assignment_id, capability=Capability.RECORD_PASSAGES
    )
    record = (
        services.attendance_check_out
        if request.POST.get("action") == "out"
        else services.attendance_check_in
    )
    try:
        record(actor=request.user, assignment=assignment)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("checkpoints:shift", shift_id=assignment.shift_id)


@login_required
@require(Capability.RECORD_PASSAGES)
@require_POST
def handover(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = selectors.shift_get(
        user=request.user, shift_id=shift_id, capability=Capability.RECORD_PASSAGES
    )
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            services.shift_handover(actor=request.user, shift=shift, note=form.cleaned_data["note"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("交班记录已保存。"))
            return redirect("checkpoints:shift", shift_id=shift.pk)
    return _shift_page(request, shift, handover=form, status=422)
