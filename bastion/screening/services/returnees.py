"""Writes for returnees (返乡人员): who arrived, registered by staff, confirmed from a
self-registration, or submitted by the arriving person on the village's public page."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.core.validators import citizen_id_canonical, normalize_mobile
from bastion.observation.selectors import policy_for
from bastion.orgs.models import OrgUnit
from bastion.people import services as people
from bastion.people.models import Household, Person
from bastion.screening.models import (
    HighRiskArea,
    RegistrationPoint,
    Signal,
    SignalSource,
    SignalStatus,
    TravelRecord,
    TravelSource,
)
from bastion.screening.services.common import clean_text
from bastion.screening.services.signals import signal_raise, signal_transition
from bastion.screening.services.travel import (
    CleanJourney,
    Journey,
    journey_clean,
    journey_summary,
    travel_record_create,
    travel_unit_check,
)

# Anti-abuse on the public page: submissions per address per hour (a family may share a
# phone's connection, so a few are fine).
SELF_REGISTRATIONS_PER_HOUR = 5


@dataclass
class Arrival:
    """Someone who arrived from elsewhere (返乡人员), met at the door."""

    name: str
    journey: Journey
    id_number: str = ""
    mobile: str = ""


@dataclass
class CleanArrival:
    name: str
    id_number: str | None
    mobile: str
    journey: CleanJourney
    extra: dict[str, Any] = field(default_factory=dict)


def arrivals_clean(
    arrivals: Sequence[Arrival], *, day: date, window: int, errors: dict[str, str]
) -> list[CleanArrival]:
    areas = list(HighRiskArea.objects.filter(active_from__lte=day))
    earliest = day - timedelta(days=window)
    cleaned: list[CleanArrival] = []
    for i, arrival in enumerate(arrivals):
        prefix = f"arrivals.{i}."
        own: dict[str, str] = {}
        name = clean_text(arrival.name, 40, "name", "姓名", own)
        if not name and "name" not in own:
            own["name"] = "请填写返乡人员姓名。"
        id_number: str | None = None
        if arrival.id_number and arrival.id_number.strip():
            try:
                id_number = citizen_id_canonical(arrival.id_number)[0]
            except ValueError as e:
                own["id_number"] = str(e)
        mobile = ""
        if arrival.mobile and arrival.mobile.strip():
            try:
                mobile = normalize_mobile(arrival.mobile)
            except ValueError as e:
                own["mobile"] = str(e)
        journey = journey_clean(arrival.journey, own, today=day, areas=areas)
        if journey is not None and journey.arrived_on < earliest:
            own["arrived_on"] = (
                f"只登记近 {window} 天内抵达的人员（{earliest.isoformat()} 及以后）。"
            )
        errors.update({prefix + k: v for k, v in own.items()})
        if not own and journey is not None:
            cleaned.append(CleanArrival(name, id_number, mobile, journey))
    return cleaned


def arrival_person(actor: Any, household: Household, arrival: CleanArrival) -> Person:
    """The registry's person for an arrival: by ID number anywhere, else by name in the
    household; registered in the household when new (through the people services)."""
    if arrival.id_number:
        holder = Person.objects.filter(
            id_number=arrival.id_number, merged_into__isnull=True
        ).first()
        if holder is not None:
            return holder
    else:
        member = Person.objects.filter(
            household=household, name=arrival.name, merged_into__isnull=True
        ).first()
        if member is not None:
            return member
    return people.person_create(
        actor=actor,
        unit=household.unit,
        household=household,
        name=arrival.name,
        id_number=arrival.id_number,
        mobile=arrival.mobile,
    )


def household_at(*, actor: Any, unit: OrgUnit, address: str) -> Household:
    """The household at `address` in `unit`, registered through the people services when new."""
    found = Household.objects.filter(unit=unit, address=address).first()
    if found is not None:
        return found
    return people.household_create(actor=actor, unit=unit, address=address)


def returnee_register(
    *,
    actor: Any,
    unit: OrgUnit | None,
    address: str,
    arrival: Arrival,
    signal: Signal | None = None,
    companions: Sequence[Person] = (),
    now: datetime | None = None,
    channel: str = "web",
) -> TravelRecord:
    """Register a returnee (登记返乡人员) staying at `address` of a village or grid: the
    person and household in the registry, and the travel record.

    Confirming a self-registration passes its `signal`: the signal gets the person and moves
    into verification. Without one, an arrival inside the policy window becomes a new signal
    (source: staff), so that nobody skips the five-early pipeline.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: dict[str, str] = {}
    travel_unit_check(unit, errors)
    if unit is not None and not code_in_scope(actor, unit.code, Capability.RECORD_SCREENING):
        errors["unit"] = "请选择您辖区内的村（社区）或网格。"
    clean_address = clean_text(address, 200, "address", "住址", errors)
    if not clean_address and "address" not in errors:
        errors["address"] = "请填写在本地的住址。"
    window = policy_for(unit_code=unit.code if unit else "", on=today).arrival_window_days
    # Staff may register an old arrival too; only recent ones become signals (below).
    cleaned_list = arrivals_clean([arrival], day=today, window=10_000, errors=errors)
    cleaned = cleaned_list[0] if cleaned_list else None
    flat = {k.removeprefix("arrivals.0."): v for k, v in errors.items()}
    if flat or unit is None or cleaned is None:
        raise ValidationError(flat or {"unit": "请选择所在村（社区）或网格。"})
    with transaction.atomic():
        household = household_at(actor=actor, unit=unit, address=clean_address)
        person = arrival_person(actor, household, cleaned)
        source = TravelSource.SELF_REGISTRATION if signal is not None else TravelSource.MANUAL
        record, _created = travel_record_create(
            actor=actor,
            person=person,
            unit=unit,
            household=household,
            journey=cleaned.journey,
            source=source,
            companions=companions,
            channel=channel,
        )
        if signal is not None:
            Signal.objects.filter(pk=signal.pk).update(person=person, version=F("version") + 1)
            signal.refresh_from_db()
            if signal.status == SignalStatus.NEW:
                signal_transition(
                    actor=actor,
                    signal=signal,
                    to_status=SignalStatus.VERIFYING,
                    note="已核实并登记行程",
                    now=now,
                )
        elif cleaned.journey.arrived_on >= today - timedelta(days=window):
            signal_raise(
                unit=unit,
                source=SignalSource.STAFF,
                reason="登记返乡人员：" + journey_summary(cleaned.journey),
                actor=actor,
                person=person,
                subject_name=person.name,
                subject_mobile=person.mobile,
                subject_id_number=person.id_number or "",
                subject_address=household.address,
                found_at=now,
                details={"travel_record": record.pk},
            )
    return record


def registration_rate_check(*, key: str, now: datetime | None = None) -> None:
    """Count one submission for `key` (an IP address) this hour; ValidationError past the
    limit. The cache is enough: a lost count only lets a few more through."""
    now = now or timezone.now()
    bucket = f"screening:selfreg:{key}:{now:%Y%m%d%H}"
    cache.add(bucket, 0, timeout=3600)
    try:
        count = cache.incr(bucket)
    except ValueError:
        cache.set(bucket, 1, timeout=3600)
        count = 1
    if count > SELF_REGISTRATIONS_PER_HOUR:
        raise ValidationError({"__all__": "提交次数过多，请一小时后再试，或直接致电村（社区）。"})


def self_registration_submit(
    *,
    point: RegistrationPoint,
    name: str,
    mobile: str,
    address: str,
    journey: Journey,
    id_number: str = "",
    symptoms: bool = False,
    now: datetime | None = None,
) -> Signal:
    """What an arriving person typed on the village's public page (自主登记). It is checked
    for form only and becomes a signal for the village; nothing enters the registry until a
    worker confirms it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: dict[str, str] = {}
    clean_name = clean_text(name, 40, "name", "姓名", errors)
    if not clean_name and "name" not in errors:
        errors["name"] = "请填写姓名。"
    clean_mobile = ""
    if not (mobile or "").strip():
        errors["mobile"] = "请填写手机号。"
    else:
        try:
            clean_mobile = normalize_mobile(mobile)
        except ValueError as e:
            errors["mobile"] = str(e)
    clean_id = ""
    if id_number and id_number.strip():
        try:
            clean_id = citizen_id_canonical(id_number)[0]
        except ValueError as e:
            errors["id_number"] = str(e)
    clean_address = clean_text(address, 200, "address", "住址", errors)
    if not clean_address and "address" not in errors:
        errors["address"] = "请填写在本地的住址。"
    cleaned = journey_clean(journey, errors, today=today)
    if errors or cleaned is None:
        raise ValidationError(errors)
    reason = "自主登记：" + journey_summary(cleaned) + ("；自述有发热或咳嗽" if symptoms else "")
    signal, _created = signal_raise(
        unit=point.unit,
        source=SignalSource.SELF_REGISTRATION,
        reason=reason,
        subject_name=clean_name,
        subject_mobile=clean_mobile,
        subject_id_number=clean_id,
        subject_address=clean_address,
        found_at=now,
        details=journey_details(cleaned) | {"symptoms": symptoms},
    )
    return signal


def journey_details(journey: CleanJourney) -> dict[str, Any]:
    """A journey as a signal keeps it (JSON), to prefill the worker's confirmation."""
    return {
        "origin_province": journey.origin_province,
        "origin_city": journey.origin_city,
        "origin_county": journey.origin_county,
        "departed_on": journey.departed_on.isoformat() if journey.departed_on else "",
        "arrived_on": journey.arrived_on.isoformat(),
        "transport": journey.transport,
        "transport_no": journey.transport_no,
        "companions_note": journey.companions_note,
        "high_risk": journey.risk_area is not None,
    }


def details_journey(details: dict[str, Any]) -> dict[str, Any]:
    """The other way: a signal's details as initial values of the confirmation form."""

    def day(value: Any) -> date | None:
        try:
            return date.fromisoformat(str(value)) if value else None
        except ValueError:
            return None

    return {
        "origin_province": details.get("origin_province", ""),
        "origin_city": details.get("origin_city", ""),
        "origin_county": details.get("origin_county", ""),
        "departed_on": day(details.get("departed_on")),
        "arrived_on": day(details.get("arrived_on")),
        "transport": details.get("transport", ""),
        "transport_no": details.get("transport_no", ""),
        "companions_note": details.get("companions_note", ""),
    }
