"""Writes for returnees (返乡人员): travel records, the high-risk area list, and the village
self-registration points with what arrives through them."""

import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.validators import normalize_plate, to_halfwidth
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Household, Person
from bastion.screening.models import (
    HighRiskArea,
    HouseholdVisit,
    RegistrationPoint,
    Transport,
    TravelRecord,
    TravelSource,
)
from bastion.screening.services.common import clean_text

_PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
_CITY_SUFFIXES = ("自治州", "地区", "市", "盟")
_COUNTY_SUFFIXES = ("自治县", "县", "区", "市", "旗")
TRANSPORTS = frozenset(Transport.values)
_TRAIN = re.compile(r"^[GDCZTKSLY]?\d{1,4}$")
_FLIGHT = re.compile(r"^[A-Z0-9]{2}\d{1,4}$")


def place_key(name: str, suffixes: Iterable[str]) -> str:
    """'湖北省' -> '湖北', '武汉市' -> '武汉', '武昌区' -> '武昌': names compare without the
    administrative suffix that people write or leave out."""
    text = re.sub(r"\s+", "", name or "")
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


def _code_prefix(code: str) -> str:
    """A region code's significant part: 420000 -> 42, 420100 -> 4201, 420106 -> 420106."""
    code = code[:6]
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def area_matches(
    area: HighRiskArea, *, province: str, city: str, county: str, code: str, on: date
) -> bool:
    if area.active_from > on or (area.active_to is not None and area.active_to < on):
        return False
    if area.code and code:
        return code.startswith(_code_prefix(area.code))
    if place_key(area.province, _PROVINCE_SUFFIXES) != place_key(province, _PROVINCE_SUFFIXES):
        return False
    if area.city and place_key(area.city, _CITY_SUFFIXES) != place_key(city, _CITY_SUFFIXES):
        return False
    return not area.county or place_key(area.county, _COUNTY_SUFFIXES) == place_key(
        county, _COUNTY_SUFFIXES
    )


def risk_area_for(
    *,
    province: str,
    city: str = "",
    county: str = "",
    code: str = "",
    on: date,
    areas: list[HighRiskArea] | None = None,
) -> HighRiskArea | None:
    """The high-risk area in force on `on` that covers the origin, the narrowest first."""
    if areas is None:
        areas = list(HighRiskArea.objects.filter(active_from__lte=on))
    matches = [
        a
        for a in areas
        if area_matches(a, province=province, city=city, county=county, code=code, on=on)
    ]
    matches.sort(key=lambda a: (not a.county, not a.city))
    return matches[0] if matches else None


def high_risk_area_create(
    *,
    actor: Any,
    name: str,
    province: str,
    city: str = "",
    county: str = "",
    code: str = "",
    active_from: date,
    active_to: date | None = None,
) -> HighRiskArea:
    """Add an area to the high-risk list (高风险地区). The caller holds MANAGE_RISK_AREAS."""
    errors: dict[str, str] = {}
    clean_name = clean_text(name, 60, "name", "名称", errors)
    clean_province = clean_text(province, 20, "province", "省", errors)
    clean_city = clean_text(city, 30, "city", "市", errors)
    clean_county = clean_text(county, 30, "county", "县（区）", errors)
    clean_code = re.sub(r"\s+", "", to_halfwidth(code or ""))
    if not clean_province and "province" not in errors:
        errors["province"] = "请填写省份。"
    if clean_county and not clean_city:
        errors["city"] = "填写县（区）时请同时填写市。"
    if clean_code and not re.fullmatch(r"\d{6}(\d{6})?", clean_code):
        errors["code"] = "区划代码应为 6 位或 12 位数字。"
    if active_to is not None and active_to < active_from:
        errors["active_to"] = "截止日期不能早于起始日期。"
    if errors:
        raise ValidationError(errors)
    return HighRiskArea.objects.create(
        name=clean_name or f"{clean_province}{clean_city}{clean_county}",
        province=clean_province,
        city=clean_city,
        county=clean_county,
        code=clean_code,
        active_from=active_from,
        active_to=active_to,
        created_by=actor,
    )


def high_risk_area_end(*, actor: Any, area: HighRiskArea, on: date) -> HighRiskArea:
    """Take an area off the list from the day after `on` (解除高风险)."""
    if on < area.active_from:
        raise ValidationError({"active_to": "截止日期不能早于起始日期。"})
    area.active_to = on
    area.save(update_fields=["active_to"])
    return area


def normalize_transport_no(transport: str, raw: object) -> str:
    """Train number, flight number or plate, by the kind of transport; ValueError if wrong."""
    text = re.sub(r"[\s\-]", "", to_halfwidth("" if raw is None else str(raw))).upper()
    if not text:
        return ""
    if transport == Transport.TRAIN:
        if not _TRAIN.match(text):
            raise ValueError("车次格式不对，例如 G1234、K9063。")
    elif transport == Transport.PLANE:
        if not _FLIGHT.match(text):
            raise ValueError("航班号格式不对，例如 CZ3456。")
    elif transport == Transport.SELF_DRIVE:
        text = normalize_plate(text)
    elif len(text) > 20:
        raise ValueError("班次或车牌不能超过 20 个字。")
    return text


@dataclass
class Journey:
    """A journey as typed, before it is validated: the shared input of the visit form, the
    travel record form, the self-registration page and the import."""

    origin_province: str
    arrived_on: date | None
    transport: str
    origin_city: str = ""
    origin_county: str = ""
    origin_code: str = ""
    departed_on: date | None = None
    transport_no: str = ""
    companions_note: str = ""


@dataclass
class CleanJourney:
    origin_province: str
    origin_city: str
    origin_county: str
    origin_code: str
    departed_on: date | None
    arrived_on: date
    transport: str
    transport_no: str
    companions_note: str
    risk_area: HighRiskArea | None


def journey_clean(
    journey: Journey,
    errors: dict[str, str],
    *,
    today: date,
    prefix: str = "",
    areas: list[HighRiskArea] | None = None,
) -> CleanJourney | None:
    """Validate a journey; add each problem to `errors` (field names get `prefix`)."""
    own: dict[str, str] = {}
    province = clean_text(journey.origin_province, 20, "origin_province", "出发地（省）", own)
    city = clean_text(journey.origin_city, 30, "origin_city", "出发地（市）", own)
    county = clean_text(journey.origin_county, 30, "origin_county", "出发地（县区）", own)
    code = re.sub(r"\s+", "", to_halfwidth(journey.origin_code or ""))
    note = clean_text(journey.companions_note, 200, "companions_note", "同行人", own)
    if not province and "origin_province" not in own:
        own["origin_province"] = "请填写从哪个省来。"
    if code and not re.fullmatch(r"\d{6}(\d{6})?", code):
        own["origin_code"] = "区划代码应为 6 位或 12 位数字。"
    if journey.arrived_on is None:
        own["arrived_on"] = "请填写抵达日期。"
    elif journey.arrived_on > today:
        own["arrived_on"] = "抵达日期不能晚于今天。"
    if (
        journey.departed_on is not None
        and journey.arrived_on is not None
        and journey.departed_on > journey.arrived_on
    ):
        own["departed_on"] = "出发日期不能晚于抵达日期。"
    if journey.transport not in TRANSPORTS:
        own["transport"] = "请选择交通方式。"
        transport_no = ""
    else:
        try:
            transport_no = normalize_transport_no(journey.transport, journey.transport_no)
        except ValueError as e:
            own["transport_no"] = str(e)
            transport_no = ""
    errors.update({prefix + k: v for k, v in own.items()})
    if own or journey.arrived_on is None:
        return None
    on = journey.departed_on or journey.arrived_on
    area = risk_area_for(province=province, city=city, county=county, code=code, on=on, areas=areas)
    return CleanJourney(
        origin_province=province,
        origin_city=city,
        origin_county=county,
        origin_code=code,
        departed_on=journey.departed_on,
        arrived_on=journey.arrived_on,
        transport=journey.transport,
        transport_no=transport_no,
        companions_note=note,
        risk_area=area,
    )


def journey_summary(journey: CleanJourney) -> str:
    """'自湖北武汉乘火车（G1234）1月20日抵达，高风险地区' for a signal's reason."""
    origin = journey.origin_province + journey.origin_city + journey.origin_county
    transport = Transport(journey.transport).label
    number = f"（{journey.transport_no}）" if journey.transport_no else ""
    text = (
        f"自{origin}{transport}{number}，{journey.arrived_on.month}月{journey.arrived_on.day}日抵达"
    )
    return text + ("，来自高风险地区" if journey.risk_area else "")


def travel_unit_check(unit: OrgUnit | None, errors: dict[str, str]) -> None:
    if unit is None:
        errors["unit"] = "请选择所在村（社区）或网格。"
    elif unit.kind != Kind.TERRITORIAL or unit.level not in (Level.VILLAGE, Level.GRID):
        errors["unit"] = "行程记录只能登记到村（社区）或网格。"


def travel_record_create(
    *,
    actor: Any,
    person: Person,
    unit: OrgUnit,
    journey: CleanJourney,
    source: str,
    household: Household | None = None,
    companions: Iterable[Person] = (),
    visit: HouseholdVisit | None = None,
    client_uuid: uuid.UUID | None = None,
    channel: str = "web",
) -> tuple[TravelRecord, bool]:
    """Record a journey (登记行程) of `person`, staying in `unit`. Returns (record, created).

    One arrival per person and day: the same arrival again returns the record already there.
    """
    if source not in TravelSource.values:
        raise ValidationError({"source": "未知的登记来源。"})
    if client_uuid is not None:
        found = TravelRecord.objects.filter(client_uuid=client_uuid).first()
        if found is not None:
            return found, False
    existing = TravelRecord.objects.filter(person=person, arrived_on=journey.arrived_on).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            record = TravelRecord.objects.create(
                person=person,
                unit=unit,
                unit_code=unit.code,
                household=household,
                origin_province=journey.origin_province,
                origin_city=journey.origin_city,
                origin_county=journey.origin_county,
                origin_code=journey.origin_code,
                risk_area=journey.risk_area,
                is_high_risk=journey.risk_area is not None,
                departed_on=journey.departed_on,
                arrived_on=journey.arrived_on,
                transport=journey.transport,
                transport_no=journey.transport_no,
                companions_note=journey.companions_note,
                source=source,
                visit=visit,
                created_by=actor,
                client_uuid=client_uuid,
            )
            companions = [c for c in companions if c.pk != person.pk]
            if companions:
                record.companions.set(companions)
            if getattr(actor, "pk", None) is not None:
                access_log_write(
                    user=actor,
                    action=Action.CREATE,
                    object_type="travel_record",
                    object_id=record.pk,
                    unit_code=record.unit_code,
                    channel=channel,
                )
    except IntegrityError:
        found = TravelRecord.objects.filter(person=person, arrived_on=journey.arrived_on).first()
        if found is None:
            raise
        return found, False
    return record, True


# What an edit may change: the journey. Who travelled and where they stay are the registry's.
EDITABLE = (
    "origin_province",
    "origin_city",
    "origin_county",
    "origin_code",
    "departed_on",
    "arrived_on",
    "transport",
    "transport_no",
    "companions_note",
)


def travel_record_update(
    *,
    actor: Any,
    record: TravelRecord,
    version: int,
    journey: Journey,
    now: datetime | None = None,
    channel: str = "web",
) -> TravelRecord:
    """Correct a journey (修改行程) with optimistic concurrency: `version` is the version the
    user saw; if someone saved in between, `StaleVersion` carries the current record and
    nothing is written. The journey is validated as on creation (the risk flag follows the
    new origin), and the fields changed are logged with their old values."""
    today = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        current = TravelRecord.objects.select_for_update().get(pk=record.pk)
        if current.version != version:
            raise StaleVersion(current)
        errors: dict[str, str] = {}
        if not code_in_scope(actor, current.unit_code, Capability.RECORD_SCREENING):
            errors["__all__"] = "该行程记录不在您的辖区内。"
        clean = journey_clean(journey, errors, today=today)
        if (
            clean is not None
            and clean.arrived_on != current.arrived_on
            and TravelRecord.objects.filter(
                person_id=current.person_id, arrived_on=clean.arrived_on
            )
            .exclude(pk=current.pk)
            .exists()
        ):
            errors["arrived_on"] = "该人员在这一天已有另一条行程记录。"
        if errors or clean is None:
            raise ValidationError(errors)
        before = {f: getattr(current, f) for f in EDITABLE}
        for f in EDITABLE:
            setattr(current, f, getattr(clean, f))
        current.risk_area = clean.risk_area
        current.is_high_risk = clean.risk_area is not None
        changed = [f for f in EDITABLE if before[f] != getattr(current, f)]
        if not changed:
            return current
        current.version += 1
        current.save()
        access_log_write(
            user=actor,
            action=Action.UPDATE,
            object_type="travel_record",
            object_id=current.pk,
            unit_code=current.unit_code,
            detail={
                "fields": changed,
                "before": {f: _jsonable(before[f]) for f in changed},
                "version": current.version,
            },
            channel=channel,
        )
    return current


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def registration_point_ensure(*, actor: Any, unit: OrgUnit) -> RegistrationPoint:
    """The self-registration point of a village (自主登记二维码), created on first use."""
    if unit.kind != Kind.TERRITORIAL or unit.level != Level.VILLAGE:
        raise ValidationError({"unit": "自主登记点只能设在村（社区）。"})
    point, _created = RegistrationPoint.objects.get_or_create(
        unit=unit,
        defaults={
            "unit_code": unit.code,
            "token": secrets.token_urlsafe(12),
            "created_by": actor,
        },
    )
    return point


def registration_point_renew(*, actor: Any, point: RegistrationPoint) -> RegistrationPoint:
    """A new token (and QR code) when a poster was abused: the old link stops working."""
    point.token = secrets.token_urlsafe(12)
    point.save(update_fields=["token"])
    return point


def now_local_date(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now())
