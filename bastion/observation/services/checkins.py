"""Writes of check-ins (体温监测): the hottest path of the system, and the personal links for
self check-in (扫码自报).

A normal check-in costs one insert and one update of the observation, in one transaction
(a replayed client UUID is found by the unique index, then looked up); an abnormal one adds
the alert and its notifications inside the same transaction, so a committed fever always has
its alert.
"""

import hashlib
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from bastion.core import fastsql
from bastion.core.errors import ValidationError
from bastion.core.masking import mask_name
from bastion.core.models import IdempotencyRecord
from bastion.observation import slots as slot_rules
from bastion.observation.models import (
    UNRESOLVED,
    Alert,
    AlertKind,
    AlertStatus,
    CheckIn,
    CheckinSource,
    CheckinToken,
    MeasureSite,
    Observation,
    ObservationStatus,
    Resolution,
    VisitOutcome,
)
from bastion.observation.services.checkin_statement import (
    last_checkin_advance,
    one_statement,
    plain_checkin_write,
)
from bastion.observation.services.outbox import answerers, notify, township_health_workers
from bastion.observation.temperature import parse_temperature

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
# Self check-ins through one link: at most this many submissions per window.
RATE_LIMIT = 12
RATE_WINDOW = timedelta(hours=1)

ALREADY_CORRECTED = "这条记录已经更正过，请更正最新的那条。"


@dataclass(frozen=True)
class CleanCheckin:
    day: Any
    slot: str
    measured_at: datetime
    temperature: Decimal | None
    site: str
    symptoms: list[str]
    outcome: str
    note: str
    is_fever: bool


def checkin_clean(
    *,
    observation: Observation,
    source: str,
    temperature: object,
    site: str,
    symptoms: Sequence[str],
    outcome: str,
    note: str,
    measured_at: datetime | None,
    now: datetime,
) -> CleanCheckin:
    """Validate a check-in against its observation and policy without touching the database.

    Raises one ValidationError mapping each bad field to a message in Chinese.
    """
    policy = observation.policy
    errors: dict[str, str] = {}
    if source not in CheckinSource.values:
        errors["source"] = "请选择方式：本人自报、电话询问或上门测温。"
    if outcome not in VisitOutcome.values:
        errors["outcome"] = "请选择结果：配合、未联系上或不配合。"
    measured = measured_at or now
    if timezone.is_naive(measured):
        measured = timezone.make_aware(measured)
    if measured > now + CLOCK_SKEW:
        errors["measured_at"] = "测量时间不能晚于现在，请检查手机时间。"
    day, slot = slot_rules.slot_for(policy, measured)
    if observation.status != ObservationStatus.ACTIVE:
        errors["observation"] = f"该医学观察{observation.get_status_display()}，不能再记录体温。"
    elif day < observation.start_date:
        errors["measured_at"] = f"测量时间早于观察起算日期（{observation.start_date:%m月%d日}）。"
    elif day > observation.planned_end:
        errors["measured_at"] = (
            f"观察期已于 {observation.planned_end:%m月%d日} 期满，不能再记录体温。"
        )
    value: Decimal | None = None
    clean_site = site or ""
    known = {s["code"] for s in policy.symptoms}
    clean_symptoms = list(dict.fromkeys(symptoms or ()))
    if outcome == VisitOutcome.COOPERATIVE:
        try:
            value = parse_temperature(
                temperature, low=policy.temperature_min, high=policy.temperature_max
            )
        except ValueError as e:
            errors["temperature"] = str(e)
        if clean_site not in MeasureSite.values:
            errors["site"] = "请选择测量部位：额温、腋温、耳温或口温。"
        unknown = [s for s in clean_symptoms if s not in known]
        if unknown:
            errors["symptoms"] = "未知的症状：" + "、".join(unknown[:3]) + "。"
    else:
        # Nobody was measured: a stray value from a remembered form must not be stored.
        value, clean_site, clean_symptoms = None, "", []
    clean_note = " ".join((note or "").split())
    if len(clean_note) > 200:
        errors["note"] = "备注不能超过 200 个字。"
    if outcome != VisitOutcome.COOPERATIVE and not clean_note and "note" not in errors:
        errors["note"] = "请简要写明情况，例如“电话无人接听”。"
    if errors:
        raise ValidationError(errors)
    return CleanCheckin(
        day=day,
        slot=slot.code,
        measured_at=measured,
        temperature=value,
        site=clean_site,
        symptoms=clean_symptoms,
        outcome=outcome,
        note=clean_note,
        is_fever=value is not None and value >= policy.fever_threshold,
    )


def checkin_record(
    *,
    observation: Observation,
    client_uuid: uuid.UUID,
    source: str,
    temperature: object = None,
    site: str = "",
    symptoms: Sequence[str] = (),
    outcome: str = VisitOutcome.COOPERATIVE,
    note: str = "",
    measured_at: datetime | None = None,
    corrects: CheckIn | None = None,
    actor: Any = None,
    now: datetime | None = None,
    answer: Callable[[CheckIn], IdempotencyRecord | None] | None = None,
) -> tuple[CheckIn, bool]:
    """Record a check-in (记录体温); return (check-in, created).

    A replayed `client_uuid` returns the first check-in unchanged (created False), whatever
    the replay carries. `corrects` makes this check-in the correction of an earlier one of
    the same observation; the earlier one stops counting, and an alert it raised is resolved
    as a typo when the correction is normal.

    `answer(checkin)` gives the record of the API's answer (its Idempotency-Key), unsaved,
    or None: it is written with the check-in, in its transaction or its one statement, and
    created True means it committed with it.

    Precondition: `observation` was read through a scoped selector (or a valid personal link)
    with its policy loaded; the person and unit are read when an alert needs them.
    """
    now = now or timezone.now()
    # No look-up of the client UUID before the insert: a fresh UUID is the normal case, and
    # the unique index finds a replay anyway. A replay is answered with its first record
    # whatever it carries now, so a refused or conflicting replay looks for it afterwards.
    try:
        clean = checkin_clean(
            observation=observation,
            source=source,
            temperature=temperature,
            site=site,
            symptoms=symptoms,
            outcome=outcome,
            note=note,
            measured_at=measured_at,
            now=now,
        )
        if corrects is not None and corrects.observation_id != observation.pk:
            raise ValidationError({"corrects": "只能更正同一位观察对象的记录。"})
    except ValidationError:
        replay = _replayed(client_uuid, observation)
        if replay is not None:
            return replay, False
        raise
    checkin = CheckIn(
        observation=observation,
        unit_code=observation.unit_code,
        day=clean.day,
        slot=clean.slot,
        measured_at=clean.measured_at,
        temperature=clean.temperature,
        site=clean.site,
        symptoms=clean.symptoms,
        source=source,
        outcome=clean.outcome,
        note=clean.note,
        is_fever=clean.is_fever,
        corrects=corrects,
        client_uuid=client_uuid,
        recorded_by=actor,
    )
    try:
        if _plain(observation, checkin, now):
            # Most check-ins: nothing to raise or answer, one statement (decision 0007).
            stored = None
            if answer is not None:
                checkin.id = 0  # a stand-in: the statement writes the new id into the answer
                stored = answer(checkin)
                checkin.id = None
            advance = checkin.measured_at if checkin.is_seen else None
            plain_checkin_write(checkin, stored, advance=advance)
        else:
            with transaction.atomic():
                fastsql.insert(checkin)  # its statement is built once
                _after_checkin(observation, checkin, corrects, actor=actor, now=now)
                stored = answer(checkin) if answer is not None else None
                if stored is not None:
                    fastsql.insert(stored)
    except IntegrityError:
        # A replay, or a concurrent twin with the same UUID that committed first: its
        # record is the answer.
        replay = _replayed(client_uuid, observation)
        if replay is not None:
            return replay, False
        if corrects is not None:
            raise ValidationError({"corrects": ALREADY_CORRECTED}) from None
        raise
    return checkin, True


def _plain(observation: Observation, checkin: CheckIn, now: datetime) -> bool:
    """A check-in that corrects nothing, raises no alert and answers no missed one, on a
    database that takes it in one statement."""
    return (
        checkin.corrects_id is None
        and _alert_kind(checkin) is None
        and not (checkin.is_seen and _slot_missed_since(observation, now))
        and one_statement()
    )


def _replayed(client_uuid: uuid.UUID, observation: Observation) -> CheckIn | None:
    """The check-in already stored under `client_uuid`, if any; one of another observation
    is refused."""
    existing = CheckIn.objects.filter(client_uuid=client_uuid).first()
    if existing is not None and existing.observation_id != observation.pk:
        raise ValidationError({"client_uuid": "该 client_uuid 已用于另一位观察对象的记录。"})
    return existing


def _after_checkin(
    observation: Observation,
    checkin: CheckIn,
    corrects: CheckIn | None,
    *,
    actor: Any,
    now: datetime,
) -> None:
    """What a check-in sets off, inside its transaction: the observation's last check-in,
    a late check-in answering its missed alert, a correction undoing a typo's alert, and the
    alert of an abnormal check-in."""
    if checkin.is_seen:
        last_checkin_advance(observation.pk, checkin.measured_at)
        # Seen again: the missed alerts waiting for this person are answered. Only when a
        # whole slot passed since the last check-in can one be waiting (each check-in
        # answers the earlier ones), so the normal path skips the query.
        if _slot_missed_since(observation, now):
            Alert.objects.filter(
                observation=observation, kind=AlertKind.MISSED, status__in=UNRESOLVED
            ).update(
                status=AlertStatus.RESOLVED,
                resolved_at=now,
                resolved_by=actor,
                resolution=Resolution.LATE_CHECKIN,
            )
    if corrects is not None and checkin.is_ok:
        Alert.objects.filter(checkin=corrects, status__in=UNRESOLVED).update(
            status=AlertStatus.RESOLVED,
            resolved_at=now,
            resolved_by=actor,
            resolution=Resolution.CORRECTED,
        )
    kind = _alert_kind(checkin)
    if kind is not None:
        alert_raise(observation=observation, kind=kind, checkin=checkin, now=now)


def _slot_missed_since(observation: Observation, now: datetime) -> bool:
    """Whether a whole slot window lay between the previous check-in (or the start) and now:
    only then can a missed alert be waiting."""
    since = observation.last_checkin_at or observation.started_at
    return bool(
        slot_rules.due_slots(
            observation.policy,
            first_day=timezone.localdate(since),
            last_day=timezone.localdate(now),
            after=since,
            now=now,
            opened_after=since,
        )
    )


def _alert_kind(checkin: CheckIn) -> str | None:
    if checkin.is_fever:
        return AlertKind.FEVER
    if checkin.symptoms:
        return AlertKind.SYMPTOM
    if checkin.outcome == VisitOutcome.UNCOOPERATIVE:
        return AlertKind.REFUSED
    return None


def _alert_text(observation: Observation, kind: str, checkin: CheckIn) -> str:
    who = f"{observation.unit.name} {mask_name(observation.person.name)}"
    labels = {s["code"]: s["label"] for s in observation.policy.symptoms}
    symptoms = "、".join(labels.get(s, s) for s in checkin.symptoms)
    if kind == AlertKind.FEVER:
        detail = f"体温 {checkin.temperature} °C" + (f"，{symptoms}" if symptoms else "")
        return f"【发热预警】{who}：{detail}，请立即核实处置。"
    if kind == AlertKind.SYMPTOM:
        return f"【症状预警】{who}：{symptoms}，请立即核实处置。"
    return f"【拒绝配合】{who} 不配合体温监测，请上门做工作。"


def alert_raise(*, observation: Observation, kind: str, checkin: CheckIn, now: datetime) -> Alert:
    """Raise a fever, symptom or refusal alert at once (早报告), or return the unresolved one
    of the same kind: a person with a fever for three checks has one alert, not three.

    The grid worker, the health worker, the village's workers and the township health centre
    are told through the outbox.
    """
    current = Alert.objects.filter(
        observation=observation, kind=kind, status__in=UNRESOLVED
    ).first()
    if current is not None:
        return current
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                observation=observation,
                unit_code=observation.unit_code,
                kind=kind,
                checkin=checkin,
                day=checkin.day,
                slot=checkin.slot,
                temperature=checkin.temperature,
                symptoms=checkin.symptoms,
                raised_at=now,
            )
    except IntegrityError:
        return Alert.objects.get(observation=observation, kind=kind, status__in=UNRESOLVED)
    recipients = [observation.grid_worker, observation.health_worker]
    recipients += answerers(unit_code=observation.unit_code, level="village")
    if kind in (AlertKind.FEVER, AlertKind.SYMPTOM):
        recipients += township_health_workers(unit_code=observation.unit_code)
    text = _alert_text(observation, kind, checkin)
    notify(recipients=recipients, text=text, now=now, alert=alert)
    return alert


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def checkin_token_issue(
    *, actor: Any, observation: Observation, now: datetime | None = None
) -> tuple[CheckinToken, str]:
    """A new personal self check-in link (for the door notice's QR code or a message).

    Returns the row and the raw token, which exists only in this answer: the database keeps
    its SHA-256. Earlier links stay valid until revoked.
    """
    if observation.status != ObservationStatus.ACTIVE:
        raise ValidationError({"observation": "只有观察中的对象才能生成自报二维码。"})
    raw = secrets.token_urlsafe(32)
    token = CheckinToken.objects.create(
        observation=observation,
        token_hash=_hash(raw),
        created_at=now or timezone.now(),
        created_by=actor,
    )
    return token, raw


def checkin_tokens_revoke(
    *, actor: Any, observation: Observation, now: datetime | None = None
) -> int:
    """Revoke every personal link of the observation (a lost phone, a leaked photo)."""
    return CheckinToken.objects.filter(observation=observation, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_by=actor
    )


def checkin_token_find(raw: str) -> CheckinToken | None:
    """The active link for a raw token, with its observation ready for a check-in."""
    if not raw or len(raw) > 100:
        return None
    return (
        CheckinToken.objects.select_related(
            "observation__policy", "observation__person", "observation__unit"
        )
        .filter(token_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )


def checkin_token_hit(*, token: CheckinToken, now: datetime | None = None) -> bool:
    """Count one submission through a link; False when it is over the rate limit.

    One conditional UPDATE: safe across processes without any cache.
    """
    now = now or timezone.now()
    window_start = now - RATE_WINDOW
    fresh = CheckinToken.objects.filter(pk=token.pk).filter(
        Q(window_started_at__isnull=True) | Q(window_started_at__lt=window_start)
    )
    if fresh.update(window_started_at=now, window_hits=1, last_used_at=now):
        return True
    return bool(
        CheckinToken.objects.filter(pk=token.pk, window_hits__lt=RATE_LIMIT).update(
            window_hits=F("window_hits") + 1, last_used_at=now
        )
    )
