"""Writes of alerts (预警): acknowledge, resolve, and the clock-driven work — missed check-ins
when a slot's window closes, escalation of unacknowledged alerts (village → township →
county). `alerts_escalate(now=...)` does the clock-driven work; it is idempotent, so the
worker may run it every minute and tests may run it at any instant they like.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.core.errors import ValidationError
from bastion.core.masking import mask_name
from bastion.observation import slots as slot_rules
from bastion.observation.models import (
    Alert,
    AlertKind,
    AlertLevel,
    AlertStatus,
    CheckIn,
    Observation,
    ObservationStatus,
    Resolution,
    VisitOutcome,
)
from bastion.observation.services.outbox import answerers, notify

# A resolution a worker may choose by hand; the others are set by the system.
MANUAL_RESOLUTIONS = (Resolution.RECHECKED_NORMAL, Resolution.CONTACTED)


def alert_acknowledge(*, actor: Any, alert: Alert, now: datetime | None = None) -> Alert:
    """确认预警: someone has seen it and acts. Its time is the "reported" step of 五早.
    Acknowledging twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        current = Alert.objects.select_for_update().get(pk=alert.pk)
        if current.status == AlertStatus.OPEN:
            current.status = AlertStatus.ACKNOWLEDGED
            current.acknowledged_at = now
            current.acknowledged_by = actor
            current.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    return current


def alerts_acknowledge_missed(
    *, actor: Any, observation: Observation, now: datetime | None = None
) -> int:
    """确认全部漏报: the worker has seen the person's missed check-ins and follows up (one
    tap instead of one per slot). Returns how many were acknowledged."""
    now = now or timezone.now()
    return Alert.objects.filter(
        observation=observation, kind=AlertKind.MISSED, status=AlertStatus.OPEN
    ).update(status=AlertStatus.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=actor)


def alert_resolve(
    *, actor: Any, alert: Alert, resolution: str, note: str = "", now: datetime | None = None
) -> Alert:
    """处置预警: close it as normal on re-check or as handled (contacted). Referral resolves
    it through `case_refer`. An open alert is acknowledged at the same moment."""
    now = now or timezone.now()
    clean = " ".join((note or "").split())
    errors: dict[str, str] = {}
    if resolution not in MANUAL_RESOLUTIONS:
        errors["resolution"] = "请选择处置结果：复测正常或已联系处置。"
    if len(clean) > 200:
        errors["note"] = "说明不能超过 200 个字。"
    elif not clean:
        errors["note"] = "请简要写明处置情况。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Alert.objects.select_for_update().get(pk=alert.pk)
        if current.status == AlertStatus.RESOLVED:
            raise ValidationError(
                {"resolution": f"该预警已处置（{current.get_resolution_display()}）。"}
            )
        if current.acknowledged_at is None:
            current.acknowledged_at = now
            current.acknowledged_by = actor
        current.status = AlertStatus.RESOLVED
        current.resolution = resolution
        current.resolved_at = now
        current.resolved_by = actor
        current.note = clean
        current.save()
    return current


@dataclass
class TickResult:
    missed: int = 0
    to_township: int = 0
    to_county: int = 0


def alerts_escalate(*, now: datetime | None = None) -> TickResult:
    """The clock's work, idempotent: raise missed alerts for slots whose window has closed,
    then escalate open alerts not acknowledged in time — to the township after the policy's
    `escalate_after_minutes`, to the county after twice that."""
    now = now or timezone.now()
    result = TickResult(missed=alerts_raise_missed(now=now))
    result.to_township, result.to_county = _escalate(now=now)
    return result


def alerts_raise_missed(*, now: datetime) -> int:
    """Missed alerts (漏报) for every due slot of every active observation without a check-in.

    A slot that closed before the observation started was never due, and one that closed
    before the person was last seen is answered by that check-in; an "unavailable" attempt
    does not fill a slot, a refusal does (it has its own alert). Three queries, whatever the
    number of observations.
    """
    today = timezone.localdate(now)
    observations = list(
        Observation.objects.filter(status=ObservationStatus.ACTIVE, start_date__lte=today)
        .select_related("policy", "person", "unit", "grid_worker")
        .order_by("pk")
    )
    if not observations:
        return 0
    ids = [o.pk for o in observations]
    filled = set(
        CheckIn.objects.filter(observation_id__in=ids, correction__isnull=True)
        .exclude(outcome=VisitOutcome.UNAVAILABLE)
        .values_list("observation_id", "day", "slot")
    )
    raised = set(
        Alert.objects.filter(observation_id__in=ids, kind=AlertKind.MISSED).values_list(
            "observation_id", "day", "slot"
        )
    )
    new: list[Alert] = []
    for obs in observations:
        for day, slot in slot_rules.due_slots(
            obs.policy,
            first_day=obs.start_date,
            last_day=min(today, obs.planned_end),
            after=max(obs.started_at, obs.last_checkin_at or obs.started_at),
            now=now,
        ):
            key = (obs.pk, day, slot.code)
            if key in filled or key in raised:
                continue
            new.append(
                Alert(
                    observation=obs,
                    unit_code=obs.unit_code,
                    kind=AlertKind.MISSED,
                    day=day,
                    slot=slot.code,
                    raised_at=now,
                )
            )
    if not new:
        return 0
    created = _create_missed(new)
    by_worker: dict[int, list[Alert]] = defaultdict(list)
    workers = {}
    for alert in created:
        worker = alert.observation.grid_worker
        if worker is not None:
            by_worker[worker.pk].append(alert)
            workers[worker.pk] = worker
    with transaction.atomic():
        for pk, alerts in by_worker.items():
            names = "、".join(sorted({mask_name(a.observation.person.name) for a in alerts}))
            notify(
                recipients=[workers[pk]],
                text=f"【漏报】{len(alerts)} 次体温未按时上报（{names}），请尽快联系核实。",
                now=now,
            )
    return len(created)


def _create_missed(new: list[Alert]) -> list[Alert]:
    """Insert at once; if a concurrent run got there first, one by one, skipping its rows."""
    try:
        with transaction.atomic():
            return Alert.objects.bulk_create(new)
    except IntegrityError:
        created = []
        for alert in new:
            try:
                with transaction.atomic():
                    alert.save()
            except IntegrityError:
                continue
            created.append(alert)
        return created


def _escalate(*, now: datetime) -> tuple[int, int]:
    counts = {AlertLevel.TOWNSHIP: 0, AlertLevel.COUNTY: 0}
    minutes_by_policy = dict(
        Alert.objects.filter(
            status=AlertStatus.OPEN, level__in=[AlertLevel.VILLAGE, AlertLevel.TOWNSHIP]
        )
        .values_list("observation__policy_id", "observation__policy__escalate_after_minutes")
        .distinct()
    )
    for policy_id, minutes in minutes_by_policy.items():
        period = timedelta(minutes=minutes)
        # County first: an alert two periods old goes straight there, even if the clock
        # missed the township step.
        for level, earlier, cutoff in (
            (AlertLevel.COUNTY, [AlertLevel.VILLAGE, AlertLevel.TOWNSHIP], now - 2 * period),
            (AlertLevel.TOWNSHIP, [AlertLevel.VILLAGE], now - period),
        ):
            with transaction.atomic():
                due = list(
                    Alert.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("observation__person", "observation__unit")
                    .filter(
                        status=AlertStatus.OPEN,
                        level__in=earlier,
                        raised_at__lte=cutoff,
                        observation__policy_id=policy_id,
                    )
                )
                if not due:
                    continue
                Alert.objects.filter(pk__in=[a.pk for a in due]).update(
                    level=level, escalated_at=now
                )
                for alert in due:
                    _notify_escalation(alert, level, now)
                counts[level] += len(due)
    return counts[AlertLevel.TOWNSHIP], counts[AlertLevel.COUNTY]


def _notify_escalation(alert: Alert, level: str, now: datetime) -> None:
    observation = alert.observation
    waited = int((now - alert.raised_at).total_seconds() // 60)
    text = (
        f"【预警上报】{observation.unit.name} {mask_name(observation.person.name)}的"
        f"{alert.get_kind_display()}预警已 {waited} 分钟无人确认，请督促处置。"
    )
    notify(
        recipients=answerers(unit_code=alert.unit_code, level=level),
        text=text,
        now=now,
        alert=alert,
    )
