"""Writes for sweeps (排查轮次) and household visits (入户走访)."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import ValidationError
from bastion.observation.selectors import policy_for
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Household
from bastion.screening.models import (
    HouseholdVisit,
    SignalSource,
    Sweep,
    TravelSource,
    VisitResult,
)
from bastion.screening.services.common import clean_text
from bastion.screening.services.returnees import (
    Arrival,
    CleanArrival,
    arrival_person,
    arrivals_clean,
)
from bastion.screening.services.signals import signal_raise
from bastion.screening.services.travel import journey_summary, travel_record_create

SWEEP_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)
MAX_SWEEP_DAYS = 92
MAX_ARRIVALS = 20


def sweep_start(
    *,
    actor: Any,
    unit: OrgUnit | None,
    starts_on: date,
    ends_on: date,
    name: str = "",
) -> Sweep:
    """Start a round of door-to-door screening (开始一轮入户排查) of a township or village."""
    errors: dict[str, str] = {}
    if unit is None or not code_in_scope(actor, unit.code, Capability.MANAGE_SCREENING):
        errors["unit"] = "请选择您辖区内的乡镇（街道）或村（社区）。"
    elif unit.kind != Kind.TERRITORIAL or unit.level not in SWEEP_LEVELS:
        errors["unit"] = "排查只能以乡镇（街道）或村（社区）为范围。"
    clean_name = clean_text(name, 80, "name", "名称", errors)
    if ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    elif (ends_on - starts_on).days >= MAX_SWEEP_DAYS:
        errors["ends_on"] = f"一轮排查不能超过 {MAX_SWEEP_DAYS} 天。"
    if errors or unit is None:
        raise ValidationError(errors)
    return Sweep.objects.create(
        unit=unit,
        unit_code=unit.code,
        scope_prefix=unit.scope_prefix,
        name=clean_name or f"{unit.name}{starts_on.month}月{starts_on.day}日入户排查",
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )


def visit_record(
    *,
    actor: Any,
    sweep: Sweep,
    household: Household,
    result: str,
    residents: int | None = None,
    note: str = "",
    arrivals: Sequence[Arrival] = (),
    visited_at: datetime | None = None,
    client_uuid: uuid.UUID | None = None,
    now: datetime | None = None,
    channel: str = "web",
) -> tuple[HouseholdVisit, bool]:
    """Record a knock on a door (登记入户走访). Returns (visit, created).

    Everyone met who arrived within the policy's window (返乡登记回溯, 14 days by default) is
    registered as a person of the household with a travel record, and becomes a signal for
    the village (source: sweep). All or nothing; a replayed `client_uuid` returns the first
    visit.
    """
    if client_uuid is not None:
        found = HouseholdVisit.objects.filter(client_uuid=client_uuid).first()
        if found is not None:
            return found, False
    now = now or timezone.now()
    visited_at = visited_at or now
    day = timezone.localdate(visited_at)
    errors: dict[str, str] = {}
    if not household.unit_code.startswith(sweep.scope_prefix):
        errors["household"] = "该住户不在本轮排查范围内。"
    elif not code_in_scope(actor, household.unit_code, Capability.RECORD_SCREENING):
        errors["household"] = "住户不存在或不在您的辖区内。"
    if result not in VisitResult.values:
        errors["result"] = "请选择走访结果。"
    if visited_at > now + timedelta(minutes=5):
        errors["visited_at"] = "走访时间不能晚于现在。"
    elif not sweep.starts_on <= day <= sweep.ends_on:
        errors["visited_at"] = (
            f"走访日期不在本轮排查期间（{sweep.starts_on.isoformat()} 至 "
            f"{sweep.ends_on.isoformat()}）。"
        )
    if residents is not None and not 0 <= residents <= 99:
        errors["residents"] = "在住人数应在 0–99 之间。"
    clean_note = clean_text(note, 200, "note", "备注", errors)
    if len(arrivals) > MAX_ARRIVALS:
        errors["arrivals"] = f"一次最多登记 {MAX_ARRIVALS} 名返乡人员。"
    elif arrivals and result != VisitResult.VISITED:
        errors["arrivals"] = "只有见到住户（已走访）时才能登记返乡人员。"
    window = policy_for(unit_code=household.unit_code, on=day).arrival_window_days
    cleaned = arrivals_clean(arrivals, day=day, window=window, errors=errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            visit = HouseholdVisit.objects.create(
                sweep=sweep,
                household=household,
                unit_code=household.unit_code,
                result=result,
                residents=residents,
                note=clean_note,
                visited_at=visited_at,
                visited_by=actor,
                client_uuid=client_uuid,
            )
            for arrival in cleaned:
                _register_arrival(actor, visit, household, arrival, channel)
            access_log_write(
                user=actor,
                action=Action.CREATE,
                object_type="household_visit",
                object_id=visit.pk,
                unit_code=visit.unit_code,
                detail={"result": result, "arrivals": len(cleaned)},
                channel=channel,
            )
    except IntegrityError:
        found = HouseholdVisit.objects.filter(client_uuid=client_uuid).first()
        if client_uuid is None or found is None:
            raise
        return found, False
    return visit, True


def _register_arrival(
    actor: Any,
    visit: HouseholdVisit,
    household: Household,
    arrival: CleanArrival,
    channel: str,
) -> None:
    try:
        person = arrival_person(actor, household, arrival)
    except ValidationError as e:
        # Checked above already; what remains is the registry's own word (a duplicate).
        raise ValidationError({"arrivals": e.messages[0]}) from None
    journey = arrival.journey
    travel_record_create(
        actor=actor,
        person=person,
        unit=household.unit,
        household=household,
        journey=journey,
        source=TravelSource.VISIT,
        visit=visit,
        channel=channel,
    )
    signal_raise(
        unit=household.unit,
        source=SignalSource.SWEEP,
        reason="入户排查发现返乡人员：" + journey_summary(journey),
        actor=actor,
        person=person,
        subject_name=person.name,
        subject_mobile=person.mobile,
        subject_id_number=person.id_number or "",
        subject_address=household.address,
        found_at=visit.visited_at,
        details={"visit": visit.pk, "sweep": visit.sweep_id},
    )
