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
from bastion.people.models import Household, Person
from bastion.screening.models import (
    HouseholdVisit,
    Relation,
    SignalSource,
    Sweep,
    TravelSource,
    VisitMember,
    VisitResult,
)
from bastion.screening.services.common import clean_text
from bastion.screening.services.members import CleanMember, Member, member_person, members_clean
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
    members: Sequence[Member] = (),
    visited_at: datetime | None = None,
    client_uuid: uuid.UUID | None = None,
    now: datetime | None = None,
    channel: str = "web",
) -> tuple[HouseholdVisit, bool]:
    """Record a knock on a door (登记入户走访). Returns (visit, created).

    `members` is who lives there (在住人员), each linked to the registry (found again, never
    registered twice). Everyone met who arrived within the policy's window (返乡登记回溯, 14
    days by default) is registered as a person of the household with a travel record, and
    becomes a signal for the village (source: sweep); so does a member marked as arrived
    lately whose journey is still to be recorded. All or nothing; a replayed `client_uuid`
    returns the first visit.
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
    if members and result != VisitResult.VISITED:
        errors["members"] = "只有见到住户（已走访）时才能登记在住人员。"
    window = policy_for(unit_code=household.unit_code, on=day).arrival_window_days
    cleaned = arrivals_clean(arrivals, day=day, window=window, errors=errors)
    lines = members_clean(members, household=household, errors=errors)
    if errors:
        raise ValidationError(errors)
    if residents is None and lines:
        residents = len(lines)
    pairs = _pair(lines, cleaned)
    for j, i in pairs.items():
        # What the returnee line knows and the member line lacks goes to the same person.
        lines[i].id_number = lines[i].id_number or cleaned[j].id_number
        lines[i].mobile = lines[i].mobile or cleaned[j].mobile
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
            register: dict[int, VisitMember] = {}
            for i, line in enumerate(lines):
                person = member_person(actor, household, line, i)
                if person.pk in register:
                    raise ValidationError({f"members.{i}.name": "同一人在本户登记了两次。"})
                register[person.pk] = VisitMember(
                    visit=visit,
                    person=person,
                    unit_code=household.unit_code,
                    relation=line.relation,
                    arrived_recently=line.arrived_recently,
                )
            members_of = [m.person for m in register.values()]
            travelled: set[int] = set()
            for j, arrival in enumerate(cleaned):
                line_index = pairs.get(j)
                known = members_of[line_index] if line_index is not None else None
                person = _register_arrival(actor, visit, household, arrival, channel, known)
                travelled.add(person.pk)
                if person.pk in register:
                    register[person.pk].arrived_recently = True
                else:
                    # A returnee not listed among the members still lives there.
                    register[person.pk] = VisitMember(
                        visit=visit,
                        person=person,
                        unit_code=household.unit_code,
                        relation=Relation.OTHER,
                        arrived_recently=True,
                    )
            VisitMember.objects.bulk_create(register.values())
            for row in register.values():
                if row.arrived_recently and row.person_id not in travelled:
                    _journey_pending(actor, visit, household, row.person, window)
            access_log_write(
                user=actor,
                action=Action.CREATE,
                object_type="household_visit",
                object_id=visit.pk,
                unit_code=visit.unit_code,
                detail={"result": result, "arrivals": len(cleaned), "members": len(register)},
                channel=channel,
            )
    except IntegrityError:
        found = HouseholdVisit.objects.filter(client_uuid=client_uuid).first()
        if client_uuid is None or found is None:
            raise
        return found, False
    return visit, True


def _pair(lines: list[CleanMember], arrivals: list[CleanArrival]) -> dict[int, int]:
    """Arrival index -> member line index, for a returnee also listed as living there: the
    same ID number, or the same name where neither ID number contradicts the other."""
    pairs: dict[int, int] = {}
    for j, arrival in enumerate(arrivals):
        for i, line in enumerate(lines):
            if i in pairs.values():
                continue
            known_id = line.id_number or (line.person.id_number if line.person else None)
            same_id = bool(arrival.id_number) and arrival.id_number == known_id
            clash = bool(arrival.id_number and known_id) and not same_id
            if same_id or (line.name == arrival.name and not clash):
                pairs[j] = i
                break
    return pairs


def _journey_pending(
    actor: Any, visit: HouseholdVisit, household: Household, person: Person, window: int
) -> None:
    """A member who arrived lately but whose journey was not typed: still a signal, so the
    village follows up (早发现 does not wait for the details)."""
    signal_raise(
        unit=household.unit,
        source=SignalSource.SWEEP,
        reason=f"入户排查：在住人员近 {window} 天内自外地返回，行程待登记",
        actor=actor,
        person=person,
        subject_name=person.name,
        subject_mobile=person.mobile,
        subject_id_number=person.id_number or "",
        subject_address=household.address,
        found_at=visit.visited_at,
        details={"visit": visit.pk, "sweep": visit.sweep_id},
    )


def _register_arrival(
    actor: Any,
    visit: HouseholdVisit,
    household: Household,
    arrival: CleanArrival,
    channel: str,
    person: Person | None = None,
) -> Person:
    try:
        person = person or arrival_person(actor, household, arrival)
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
    return person
