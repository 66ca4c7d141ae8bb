"""Observations and their check-ins, supplies and care visits."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from bastion.accounts.jurisdiction import get_by_pk_scoped_or_404, get_scoped_or_404
from bastion.accounts.models import User
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.core.errors import ValidationError
from bastion.core.idempotency import Record, idempotent, idempotent_in_work
from bastion.core.models import IdempotencyRecord
from bastion.core.schemas import page_bounds
from bastion.observation import services
from bastion.observation.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    CareVisitIn,
    CareVisitOut,
    CheckinIn,
    CheckinList,
    CheckinListItem,
    CheckinOut,
    CloseIn,
    CompleteIn,
    GridCellOut,
    GridDayOut,
    ObjectId,
    ObservationCreated,
    ObservationFilters,
    ObservationIn,
    ObservationOut,
    ObservationPage,
    PeriodIn,
    SupplyIn,
    SupplyOut,
    TransferIn,
)
from bastion.observation.models import CheckIn, Observation
from bastion.observation.selectors import alerts as alert_selectors
from bastion.observation.selectors import observations as obs_selectors
from bastion.observation.selectors.policy import policy_get
from bastion.observation.services.observations import PERSON_NOT_IN_SCOPE
from bastion.screening.models import Signal

router = Router()
CHANNEL = "api"


def _observation(request: HttpRequest, pk: int, capability: Capability) -> Observation:
    return obs_selectors.observation_get(
        user=request.user, observation_id=pk, capability=capability
    )


def _user(pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationError({field: "该账号不存在。"})
    return user


@router.post(
    "/observations",
    response={201: ObservationCreated, 200: ObservationCreated, **WRITE_ERRORS},
    summary="Start an observation (and the household's); 200 replays a client_uuid",
)
def observation_create(request: HttpRequest, payload: ObservationIn) -> Any:
    user = request.user
    try:
        person = alert_selectors.person_in_scope(
            user=user, person_id=payload.person_id, capability=Capability.MANAGE_OBSERVATIONS
        )
    except Http404:
        raise ValidationError({"person_id": PERSON_NOT_IN_SCOPE}) from None
    signal = None
    if payload.signal_id is not None:
        try:
            signal = get_scoped_or_404(
                user, Signal.objects.all(), Capability.MANAGE_OBSERVATIONS, pk=payload.signal_id
            )
        except Http404:
            raise ValidationError({"signal_id": "线索不存在或不在您的辖区内。"}) from None

    def work() -> tuple[int, Any]:
        started = services.observation_start(
            actor=user,
            person=person,
            kind=payload.kind,
            start_date=payload.start_date,
            place=payload.place,
            with_household=payload.with_household,
            grid_worker=_user(payload.grid_worker_id, "grid_worker_id"),
            health_worker=_user(payload.health_worker_id, "health_worker_id"),
            signal=signal,
            note=payload.note,
            client_uuid=payload.client_uuid,
        )
        first, *others = started.observations
        first = obs_selectors.observation_get(user=user, observation_id=first.pk)
        body = ObservationCreated(
            **ObservationOut.of(first).model_dump(),
            household_observation_ids=[o.pk for o in others],
            skipped_person_ids=[p.pk for p in started.skipped],
        )
        return (200 if started.replayed else 201), body

    try:
        return Status(*idempotent(request, work))
    except ValidationError as e:
        raise _for_clients(e) from None


def _for_clients(error: ValidationError) -> ValidationError:
    """Service errors name arguments; API clients send `…_id` fields."""
    if hasattr(error, "error_dict"):
        for name in ("person", "grid_worker", "health_worker", "signal"):
            if name in error.error_dict:
                error.error_dict[f"{name}_id"] = error.error_dict.pop(name)
    return error


@router.get(
    "/observations",
    response={200: ObservationPage, **ERRORS},
    summary="List observations (paged) by unit and status",
)
def observation_list(request: HttpRequest, filters: Query[ObservationFilters]) -> Any:
    observations = obs_selectors.observation_list(
        user=request.user, unit_code=filters.unit, status=filters.status
    )
    count = observations.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [ObservationOut.of(o) for o in observations[start:end]]
    services.observation_access_log(
        actor=request.user,
        action=Action.LIST,
        object_type="observation",
        unit_code=filters.unit or "",
        count=count,
        status=filters.status,
        channel=CHANNEL,
    )
    return ObservationPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.get("/observations/{observation_id}", response={200: ObservationOut, **ERRORS})
def observation_get(request: HttpRequest, observation_id: ObjectId) -> Any:
    observation = _observation(request, observation_id, Capability.VIEW_OBSERVATIONS)
    services.observation_access_log(
        actor=request.user,
        action=Action.VIEW,
        object_type="observation",
        object_id=observation.pk,
        unit_code=observation.unit_code,
        channel=CHANNEL,
    )
    return ObservationOut.of(observation)


@router.post(
    "/observations/{observation_id}/checkins",
    response={201: CheckinOut, 200: CheckinOut, **WRITE_ERRORS},
    summary="Record a check-in; 201 new, 200 with the same body for a replayed client_uuid",
)
def checkin_create(request: HttpRequest, observation_id: ObjectId, payload: CheckinIn) -> Any:
    # Only what a check-in reads (the hot path): the observation row; its policy version
    # from memory (versions are immutable). The person, unit and workers load lazily when
    # an alert is raised (one check-in in a few hundred).
    observation = get_by_pk_scoped_or_404(
        request.user, Observation, observation_id, Capability.RECORD_CHECKINS
    )
    observation.policy = policy_get(observation.policy_id)
    corrects = None
    if payload.corrects is not None:
        corrects = CheckIn.objects.filter(observation=observation, pk=payload.corrects).first()
        if corrects is None:
            raise ValidationError({"corrects": "被更正的记录不存在。"})

    def work(record: Record) -> tuple[int, Any, bool]:
        answers: list[IdempotencyRecord | None] = []

        def answer(checkin: CheckIn) -> IdempotencyRecord | None:
            # The idempotent answer is written with the check-in, in its transaction.
            answers.append(record.row(201, CheckinOut.of(checkin)))
            return answers[-1]

        checkin, created = services.checkin_record(
            observation=observation,
            client_uuid=payload.client_uuid,
            source=payload.source,
            temperature=payload.temperature,
            site=payload.site,
            symptoms=payload.symptoms,
            outcome=payload.outcome,
            note=payload.note,
            measured_at=payload.measured_at,
            corrects=corrects,
            actor=request.user,
            answer=answer,
        )
        stored = answers[-1] if created and answers else None
        # The stored answer is the answer (its id is the check-in's), built once.
        body = stored.body if stored is not None else CheckinOut.of(checkin)
        return (201 if created else 200), body, created

    return Status(*idempotent_in_work(request, work))


@router.get(
    "/observations/{observation_id}/checkins",
    response={200: CheckinList, **ERRORS},
    summary="The observation's check-ins in time order (corrected ones marked superseded)",
)
def checkin_list(request: HttpRequest, observation_id: ObjectId) -> Any:
    observation = _observation(request, observation_id, Capability.VIEW_OBSERVATIONS)
    checkins = list(obs_selectors.checkin_list(user=request.user, observation=observation))
    services.observation_access_log(
        actor=request.user,
        action=Action.LIST,
        object_type="checkin",
        object_id=observation.pk,
        unit_code=observation.unit_code,
        count=len(checkins),
        channel=CHANNEL,
    )
    items = [
        CheckinListItem(**CheckinOut.of(c).model_dump(), superseded=obs_selectors.is_superseded(c))
        for c in checkins
    ]
    return CheckinList(count=len(items), items=items)


@router.get(
    "/observations/{observation_id}/grid",
    response={200: list[GridDayOut], **ERRORS},
    summary="The day grid: each day × slot seen OK / seen not OK / missed / not yet due",
)
def observation_grid(request: HttpRequest, observation_id: ObjectId) -> Any:
    observation = _observation(request, observation_id, Capability.VIEW_OBSERVATIONS)
    checkins = list(obs_selectors.checkin_list(user=request.user, observation=observation))
    grid = obs_selectors.observation_grid(
        observation=observation, checkins=checkins, now=timezone.now()
    )
    return [
        GridDayOut(
            day=d.day,
            number=d.number,
            cells=[
                GridCellOut(
                    slot=c.slot.code,
                    state=c.state.value,
                    checkin_id=c.checkin.pk if c.checkin else None,
                )
                for c in d.cells
            ],
        )
        for d in grid
    ]


@router.post(
    "/observations/{observation_id}/complete",
    response={200: ObservationOut, **WRITE_ERRORS},
    summary="Release at the end of the period (also on the last day without a visit)",
)
def observation_complete(
    request: HttpRequest, observation_id: ObjectId, payload: CompleteIn
) -> Any:
    observation = _observation(request, observation_id, Capability.MANAGE_OBSERVATIONS)
    services.observation_complete(actor=request.user, observation=observation, note=payload.note)
    return ObservationOut.of(_observation(request, observation_id, Capability.VIEW_OBSERVATIONS))


@router.post(
    "/observations/{observation_id}/close",
    response={200: ObservationOut, **WRITE_ERRORS},
    summary="Close as lost to follow-up or died",
)
def observation_close(request: HttpRequest, observation_id: ObjectId, payload: CloseIn) -> Any:
    observation = _observation(request, observation_id, Capability.MANAGE_OBSERVATIONS)
    services.observation_transition(
        actor=request.user, observation=observation, to_status=payload.status, note=payload.note
    )
    return ObservationOut.of(_observation(request, observation_id, Capability.VIEW_OBSERVATIONS))


@router.post(
    "/observations/{observation_id}/period",
    response={200: ObservationOut, **WRITE_ERRORS},
    summary="Extend or shorten the period (a reason is required and logged)",
)
def observation_period(request: HttpRequest, observation_id: ObjectId, payload: PeriodIn) -> Any:
    observation = _observation(request, observation_id, Capability.MANAGE_OBSERVATIONS)
    services.observation_change_period(
        actor=request.user,
        observation=observation,
        planned_end=payload.planned_end,
        reason=payload.reason,
    )
    return ObservationOut.of(_observation(request, observation_id, Capability.VIEW_OBSERVATIONS))


@router.post(
    "/observations/{observation_id}/transfer",
    response={200: ObservationOut, **WRITE_ERRORS},
    summary="Hand the observation to another village, which then owns it",
)
def observation_transfer(
    request: HttpRequest, observation_id: ObjectId, payload: TransferIn
) -> Any:
    observation = _observation(request, observation_id, Capability.MANAGE_OBSERVATIONS)
    target = obs_selectors.transfer_target(payload.to_unit)
    if target is None:
        raise ValidationError({"to_unit": "找不到这个村（社区），请填写 12 位代码或完整名称。"})
    moved = services.observation_transfer(
        actor=request.user, observation=observation, to_unit=target, note=payload.note
    )
    return ObservationOut.of(moved)


@router.post(
    "/observations/{observation_id}/accept",
    response={200: ObservationOut, **WRITE_ERRORS},
    summary="Take over an observation handed to one's village",
)
def observation_accept(request: HttpRequest, observation_id: ObjectId) -> Any:
    observation = _observation(request, observation_id, Capability.MANAGE_OBSERVATIONS)
    services.observation_accept(actor=request.user, observation=observation)
    return ObservationOut.of(_observation(request, observation_id, Capability.VIEW_OBSERVATIONS))


@router.post(
    "/observations/{observation_id}/supplies",
    response={201: SupplyOut, 200: SupplyOut, **WRITE_ERRORS},
    summary="Record supplies delivered to the household (idempotent on client_uuid)",
)
def supply_create(request: HttpRequest, observation_id: ObjectId, payload: SupplyIn) -> Any:
    observation = _observation(request, observation_id, Capability.RECORD_CHECKINS)

    def work() -> tuple[int, Any]:
        delivery, created = services.supply_deliver(
            actor=request.user, observation=observation, **payload.model_dump()
        )
        body = SupplyOut(
            id=delivery.pk,
            item=delivery.item,
            quantity=delivery.quantity,
            delivered_on=delivery.delivered_on,
            note=delivery.note,
        )
        return (201 if created else 200), body

    return Status(*idempotent(request, work))


@router.post(
    "/observations/{observation_id}/care-visits",
    response={201: CareVisitOut, 200: CareVisitOut, **WRITE_ERRORS},
    summary="Schedule a care visit (home prenatal check, medicine…)",
)
def care_visit_create(request: HttpRequest, observation_id: ObjectId, payload: CareVisitIn) -> Any:
    observation = _observation(request, observation_id, Capability.RECORD_CHECKINS)

    def work() -> tuple[int, Any]:
        visit, created = services.care_visit_schedule(
            actor=request.user, observation=observation, **payload.model_dump()
        )
        body = CareVisitOut(
            id=visit.pk,
            kind=visit.kind,
            due_on=visit.due_on,
            status=visit.status,
            note=visit.note,
            outcome=visit.outcome,
        )
        return (201 if created else 200), body

    return Status(*idempotent(request, work))
