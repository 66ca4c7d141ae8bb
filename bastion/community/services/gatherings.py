"""Writes of gatherings (酒宴): record one, record what was done about it, register attendees.

DOMAIN.md: 喜事缓办、丧事简办、宴会不办. A banquet that goes ahead stays within the policy's
limit (50 people), needs a prevention plan and the approval of the local command, and its
attendees are registered by the village; a family gathering stays within 10. Both limits are
policy settings (`Policy.banquet_max_guests`, `Policy.family_gathering_max`).
"""

import uuid
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.community.models import (
    HELD_OUTCOMES,
    Gathering,
    GatheringAction,
    GatheringKind,
    GatheringOutcome,
)
from bastion.community.services.common import clean_text, now_or
from bastion.core.errors import StaleVersion, ValidationError
from bastion.observation.selectors import policy_for
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Person

RECORD = Capability.RECORD_GATHERINGS
ENTRY_LEVELS = (Level.VILLAGE, Level.GRID)
MAX_GUESTS = 5000
MAX_ATTENDEES = 500

UNIT_REQUIRED = "请选择村（社区）或网格。"
UNIT_WRONG_LEVEL = "酒宴只能登记到村（社区）或网格。"
UNIT_NOT_IN_SCOPE = "所属单元不存在或不在您的辖区内。"
HOST_REQUIRED = "请填写办宴人姓名。"
HOST_NOT_IN_SCOPE = "办宴人不在您辖区的人员库中。"
KIND_INVALID = "请选择宴席类别。"
DATE_REQUIRED = "请填写计划日期。"
DATE_OUT_OF_RANGE = "计划日期应在前后一年以内。"
GUESTS_OUT_OF_RANGE = f"人数须在 1 到 {MAX_GUESTS} 之间。"
ACTION_INVALID = "请选择劝导方式。"
ACTED_ON_IN_FUTURE = "劝导日期不能晚于今天。"
OUTCOME_INVALID = "请选择结果。"
PLAN_REQUIRED = "按防控方案举办的，须有防控方案。"
APPROVAL_REQUIRED = "按防控方案举办的，请填写审批的指挥部或单位。"
ACTUAL_REQUIRED = "缩小规模的，请填写实际人数。"
NOT_HELD_WITH_ATTENDEES = "已登记参加人员的宴席只能记为已举办；请先移除参加人员。"
ATTENDEES_NOT_HELD = "宴席未举办，不能登记参加人员。"
ATTENDEE_NOT_IN_SCOPE = "参加人员不存在或不在您的辖区内。"
TOO_MANY_ATTENDEES = f"一次最多登记 {MAX_ATTENDEES} 人。"
UUID_TAKEN = "该 client_uuid 已用于另一条记录。"


def limit_message(*, family_only: bool, limit: int, guests: int) -> str:
    what = "家庭聚会" if family_only else "宴席"
    return f"{what}人数不得超过 {limit} 人（本次 {guests} 人）。"


def guest_limit_for(*, unit_code: str, on: date, family_only: bool) -> int:
    """The limit of the policy in force for the unit's county on the gathering's date."""
    policy = policy_for(unit_code=unit_code, on=on)
    return policy.family_gathering_max if family_only else policy.banquet_max_guests


def _check_unit(actor: Any, unit: OrgUnit | None, errors: dict[str, str]) -> None:
    if unit is None:
        errors["unit"] = UNIT_REQUIRED
    elif unit.level not in ENTRY_LEVELS or unit.kind != Kind.TERRITORIAL:
        errors["unit"] = UNIT_WRONG_LEVEL
    elif not unit.is_active or not code_in_scope(actor, unit.code, RECORD):
        errors["unit"] = UNIT_NOT_IN_SCOPE


def _check_guests(value: Any, field: str, errors: dict[str, str]) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_GUESTS:
        errors[field] = GUESTS_OUT_OF_RANGE


def _validate(actor: Any, state: dict[str, Any], today: date) -> dict[str, Any]:
    """Check the whole final state of a gathering; return the cleaned values or raise one
    ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    unit: OrgUnit | None = state["unit"]
    _check_unit(actor, unit, errors)
    host: Person | None = state["host"]
    host_name = clean_text(
        state["host_name"] or (host.name if host else ""),
        field="host_name",
        max_length=40,
        errors=errors,
        required=HOST_REQUIRED,
    )
    if host is not None and (
        host.merged_into_id is not None
        or not code_in_scope(actor, host.unit_code, Capability.VIEW_PERSONS)
    ):
        errors["host"] = HOST_NOT_IN_SCOPE
    if state["kind"] not in GatheringKind.values:
        errors["kind"] = KIND_INVALID
    planned: date | None = state["planned_date"]
    if planned is None:
        errors["planned_date"] = DATE_REQUIRED
    elif abs((planned - today).days) > 366:
        errors["planned_date"] = DATE_OUT_OF_RANGE
    _check_guests(state["expected_guests"], "expected_guests", errors)
    place = clean_text(state["place"], field="place", max_length=200, errors=errors)
    note = clean_text(state["note"], field="note", max_length=200, errors=errors)
    persuaded_by = clean_text(
        state["persuaded_by"], field="persuaded_by", max_length=40, errors=errors
    )
    approved_by = clean_text(
        state["approved_by"], field="approved_by", max_length=60, errors=errors
    )
    action = state["action"] or ""
    if action and action not in GatheringAction.values:
        errors["action"] = ACTION_INVALID
    acted_on: date | None = state["acted_on"]
    if acted_on is not None and acted_on > today:
        errors["acted_on"] = ACTED_ON_IN_FUTURE
    if action and acted_on is None:
        acted_on = today
    outcome = state["outcome"] or ""
    if outcome and outcome not in GatheringOutcome.values:
        errors["outcome"] = OUTCOME_INVALID
    # The actual number only means something for a gathering that took place.
    actual = state["actual_guests"] if outcome in HELD_OUTCOMES else None
    if actual is not None:
        _check_guests(actual, "actual_guests", errors)
    elif outcome == GatheringOutcome.DOWNSIZED:
        errors["actual_guests"] = ACTUAL_REQUIRED
    has_plan = bool(state["has_prevention_plan"])
    if outcome == GatheringOutcome.HELD_WITH_PLAN:
        if not has_plan:
            errors["has_prevention_plan"] = PLAN_REQUIRED
        if not approved_by:
            errors.setdefault("approved_by", APPROVAL_REQUIRED)
    if errors or unit is None or planned is None:
        raise ValidationError(errors or {"unit": UNIT_REQUIRED})
    family_only = bool(state["family_only"])
    limit = guest_limit_for(unit_code=unit.code, on=planned, family_only=family_only)
    expected = state["expected_guests"]
    if outcome == GatheringOutcome.DOWNSIZED and actual is not None and actual >= expected:
        errors["actual_guests"] = f"缩小规模后的人数应少于原计划的 {expected} 人。"
    # A gathering that goes ahead with the village's consent must respect the limit; one held
    # against advice is recorded as it was (and shown as over the limit).
    if outcome in (GatheringOutcome.DOWNSIZED, GatheringOutcome.HELD_WITH_PLAN):
        guests = actual if actual is not None else expected
        if guests > limit:
            field = "actual_guests" if actual is not None else "expected_guests"
            errors.setdefault(
                field, limit_message(family_only=family_only, limit=limit, guests=guests)
            )
    if errors:
        raise ValidationError(errors)
    return {
        "unit": unit,
        "unit_code": unit.code,
        "host": host,
        "host_name": host_name,
        "kind": state["kind"],
        "planned_date": planned,
        "expected_guests": expected,
        "family_only": family_only,
        "place": place,
        "note": note,
        "action": action,
        "acted_on": acted_on,
        "persuaded_by": persuaded_by,
        "outcome": outcome,
        "actual_guests": actual,
        "has_prevention_plan": has_plan,
        "approved_by": approved_by,
        "guest_limit": limit,
    }


def _log(actor: Any, action: Action, gathering: Gathering, channel: str, **detail: Any) -> None:
    access_log_write(
        user=actor,
        action=action,
        object_type="gathering",
        object_id=gathering.pk,
        unit_code=gathering.unit_code,
        detail=detail,
        channel=channel,
    )


def _replay(actor: Any, client_uuid: uuid.UUID) -> Gathering | None:
    existing = Gathering.objects.select_related("unit").filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    if not code_in_scope(actor, existing.unit_code, RECORD):
        raise ValidationError({"client_uuid": UUID_TAKEN})
    return existing


def gathering_create(
    *,
    actor: Any,
    unit: OrgUnit | None,
    host_name: str,
    kind: str,
    planned_date: date | None,
    expected_guests: int,
    family_only: bool = False,
    place: str = "",
    note: str = "",
    host: Person | None = None,
    action: str = "",
    acted_on: date | None = None,
    persuaded_by: str = "",
    outcome: str = "",
    actual_guests: int | None = None,
    has_prevention_plan: bool = False,
    approved_by: str = "",
    client_uuid: uuid.UUID | None = None,
    now: datetime | None = None,
    channel: str = "web",
) -> tuple[Gathering, bool]:
    """Record a planned gathering (登记酒宴) in a village or grid of the actor's jurisdiction,
    with what was done about it if that is known already.

    Returns (gathering, created). A `client_uuid` seen before returns the first record and
    False, so a phone that retries never records the gathering twice.
    """
    if client_uuid is not None and (existing := _replay(actor, client_uuid)) is not None:
        return existing, False
    today = timezone.localdate(now_or(now))
    values = _validate(
        actor,
        {
            "unit": unit,
            "host": host,
            "host_name": host_name,
            "kind": kind,
            "planned_date": planned_date,
            "expected_guests": expected_guests,
            "family_only": family_only,
            "place": place,
            "note": note,
            "action": action,
            "acted_on": acted_on,
            "persuaded_by": persuaded_by,
            "outcome": outcome,
            "actual_guests": actual_guests,
            "has_prevention_plan": has_prevention_plan,
            "approved_by": approved_by,
        },
        today,
    )
    try:
        with transaction.atomic():
            gathering = Gathering.objects.create(
                **values, client_uuid=client_uuid, created_by=actor
            )
            _log(actor, Action.CREATE, gathering, channel)
    except IntegrityError:
        # A retry raced its first attempt, which committed first.
        if client_uuid is not None and (existing := _replay(actor, client_uuid)) is not None:
            return existing, False
        raise
    return gathering, True


UPDATABLE = frozenset(
    {
        "unit",
        "host",
        "host_name",
        "kind",
        "planned_date",
        "expected_guests",
        "family_only",
        "place",
        "note",
        "action",
        "acted_on",
        "persuaded_by",
        "outcome",
        "actual_guests",
        "has_prevention_plan",
        "approved_by",
    }
)


def gathering_update(
    *,
    actor: Any,
    gathering: Gathering,
    version: int,
    now: datetime | None = None,
    channel: str = "web",
    **changes: Any,
) -> Gathering:
    """Change a gathering, typically to record the action taken and its outcome (记录劝导结果).

    `changes` holds only the fields that change (keys of UPDATABLE); the final state is checked
    as a whole, against the policy limit of its date. `version` is the version the user saw:
    a stale one raises StaleVersion with the current record and writes nothing.
    """
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"gathering_update() got unexpected fields: {sorted(unknown)}")
    today = timezone.localdate(now_or(now))
    with transaction.atomic():
        current = (
            Gathering.objects.select_for_update(of=("self",))
            .select_related("unit", "host")
            .get(pk=gathering.pk)
        )
        if current.version != version:
            raise StaleVersion(current)
        state = {field: getattr(current, field) for field in UPDATABLE} | changes
        if "host" in changes and changes["host"] is not None and "host_name" not in changes:
            state["host_name"] = ""  # the registry's name for the newly linked host
        values = _validate(actor, state, today)
        if values["outcome"] not in HELD_OUTCOMES and current.attendees.exists():
            raise ValidationError({"outcome": NOT_HELD_WITH_ATTENDEES})
        changed = sorted(f for f, v in values.items() if getattr(current, f) != v)
        for field, value in values.items():
            setattr(current, field, value)
        current.version += 1
        current.save()
        _log(actor, Action.UPDATE, current, channel, fields=changed)
    return current


def gathering_attendees_set(
    *,
    actor: Any,
    gathering: Gathering,
    persons: list[Person],
    channel: str = "web",
) -> Gathering:
    """Register who attended a gathering that took place (登记参加人员), replacing the list.

    Persons newly added must be live and in the actor's jurisdiction (the caller resolves them
    through a scoped selector; they are checked again here). For a gathering held with the
    village's consent the registered number must stay within its limit.
    """
    errors: dict[str, str] = {}
    unique = list({p.pk: p for p in persons}.values())
    # Attendees registered by someone with a wider jurisdiction stay when a village edits.
    registered = set(gathering.attendees.values_list("pk", flat=True))
    added = [p for p in unique if p.pk not in registered]
    if not gathering.is_held:
        errors["attendees"] = ATTENDEES_NOT_HELD
    elif len(unique) > MAX_ATTENDEES:
        errors["attendees"] = TOO_MANY_ATTENDEES
    elif any(
        p.merged_into_id is not None
        or not code_in_scope(actor, p.unit_code, Capability.VIEW_PERSONS)
        for p in added
    ):
        errors["attendees"] = ATTENDEE_NOT_IN_SCOPE
    elif gathering.outcome != GatheringOutcome.HELD_AGAINST_ADVICE and (
        len(unique) > gathering.guest_limit
    ):
        errors["attendees"] = limit_message(
            family_only=gathering.family_only, limit=gathering.guest_limit, guests=len(unique)
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Gathering.objects.select_for_update().get(pk=gathering.pk)
        locked.attendees.set(unique)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        _log(actor, Action.UPDATE, locked, channel, attendees=len(unique))
    gathering.version = locked.version
    return gathering
