"""Registration at the roadside (登记): one vehicle with all its occupants, in one transaction.

Rules (DOMAIN.md, 设卡盘查):
- every vehicle has at least one occupant, and every occupant a temperature or a stated reason
  for none ("一车不漏、一人不少");
- a temperature at or above the policy's fever threshold goes to a fever point, and the others
  in the same vehicle are handed over to the destination village as close contacts;
- a hand-over becomes a signal (线索) in exactly the destination village, in the same
  transaction, so the village sees it as soon as the registration is committed.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.checkpoints.models import (
    Checkpoint,
    Decision,
    Disposition,
    PassengerCheck,
    Purpose,
    VehicleKind,
    VehiclePassage,
)
from bastion.checkpoints.selectors.origins import high_risk_area_for
from bastion.checkpoints.services.rosters import shift_for
from bastion.core.errors import ValidationError
from bastion.core.masking import mask_name
from bastion.core.validators import normalize_mobile, normalize_plate, parse_citizen_id
from bastion.observation.models import Policy
from bastion.observation.selectors import policy_for
from bastion.observation.temperature import parse_temperature
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.screening.models import SignalSource
from bastion.screening.services import signal_raise

MAX_OCCUPANTS = 60

NO_OCCUPANTS = "每辆车至少登记一名司乘人员（一车不漏、一人不少）。"
TOO_MANY_OCCUPANTS = f"一辆车最多登记 {MAX_OCCUPANTS} 人；大客车请分两次登记。"
NAME_REQUIRED = "请填写姓名。"
TEMPERATURE_OR_REASON = "请填写体温，或写明未测体温的原因（一人不少）。"
FEVER_MUST_REFER = "体温 {value} °C 达到发热标准（≥ {threshold} °C），应选择“转送发热门诊”。"
DECISION_UNKNOWN = "请选择处置：放行、放行并移交、转送发热门诊或劝返。"
VEHICLE_KIND_UNKNOWN = "请选择车型。"
PURPOSE_UNKNOWN = "请选择事由。"
DISPOSITION_UNKNOWN = "车辆处置只能是放行、劝返或留检。"
TURNED_BACK_BUT_PASSED = "车辆已劝返，车上人员不能“放行”：请选择“劝返”或“转送发热门诊”。"
DESTINATION_OUTSIDE = "目的地应为本市的县区、乡镇（街道）或村（社区）。"
HAND_OVER_NEEDS_VILLAGE = "移交需要落到具体的村（社区）：请把目的地选到村（社区）。"
CLOSE_CONTACTS_NEED_VILLAGE = (
    "同车有人转送发热门诊，其他人员要作为密切接触者移交目的地村（社区）：请把目的地选到村（社区）。"
)
IN_THE_FUTURE = "登记时间不能晚于现在。"
TOO_OLD = "登记时间不能早于 7 天前；更早的记录请联系卡点负责人补录。"
CHECKPOINT_CLOSED = "该卡点已于 {day} 撤除，不能再登记。"
TEXT_TOO_LONG = "内容太长，请控制在 {n} 字以内。"

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
BACKFILL_LIMIT = timedelta(days=7)


@dataclass(frozen=True)
class OccupantIn:
    """One occupant as typed at the roadside; the service validates and normalises it."""

    name: str
    id_number: str = ""
    phone: str = ""
    temperature: Decimal | float | str | None = None
    no_temperature_reason: str = ""
    decision: str = Decision.PASS


def _temperature(
    raw: Decimal | float | str | None, policy: Policy, key: str, errors: dict[str, str]
) -> Decimal | None:
    """The temperature to one decimal, read as observation reads every typed temperature:
    365 and 3.65 are refused with a message that says which typo they probably are."""
    try:
        return parse_temperature(
            raw, low=Decimal(policy.temperature_min), high=Decimal(policy.temperature_max)
        )
    except ValueError as e:
        errors[key] = str(e)
        return None


def _clean_occupant(
    n: int, occupant: OccupantIn, policy: Policy, errors: dict[str, str]
) -> PassengerCheck:
    prefix = f"occupants.{n}."
    name = " ".join((occupant.name or "").split())
    if not name:
        errors[prefix + "name"] = NAME_REQUIRED
    elif len(name) > 40:
        errors[prefix + "name"] = TEXT_TOO_LONG.format(n=40)
    id_number = ""
    if (occupant.id_number or "").strip():
        try:
            id_number = parse_citizen_id(occupant.id_number).number
        except ValueError as e:
            errors[prefix + "id_number"] = str(e)
    mobile = ""
    if (occupant.phone or "").strip():
        try:
            mobile = normalize_mobile(occupant.phone)
        except ValueError as e:
            errors[prefix + "phone"] = str(e)
    raw = occupant.temperature
    measured = raw is not None and not (isinstance(raw, str) and not raw.strip())
    temperature = _temperature(raw, policy, prefix + "temperature", errors) if measured else None
    reason = " ".join((occupant.no_temperature_reason or "").split())
    if len(reason) > 100:
        errors[prefix + "no_temperature_reason"] = TEXT_TOO_LONG.format(n=100)
    if not measured and not reason:
        errors[prefix + "temperature"] = TEMPERATURE_OR_REASON
    decision = occupant.decision
    if decision not in Decision.values:
        errors[prefix + "decision"] = DECISION_UNKNOWN
    is_fever = temperature is not None and temperature >= Decimal(policy.fever_threshold)
    if is_fever and decision != Decision.REFER_FEVER_POINT:
        errors[prefix + "decision"] = FEVER_MUST_REFER.format(
            value=temperature, threshold=policy.fever_threshold
        )
    return PassengerCheck(
        position=n + 1,
        name=name,
        id_number=id_number,
        mobile=mobile,
        temperature=temperature,
        no_temperature_reason="" if temperature is not None else reason,
        is_fever=is_fever,
        decision=decision,
    )


def _apply_close_contacts(occupants: list[PassengerCheck]) -> None:
    """Anyone referred to a fever point makes the others in the vehicle close contacts: who
    would have passed is handed over to the destination village instead."""
    if not any(o.decision == Decision.REFER_FEVER_POINT for o in occupants):
        return
    for o in occupants:
        if o.decision in (Decision.PASS, Decision.PASS_AND_HAND_OVER):
            o.decision = Decision.PASS_AND_HAND_OVER
            o.is_close_contact = True


def _clean_destination(
    checkpoint: Checkpoint, destination: OrgUnit | None, errors: dict[str, str]
) -> None:
    if destination is None:
        return
    city_prefix = checkpoint.unit_code[:4]
    if (
        destination.kind != Kind.TERRITORIAL
        or destination.level == Level.CITY
        or not destination.code.startswith(city_prefix)
    ):
        errors["destination"] = DESTINATION_OUTSIDE


def _clean_time(
    checkpoint: Checkpoint, occurred_at: datetime, now: datetime, errors: dict[str, str]
) -> None:
    if occurred_at > now + CLOCK_SKEW:
        errors["occurred_at"] = IN_THE_FUTURE
    elif occurred_at < now - BACKFILL_LIMIT:
        errors["occurred_at"] = TOO_OLD
    day = timezone.localtime(occurred_at).date()
    if checkpoint.closes_on is not None and day > checkpoint.closes_on:
        errors["checkpoint"] = CHECKPOINT_CLOSED.format(day=checkpoint.closes_on.isoformat())


def _hand_over_reason(
    checkpoint: Checkpoint,
    passage: VehiclePassage,
    occupant: PassengerCheck,
    companions: list[PassengerCheck],
) -> str:
    """What the village worker reads: where, when, which vehicle, from where, and who else was
    in it (companions' names masked: the signal's own subject carries the full data)."""
    when = timezone.localtime(passage.occurred_at)
    parts = [f"卡点移交：{checkpoint.name} {when:%m-%d %H:%M}，车辆 {passage.plate}"]
    if passage.origin:
        risk = "，中高风险地区" if passage.origin_high_risk else ""
        parts.append(f"，来自{passage.origin}{risk}")
    if occupant.temperature is not None:
        parts.append(f"，体温 {occupant.temperature} °C")
    parts.append("。")
    if occupant.is_close_contact:
        parts.append("同车有人转送发热门诊，按密切接触者观察。")
    if companions:
        described = []
        for c in companions:
            fever = f"，{c.temperature} °C" if c.is_fever else ""
            described.append(f"{mask_name(c.name)}（{Decision(c.decision).label}{fever}）")
        parts.append(f"同车 {len(companions)} 人：" + "、".join(described))
    return "".join(parts)[:300]


def _hand_over(
    actor: Any,
    checkpoint: Checkpoint,
    passage: VehiclePassage,
    checks: list[PassengerCheck],
    hand_overs: list[PassengerCheck],
    village: OrgUnit,
) -> None:
    """Raise one signal per handed-over occupant in exactly the destination village."""
    for c in hand_overs:
        signal, _created = signal_raise(
            unit=village,
            source=SignalSource.CHECKPOINT,
            reason=_hand_over_reason(checkpoint, passage, c, [o for o in checks if o is not c]),
            actor=actor,
            subject_name=c.name,
            subject_id_number=c.id_number,
            subject_mobile=c.mobile,
            subject_address=f"目的地：{village.name}",
            found_at=passage.occurred_at,
            # Derived from the passage's UUID: a replayed registration finds the same signal.
            client_uuid=uuid.uuid5(passage.client_uuid, f"hand-over/{c.position}"),
        )
        c.signal = signal


def passage_register(
    *,
    actor: Any,
    checkpoint: Checkpoint,
    client_uuid: uuid.UUID,
    plate: str,
    occupants: Sequence[OccupantIn],
    vehicle_kind: str = VehicleKind.CAR,
    origin: str = "",
    destination: OrgUnit | None = None,
    purpose: str = Purpose.OTHER,
    disposition: str = "",
    note: str = "",
    occurred_at: datetime | None = None,
    now: datetime | None = None,
    channel: str = "web",
) -> tuple[VehiclePassage, bool]:
    """Register one vehicle with all its occupants. Returns (passage, created).

    A replay of `client_uuid` returns the first passage unchanged (created False), whatever
    else it carries. An empty `disposition` is derived: turned back when everyone is turned
    back, else released.
    Precondition: the caller checked that `actor` records passages at `checkpoint`.
    """
    existing = VehiclePassage.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    occurred_at = occurred_at or now
    policy = policy_for(unit_code=checkpoint.unit_code, on=timezone.localtime(occurred_at).date())
    errors: dict[str, str] = {}
    try:
        plate = normalize_plate(plate)
    except ValueError as e:
        errors["plate"] = str(e)
    if vehicle_kind not in VehicleKind.values:
        errors["vehicle_kind"] = VEHICLE_KIND_UNKNOWN
    if purpose not in Purpose.values:
        errors["purpose"] = PURPOSE_UNKNOWN
    if disposition and disposition not in Disposition.values:
        errors["disposition"] = DISPOSITION_UNKNOWN
    origin = " ".join((origin or "").split())
    if len(origin) > 60:
        errors["origin"] = TEXT_TOO_LONG.format(n=60)
    note = " ".join((note or "").split())
    if len(note) > 200:
        errors["note"] = TEXT_TOO_LONG.format(n=200)
    _clean_destination(checkpoint, destination, errors)
    _clean_time(checkpoint, occurred_at, now, errors)
    if not occupants:
        errors["occupants"] = NO_OCCUPANTS
    elif len(occupants) > MAX_OCCUPANTS:
        errors["occupants"] = TOO_MANY_OCCUPANTS
    checks = [_clean_occupant(n, o, policy, errors) for n, o in enumerate(occupants)]
    if errors:
        raise ValidationError(errors)

    referred = any(c.decision == Decision.REFER_FEVER_POINT for c in checks)
    _apply_close_contacts(checks)
    if not disposition:
        everyone_back = all(c.decision == Decision.TURN_BACK for c in checks)
        disposition = Disposition.TURNED_BACK if everyone_back else Disposition.RELEASED
    if disposition == Disposition.TURNED_BACK:
        for n, c in enumerate(checks):
            if c.decision in (Decision.PASS, Decision.PASS_AND_HAND_OVER):
                errors[f"occupants.{n}.decision"] = TURNED_BACK_BUT_PASSED
    hand_overs = [c for c in checks if c.decision == Decision.PASS_AND_HAND_OVER]
    if hand_overs and (destination is None or destination.level not in (Level.VILLAGE, Level.GRID)):
        errors["destination"] = CLOSE_CONTACTS_NEED_VILLAGE if referred else HAND_OVER_NEEDS_VILLAGE
    if errors:
        raise ValidationError(errors)

    area = high_risk_area_for(origin, on=timezone.localtime(occurred_at).date())
    try:
        with transaction.atomic():
            passage = VehiclePassage.objects.create(
                checkpoint=checkpoint,
                unit_code=checkpoint.unit_code,
                shift=shift_for(checkpoint=checkpoint, at=occurred_at),
                plate=plate,
                vehicle_kind=vehicle_kind,
                origin=origin,
                origin_area=area,
                origin_high_risk=area is not None,
                destination=destination,
                destination_code=destination.code if destination else "",
                purpose=purpose,
                disposition=disposition,
                note=note,
                occurred_at=occurred_at,
                recorded_by=actor,
                client_uuid=client_uuid,
            )
            for c in checks:
                c.passage = passage
                c.unit_code = passage.unit_code
                c.occurred_at = occurred_at
            if destination is not None:
                _hand_over(actor, checkpoint, passage, checks, hand_overs, destination)
            PassengerCheck.objects.bulk_create(checks)
            access_log_write(
                user=actor,
                action=Action.CREATE,
                object_type="vehicle_passage",
                object_id=passage.pk,
                unit_code=passage.unit_code,
                detail={"occupants": len(checks), "hand_overs": len(hand_overs)},
                channel=channel,
            )
    except IntegrityError:
        # A concurrent twin with the same client UUID committed first; its passage is the answer.
        twin = VehiclePassage.objects.filter(client_uuid=client_uuid).first()
        if twin is None:
            raise
        return twin, False
    return passage, True
