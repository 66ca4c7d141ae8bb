"""Registration at the roadside over the API: one POST per vehicle with all its occupants.

`client_uuid` makes a resend safe: the first registration answers 201, a replay of the same
UUID answers 200 with the first registration. Lookups are POSTed so that ID numbers and
phones never appear in URLs or access logs.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.checkpoints import selectors, services
from bastion.checkpoints.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    LookupIn,
    LookupOut,
    ObjectId,
    PassageFilters,
    PassageIn,
    PassageOut,
    PassagePage,
)
from bastion.checkpoints.models import Checkpoint
from bastion.core.errors import ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.schemas import ErrorOut, page_bounds

router = Router(tags=["checkpoints"])

CHANNEL = "api"
CHECKPOINT_NOT_IN_SCOPE = "卡点不存在或不在您的辖区内。"
DESTINATION_UNKNOWN = "目的地不存在，或不是本市的行政区划单元。"
UUID_TAKEN = "该 client_uuid 已被另一条登记使用，请重新生成。"


def _checkpoint_for_write(request: HttpRequest, code: str) -> Checkpoint:
    try:
        return selectors.checkpoint_get(
            user=request.user, code=code, capability=Capability.RECORD_PASSAGES
        )
    except Http404:
        raise ValidationError({"checkpoint": CHECKPOINT_NOT_IN_SCOPE}) from None


@router.post(
    "/passages",
    response={201: PassageOut, 200: PassageOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Register a vehicle with all its occupants (one transaction; replay-safe)",
)
def passage_register(request: HttpRequest, payload: PassageIn) -> Any:
    user = request.user
    checkpoint = _checkpoint_for_write(request, payload.checkpoint)
    destination = None
    if payload.destination:
        destination = selectors.destination_get(checkpoint=checkpoint, code=payload.destination)
        if destination is None:
            raise ValidationError({"destination": DESTINATION_UNKNOWN})

    def work() -> tuple[int, Any]:
        passage, created = services.passage_register(
            actor=user,
            checkpoint=checkpoint,
            client_uuid=payload.client_uuid,
            plate=payload.plate,
            vehicle_kind=payload.vehicle_kind,
            origin=payload.origin,
            destination=destination,
            purpose=payload.purpose,
            disposition=payload.disposition or "",
            note=payload.note,
            occurred_at=payload.occurred_at,
            occupants=[services.OccupantIn(**o.model_dump()) for o in payload.occupants],
            channel=CHANNEL,
        )
        try:
            # A replay answers with the first registration, if the caller may see it.
            passage = selectors.passage_get(user=user, passage_id=passage.pk)
        except Http404:
            return 409, ErrorOut(detail=UUID_TAKEN)
        return (201 if created else 200), PassageOut.of(passage)

    return Status(*idempotent(request, work))


@router.post(
    "/passages/search",
    response={200: LookupOut, **WRITE_ERRORS},
    summary="Earlier passages of a plate, or of a person by ID number or phone",
)
def passage_search(request: HttpRequest, payload: LookupIn) -> Any:
    kind, value = selectors.lookup_value(
        plate=payload.plate, id_number=payload.id_number, phone=payload.phone
    )
    found = selectors.passage_search(user=request.user, kind=kind, value=value)
    services.passage_list_log(
        actor=request.user, action=Action.SEARCH, count=len(found), kind=kind, channel=CHANNEL
    )
    return LookupOut(kind=kind.value, count=len(found), items=[PassageOut.of(p) for p in found])


@router.get("/passages", response={200: PassagePage, **ERRORS}, summary="Passages of a checkpoint")
def passage_list(request: HttpRequest, filters: Query[PassageFilters]) -> Any:
    user = request.user
    checkpoint = selectors.checkpoint_get(user=user, code=filters.checkpoint)
    passages = selectors.checkpoint_passages(user=user, checkpoint=checkpoint)
    if filters.shift is not None:
        passages = passages.filter(shift_id=filters.shift)
    count = passages.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [PassageOut.of(p) for p in passages[start:end]]
    services.passage_list_log(
        actor=user,
        action=Action.LIST,
        count=count,
        unit_code=checkpoint.unit_code,
        page=filters.page,
        channel=CHANNEL,
    )
    return PassagePage(count=count, page=filters.page, page_size=filters.page_size, items=items)


@router.get("/passages/{passage_id}", response={200: PassageOut, **ERRORS})
def passage_get(request: HttpRequest, passage_id: ObjectId) -> Any:
    passage = selectors.passage_get(user=request.user, passage_id=passage_id)
    services.passage_view_log(
        actor=request.user, passage_id=passage.pk, unit_code=passage.unit_code, channel=CHANNEL
    )
    return PassageOut.of(passage)
