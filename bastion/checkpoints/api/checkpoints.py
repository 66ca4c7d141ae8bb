"""Checkpoints API (卡点): master data, destinations and origins for the registration form."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.checkpoints import selectors, services
from bastion.checkpoints.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    CheckpointConflictOut,
    CheckpointIn,
    CheckpointOut,
    CheckpointPatch,
    OriginOut,
    UnitRef,
    minimums_dict,
)
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.schemas import ErrorOut
from bastion.orgs.models import OrgUnit
from bastion.orgs.selectors import unit_get

router = Router(tags=["checkpoints"])

UNIT_NOT_IN_SCOPE = "单元不存在或不在您的辖区内。"


class SearchQuery(Schema):
    q: str = Field("", max_length=40)


def _managed_unit(request: HttpRequest, code: str, field: str) -> OrgUnit:
    """A unit the caller manages checkpoints in; the same 422 whether missing or out of scope."""
    try:
        unit = unit_get(user=request.user, code=code)
    except Http404:
        unit = None
    if unit is None or not code_in_scope(request.user, unit.code, Capability.MANAGE_CHECKPOINTS):
        raise ValidationError({field: UNIT_NOT_IN_SCOPE})
    return unit


def _seen_unit(request: HttpRequest, code: str | None, field: str) -> OrgUnit | None:
    if not code:
        return None
    try:
        return unit_get(user=request.user, code=code)
    except Http404:
        raise ValidationError({field: UNIT_NOT_IN_SCOPE}) from None


@router.get("/checkpoints", response={200: list[CheckpointOut], **ERRORS})
def checkpoint_list(request: HttpRequest) -> Any:
    return [CheckpointOut.of(c) for c in selectors.checkpoint_list(user=request.user)]


@router.post(
    "/checkpoints",
    response={201: CheckpointOut, **WRITE_ERRORS},
    summary="Set up a checkpoint under a territorial unit (accepts Idempotency-Key)",
)
def checkpoint_create(request: HttpRequest, payload: CheckpointIn) -> Any:
    parent = _managed_unit(request, payload.parent, "parent")
    responsible = _seen_unit(request, payload.responsible_unit, "responsible_unit")

    def work() -> tuple[int, Any]:
        checkpoint = services.checkpoint_create(
            actor=request.user,
            parent=parent,
            name=payload.name,
            kind=payload.kind,
            place=payload.place,
            responsible_unit=responsible,
            person_in_charge=payload.person_in_charge,
            phone=payload.phone,
            opens_on=payload.opens_on,
            closes_on=payload.closes_on,
            serving_kinds=list(payload.serving_kinds),
            slots=[s.model_dump() for s in payload.slots] if payload.slots else None,
            minimum_total=payload.minimum_total,
            minimum_by_kind=minimums_dict(payload.minimum_by_kind),
            max_hours_in_24=payload.max_hours_in_24,
        )
        return 201, CheckpointOut.of(checkpoint)

    return Status(*idempotent(request, work))


@router.get("/checkpoints/{code}", response={200: CheckpointOut, **ERRORS})
def checkpoint_get(request: HttpRequest, code: str) -> Any:
    return CheckpointOut.of(selectors.checkpoint_get(user=request.user, code=code))


@router.patch(
    "/checkpoints/{code}",
    response={200: CheckpointOut, 409: CheckpointConflictOut, **WRITE_ERRORS},
    summary="Change a checkpoint; `version` must be the version read (409 if stale)",
)
def checkpoint_update(request: HttpRequest, code: str, payload: CheckpointPatch) -> Any:
    checkpoint = selectors.checkpoint_get(
        user=request.user, code=code, capability=Capability.MANAGE_CHECKPOINTS
    )
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "responsible_unit" in changes:
        changes["responsible_unit"] = _seen_unit(
            request, changes["responsible_unit"], "responsible_unit"
        )
    if "minimum_by_kind" in changes:
        changes["minimum_by_kind"] = minimums_dict(payload.minimum_by_kind) or {}
    if "slots" in changes and payload.slots is not None:
        changes["slots"] = [s.model_dump() for s in payload.slots]
    # Explicit nulls mean "no change" for fields that cannot be empty.
    for key in ("kind", "slots", "minimum_total", "max_hours_in_24", "serving_kinds"):
        if key in changes and changes[key] is None:
            del changes[key]
    for key in ("place", "person_in_charge", "phone"):
        if key in changes and changes[key] is None:
            changes[key] = ""
    try:
        checkpoint = services.checkpoint_update(
            actor=request.user, checkpoint=checkpoint, version=payload.version, **changes
        )
    except StaleVersion as e:
        current = selectors.checkpoint_get(user=request.user, code=code)
        return Status(409, CheckpointConflictOut(detail=str(e), current=CheckpointOut.of(current)))
    return CheckpointOut.of(selectors.checkpoint_get(user=request.user, code=checkpoint.unit_code))


@router.get(
    "/checkpoints/{code}/destinations",
    response={200: list[UnitRef], **ERRORS},
    summary="Destinations in the checkpoint's city by name, pinyin initials or code",
)
def destination_search(request: HttpRequest, code: str, query: Query[SearchQuery]) -> Any:
    checkpoint = selectors.checkpoint_get(user=request.user, code=code)
    return [UnitRef.of(u) for u in selectors.destination_search(checkpoint=checkpoint, q=query.q)]


@router.get(
    "/origins",
    response={200: list[OriginOut], 401: ErrorOut, 422: ErrorOut},
    summary="Origins by name or pinyin initials, high-risk areas flagged",
)
def origin_search(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    found = selectors.origin_suggestions(q=query.q, on=timezone.localdate())
    return [OriginOut(name=o.name, is_high_risk=o.is_high_risk) for o in found]
