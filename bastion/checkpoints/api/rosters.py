"""Duty rosters API (勤务): the week, assignments, attendance, handover notes, shift summaries."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.checkpoints import selectors, services
from bastion.checkpoints.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    ObjectId,
    StaffKindCode,
    Text,
    sane_day,
)
from bastion.checkpoints.models import DutyAssignment, Shift
from bastion.core.errors import ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.masking import mask_mobile
from bastion.core.schemas import MAX_ID, ErrorOut

router = Router(tags=["checkpoints"])


class AssignmentOut(Schema):
    id: int
    shift_id: int
    person_name: str
    phone_masked: str
    user_id: int | None
    staff_kind: StaffKindCode
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    clash: str = Field("", description="同一时段的另一处排班（双重排班）")

    @staticmethod
    def of(a: DutyAssignment, clash: str = "") -> "AssignmentOut":
        return AssignmentOut(
            id=a.pk,
            shift_id=a.shift_id,
            person_name=a.person_name,
            phone_masked=mask_mobile(a.phone),
            user_id=a.user_id,
            staff_kind=a.staff_kind,  # type: ignore[arg-type]
            checked_in_at=a.checked_in_at,
            checked_out_at=a.checked_out_at,
            clash=clash,
        )


class ShiftOut(Schema):
    id: int
    checkpoint: str
    day: date
    slot: str
    label: str
    starts_at: datetime
    ends_at: datetime
    minimum_total: int
    minimum_by_kind: dict[str, int]
    handover_note: str
    handover_at: datetime | None

    @staticmethod
    def of(s: Shift) -> "ShiftOut":
        return ShiftOut(
            id=s.pk,
            checkpoint=s.unit_code,
            day=s.day,
            slot=s.slot,
            label=s.label,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            minimum_total=s.minimum_total,
            minimum_by_kind=s.minimum_by_kind,
            handover_note=s.handover_note,
            handover_at=s.handover_at,
        )


class RosterShiftOut(ShiftOut):
    assignments: list[AssignmentOut]
    gaps: list[str]


class PersonLoadOut(Schema):
    name: str
    staff_kind: StaffKindCode
    shifts: int
    hours: float
    max_hours_in_24: float
    over_limit: bool


class WeekOut(Schema):
    checkpoint: str
    start: date
    shifts: list[RosterShiftOut]
    people: list[PersonLoadOut]
    warnings: list[str]


class WeekIn(Schema):
    start: date = Field(description="该周任意一天；从周一起生成 7 天")

    _day = field_validator("start")(sane_day)


class WeekQuery(Schema):
    week: date | None = Field(None, description="该周任意一天；省略为本周")

    _day = field_validator("week")(sane_day)


class AssignmentIn(Schema):
    staff_kind: StaffKindCode
    user_id: int | None = Field(None, ge=1, le=MAX_ID, description="账号；与姓名二选一")
    member_id: int | None = Field(None, ge=1, le=MAX_ID, description="动员队员（无账号时）")
    person_name: str = Field("", max_length=40, pattern=Text)
    phone: str = Field("", max_length=30, pattern=Text)
    check_in: bool = Field(False, description="未排班而到岗：同时签到（卡点执勤人员可用）")


class HandoverIn(Schema):
    note: str = Field(max_length=1000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")


class SummaryOut(Schema):
    shift: ShiftOut
    vehicles: int
    persons: int
    fevers: int
    hand_overs: int
    referred: int
    turned_back_vehicles: int
    high_risk_vehicles: int
    breaches: int
    empty_vehicle_ids: list[int]
    no_temperature: int
    planned: int
    came: int
    gaps: list[str]


USER_NOT_CANDIDATE = "该账号不在本卡点可排班的人员中。"
NOT_ALLOWED = "无权为该卡点排班。"


def _week_out(request: HttpRequest, code: str, shifts: list[Shift]) -> WeekOut:
    checkpoint = selectors.checkpoint_get(user=request.user, code=code)
    plan = selectors.week_plan(user=request.user, checkpoint=checkpoint, shifts=shifts)
    return WeekOut(
        checkpoint=checkpoint.unit_code,
        start=plan.start,
        shifts=[
            RosterShiftOut(
                **ShiftOut.of(cell.shift).model_dump(),
                assignments=[
                    AssignmentOut.of(a, cell.clashes.get(a.pk, "")) for a in cell.assignments
                ],
                gaps=cell.gaps,
            )
            for cell in plan.cells
        ],
        people=[
            PersonLoadOut(
                name=p.name,
                staff_kind=p.kind,  # type: ignore[arg-type]
                shifts=p.shifts,
                hours=p.hours,
                max_hours_in_24=p.max_in_24,
                over_limit=p.over_limit,
            )
            for p in plan.people
        ],
        warnings=plan.warnings,
    )


@router.get(
    "/checkpoints/{code}/roster",
    response={200: WeekOut, **ERRORS},
    summary="A week's shifts with assignments and warnings (below minimum, double booking, hours)",
)
def roster_week(request: HttpRequest, code: str, query: Query[WeekQuery]) -> Any:
    checkpoint = selectors.checkpoint_get(user=request.user, code=code)
    start = selectors.week_start(query.week or timezone.localdate())
    shifts = selectors.week_shifts(user=request.user, checkpoint=checkpoint, start=start)
    return _week_out(request, code, shifts)


@router.post(
    "/checkpoints/{code}/roster",
    response={200: WeekOut, **WRITE_ERRORS},
    summary="Create a week's shifts from the checkpoint's slots (existing ones are kept)",
)
def roster_plan_week(request: HttpRequest, code: str, payload: WeekIn) -> Any:
    checkpoint = selectors.checkpoint_get(
        user=request.user, code=code, capability=Capability.MANAGE_CHECKPOINTS
    )
    shifts = services.shifts_ensure(
        checkpoint=checkpoint, start=selectors.week_start(payload.start)
    )
    return _week_out(request, code, shifts)


@router.get("/shifts/{shift_id}", response={200: ShiftOut, **ERRORS})
def shift_get(request: HttpRequest, shift_id: ObjectId) -> Any:
    return ShiftOut.of(selectors.shift_get(user=request.user, shift_id=shift_id))


@router.get(
    "/shifts/{shift_id}/summary",
    response={200: SummaryOut, **ERRORS},
    summary="Vehicles, persons, fevers, hand-overs and invariant breaches of a shift",
)
def shift_summary(request: HttpRequest, shift_id: ObjectId) -> Any:
    shift = selectors.shift_get(user=request.user, shift_id=shift_id)
    s = selectors.shift_summary(user=request.user, shift=shift)
    return SummaryOut(
        shift=ShiftOut.of(shift),
        vehicles=s.vehicles,
        persons=s.persons,
        fevers=s.fevers,
        hand_overs=s.hand_overs,
        referred=s.referred,
        turned_back_vehicles=s.turned_back_vehicles,
        high_risk_vehicles=s.high_risk_vehicles,
        breaches=s.breaches,
        empty_vehicle_ids=[p.pk for p in s.empty_vehicles],
        no_temperature=len(s.no_temperature),
        planned=len(s.assignments),
        came=s.came,
        gaps=s.gaps,
    )


@router.post(
    "/shifts/{shift_id}/assignments",
    response={201: AssignmentOut, 403: ErrorOut, **WRITE_ERRORS},
    summary="Put a person on a shift; with check_in, a walk-in who came unplanned",
)
def assignment_add(request: HttpRequest, shift_id: ObjectId, payload: AssignmentIn) -> Any:
    user = request.user
    shift = selectors.shift_get(user=user, shift_id=shift_id)
    # Planning needs the manager's capability; recording a walk-in, the officer's on duty.
    needed = Capability.RECORD_PASSAGES if payload.check_in else Capability.MANAGE_CHECKPOINTS
    if not code_in_scope(user, shift.unit_code, needed):
        return Status(403, ErrorOut(detail=NOT_ALLOWED))
    account = None
    if payload.user_id is not None:
        account = selectors.duty_candidate_get(
            user=user, checkpoint=shift.checkpoint, user_id=payload.user_id
        )
        if account is None:
            raise ValidationError({"user_id": USER_NOT_CANDIDATE})
    member = None
    if payload.member_id is not None and account is None:
        member = selectors.member_candidate_get(
            user=user, checkpoint=shift.checkpoint, member_id=payload.member_id
        )
        if member is None:
            raise ValidationError({"member_id": "队员不存在，或不在本卡点周边单元的辖区内。"})

    def work() -> tuple[int, Any]:
        assignment = services.assignment_add(
            actor=user,
            shift=shift,
            staff_kind=payload.staff_kind,
            user=account,
            member=member,
            person_name=payload.person_name,
            phone=payload.phone,
            check_in_at=timezone.now() if payload.check_in else None,
        )
        return 201, AssignmentOut.of(assignment)

    return Status(*idempotent(request, work))


@router.delete(
    "/assignments/{assignment_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Take a person off a shift (not once they checked in)",
)
def assignment_remove(request: HttpRequest, assignment_id: ObjectId) -> Any:
    assignment = selectors.assignment_get(
        user=request.user, assignment_id=assignment_id, capability=Capability.MANAGE_CHECKPOINTS
    )
    services.assignment_remove(actor=request.user, assignment=assignment)
    return HttpResponse(status=204)


def _attendance(request: HttpRequest, assignment_id: int) -> Any:
    return selectors.assignment_get(
        user=request.user, assignment_id=assignment_id, capability=Capability.RECORD_PASSAGES
    )


@router.post(
    "/assignments/{assignment_id}/check-in",
    response={200: AssignmentOut, **WRITE_ERRORS},
    summary="Record that the person came (到岗); a second check-in keeps the first time",
)
def assignment_check_in(request: HttpRequest, assignment_id: ObjectId) -> Any:
    assignment = _attendance(request, assignment_id)
    return AssignmentOut.of(services.attendance_check_in(actor=request.user, assignment=assignment))


@router.post(
    "/assignments/{assignment_id}/check-out",
    response={200: AssignmentOut, **WRITE_ERRORS},
    summary="Record that the person left (离岗)",
)
def assignment_check_out(request: HttpRequest, assignment_id: ObjectId) -> Any:
    assignment = _attendance(request, assignment_id)
    return AssignmentOut.of(
        services.attendance_check_out(actor=request.user, assignment=assignment)
    )


@router.post(
    "/shifts/{shift_id}/handover",
    response={200: ShiftOut, **WRITE_ERRORS},
    summary="Write the handover note (交班记录) for the next shift",
)
def shift_handover(request: HttpRequest, shift_id: ObjectId, payload: HandoverIn) -> Any:
    shift = selectors.shift_get(
        user=request.user, shift_id=shift_id, capability=Capability.RECORD_PASSAGES
    )
    return ShiftOut.of(services.shift_handover(actor=request.user, shift=shift, note=payload.note))
