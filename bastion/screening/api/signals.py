"""Signals API (线索): list and inbox, one signal, act on it, file one, waits per unit."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Schema, Status

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.masking import mask_id_number, mask_mobile
from bastion.core.schemas import ErrorOut, Page, UnitCode, page_bounds
from bastion.screening import selectors, services
from bastion.screening.api import router
from bastion.screening.api.common import CHANNEL, ERRORS, TEXT, WRITE_ERRORS, ObjectId
from bastion.screening.models import Signal, SignalEvent

StatusCode = Literal["new", "verifying", "under_observation", "cleared", "forwarded", "not_found"]
StatusFilter = Literal[
    "open", "closed", "new", "verifying", "under_observation", "cleared", "forwarded", "not_found"
]
SourceCode = Literal[
    "sweep",
    "self_registration",
    "verification_list",
    "hotline",
    "checkpoint",
    "import",
    "staff",
    "other",
]


class SignalOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    source: SourceCode
    status: StatusCode
    reason: str
    subject_name: str
    subject_id_number_masked: str
    subject_mobile_masked: str
    subject_address: str
    person_id: int | None
    found_at: datetime
    waited_seconds: int | None = Field(description="open signals: seconds since found")
    handled_at: datetime | None
    handling_seconds: int | None = Field(description="found → handled, the first latency")
    forwarded_to: str | None
    forwarded_from_id: int | None
    version: int

    @staticmethod
    def of(signal: Signal, now: datetime) -> "SignalOut":
        person = signal.person
        return SignalOut(
            id=signal.pk,
            unit_code=signal.unit_code,
            unit_name=signal.unit.name,
            source=signal.source,  # type: ignore[arg-type]
            status=signal.status,  # type: ignore[arg-type]
            reason=signal.reason,
            subject_name=signal.subject_name,
            subject_id_number_masked=mask_id_number(
                signal.subject_id_number or (person.id_number if person else "")
            ),
            subject_mobile_masked=mask_mobile(
                signal.subject_mobile or (person.mobile if person else "")
            ),
            subject_address=signal.subject_address,
            person_id=signal.person_id,
            found_at=signal.found_at,
            waited_seconds=(
                max(0, int((now - signal.found_at).total_seconds())) if signal.is_open else None
            ),
            handled_at=signal.handled_at,
            handling_seconds=signal.handling_seconds,
            forwarded_to=signal.forwarded_to.code if signal.forwarded_to else None,
            forwarded_from_id=signal.forwarded_from_id,
            version=signal.version,
        )


class EventOut(Schema):
    status: StatusCode
    note: str
    actor: str | None
    at: datetime

    @staticmethod
    def of(event: SignalEvent) -> "EventOut":
        return EventOut(
            status=event.status,  # type: ignore[arg-type]
            note=event.note,
            actor=str(event.actor) if event.actor else None,
            at=event.at,
        )


class SignalDetailOut(SignalOut):
    events: list[EventOut]
    forwarded_ids: list[int]


class SignalPage(Page):
    items: list[SignalOut]


class SignalFilters(Schema):
    unit: UnitCode | None = None
    status: StatusFilter | None = Field(None, description="a status, or open / closed")
    source: SourceCode | None = Field(None, description="where the signals came from")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class ActionIn(Schema):
    to_status: Literal["verifying", "under_observation", "cleared", "forwarded", "not_found"]
    version: int = Field(ge=1, le=2**31 - 1, description="the version read (409 if stale)")
    note: str = Field("", max_length=300, pattern=TEXT)
    forwarded_to: UnitCode | None = Field(None, description="转至村（社区）或网格的代码")


class ConflictOut(ErrorOut):
    current: SignalOut


class SignalIn(Schema):
    unit: UnitCode
    reason: str = Field(min_length=1, max_length=300, pattern=TEXT)
    source: Literal["hotline", "staff", "other"] = "hotline"
    subject_name: str = Field("", max_length=40, pattern=TEXT)
    subject_id_number: str = Field("", max_length=40, pattern=TEXT)
    subject_mobile: str = Field("", max_length=30, pattern=TEXT)
    subject_address: str = Field("", max_length=200, pattern=TEXT)
    found_at: datetime | None = None
    client_uuid: UUID | None = None


class WaitsOut(Schema):
    unit_code: str
    unit_name: str
    open: int
    new: int
    longest_wait_seconds: int | None
    handled_last_7_days: int
    avg_handling_seconds: int | None
    max_handling_seconds: int | None


@router.get(
    "/signals",
    response={200: SignalPage, **ERRORS},
    summary="List signals (线索): open first, new before verifying, longest waiting first",
)
def signal_list(request: HttpRequest, filters: Query[SignalFilters]) -> Any:
    signals = selectors.signal_list(
        user=request.user, unit_code=filters.unit, status=filters.status, source=filters.source
    )
    count = signals.count()
    start, end = page_bounds(filters.page, filters.page_size)
    now = timezone.now()
    items = [SignalOut.of(s, now) for s in signals[start:end]]
    services.signal_list_log(
        actor=request.user,
        count=count,
        unit_code=filters.unit or "",
        status=filters.status,
        channel=CHANNEL,
    )
    return SignalPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.post(
    "/signals",
    response={200: SignalOut, 201: SignalOut, **WRITE_ERRORS},
    summary="File a signal typed in by staff (hotline); replays on client_uuid / Idempotency-Key",
)
def signal_create(request: HttpRequest, payload: SignalIn) -> Any:
    user = request.user

    def work() -> tuple[int, Any]:
        unit = selectors.signal_unit(user=user, code=payload.unit)
        if unit is None:
            raise ValidationError({"unit": "请选择您辖区内的村（社区）或网格。"})
        signal, created = services.signal_file(
            actor=user,
            unit=unit,
            reason=payload.reason,
            source=payload.source,
            subject_name=payload.subject_name,
            subject_id_number=payload.subject_id_number,
            subject_mobile=payload.subject_mobile,
            subject_address=payload.subject_address,
            found_at=payload.found_at,
            client_uuid=payload.client_uuid,
        )
        if not created:
            # A replayed client UUID: the first signal, if the caller may see it.
            signal = selectors.signal_get(user=user, signal_id=signal.pk)
        return (201 if created else 200), SignalOut.of(signal, timezone.now())

    return Status(*idempotent(request, work))


@router.get(
    "/signals/waits",
    response={200: list[WaitsOut], **ERRORS},
    summary="Waits per child unit (a township sees its villages)",
)
def signal_waits(request: HttpRequest, unit: UnitCode) -> Any:
    user = request.user
    scope = selectors.unit_in_scope(user=user, code=unit)
    now = timezone.now()
    rows = selectors.signal_waits(user=user, unit=scope, now=now)
    return [
        WaitsOut(
            unit_code=r.unit.code,
            unit_name=r.unit.name,
            open=r.open,
            new=r.new,
            longest_wait_seconds=(
                int(w.total_seconds()) if (w := r.longest_wait(now)) is not None else None
            ),
            handled_last_7_days=r.handled,
            avg_handling_seconds=r.avg_handling_seconds,
            max_handling_seconds=r.max_handling_seconds,
        )
        for r in rows
    ]


@router.get("/signals/{signal_id}", response={200: SignalDetailOut, **ERRORS})
def signal_get(request: HttpRequest, signal_id: ObjectId) -> Any:
    signal = selectors.signal_get(user=request.user, signal_id=signal_id)
    services.signal_view_log(actor=request.user, signal=signal, channel=CHANNEL)
    return SignalDetailOut(
        **SignalOut.of(signal, timezone.now()).model_dump(),
        events=[EventOut.of(e) for e in selectors.signal_events(signal=signal)],
        forwarded_ids=list(signal.forwards.values_list("pk", flat=True)),
    )


@router.post(
    "/signals/{signal_id}/actions",
    response={200: SignalOut, **WRITE_ERRORS, 409: ConflictOut},
    summary="Move a signal on: verifying, under_observation, cleared, forwarded, not_found",
)
def signal_act(request: HttpRequest, signal_id: ObjectId, payload: ActionIn) -> Any:
    user = request.user
    signal = selectors.signal_get(user=user, signal_id=signal_id)
    if not code_in_scope(user, signal.unit_code, Capability.HANDLE_SIGNALS):
        return Status(403, ErrorOut(detail="无权处置该线索。"))
    target = None
    if payload.forwarded_to:
        target = selectors.forward_targets(q=payload.forwarded_to).first()
        if target is None:
            raise ValidationError(
                {"forwarded_to": "没有找到该村（社区），请填写全称或 12 位代码。"}
            )
    try:
        moved = services.signal_transition(
            actor=user,
            signal=signal,
            to_status=payload.to_status,
            note=payload.note,
            forwarded_to=target,
            version=payload.version,
        )
    except StaleVersion as e:
        current = selectors.signal_get(user=user, signal_id=signal_id)
        return Status(
            409, ConflictOut(detail=str(e), current=SignalOut.of(current, timezone.now()))
        )
    return SignalOut.of(moved, timezone.now())
