"""The notification outbox (通知发件箱): messages are written in the transaction that causes
them and delivered after it commits, by the configured sender."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from bastion.accounts.models import User
from bastion.accounts.roles import Role
from bastion.observation.models import Alert, AlertLevel, Notification, NotificationStatus
from bastion.observation.notify import get_sender
from bastion.orgs.models import Level

MAX_ATTEMPTS = 5

# Who answers an alert at each level: the roles, and the levels of the units they sit in.
ANSWERERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    AlertLevel.VILLAGE: ((Role.VILLAGE_WORKER,), (Level.VILLAGE, Level.GRID)),
    AlertLevel.TOWNSHIP: ((Role.TOWNSHIP_OFFICER, Role.HEALTH_WORKER), (Level.TOWNSHIP,)),
    AlertLevel.COUNTY: ((Role.COUNTY_COMMAND, Role.HEALTH_WORKER), (Level.COUNTY,)),
}


def _prefixes(code: str) -> list[str]:
    return [code[:i] for i in range(1, len(code) + 1)]


def answerers(*, unit_code: str, level: str) -> list[User]:
    """The accounts that answer alerts of `unit_code` at `level`, in one query."""
    roles, unit_levels = ANSWERERS[level]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=roles,
            memberships__unit__level__in=unit_levels,
            memberships__unit__scope_prefix__in=_prefixes(unit_code),
        )
        .distinct()
        .order_by("pk")
    )


def township_health_workers(*, unit_code: str) -> list[User]:
    """The township health centre (乡镇卫生院) hears of a fever at once (早报告)."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.HEALTH_WORKER,
            memberships__unit__level=Level.TOWNSHIP,
            memberships__unit__scope_prefix__in=_prefixes(unit_code),
        )
        .distinct()
        .order_by("pk")
    )


def notify(
    *, recipients: Iterable[Any], text: str, now: datetime, alert: Alert | None = None
) -> int:
    """Queue one message per distinct recipient; delivery starts once the caller commits."""
    unique = {u.pk: u for u in recipients if u is not None}
    if not unique:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(recipient=u, alert=alert, text=text[:300], created_at=now)
            for u in unique.values()
        ]
    )
    transaction.on_commit(_enqueue_delivery)
    return len(unique)


def _enqueue_delivery() -> None:
    from bastion.observation.tasks import outbox_deliver_task

    outbox_deliver_task.enqueue()


def outbox_deliver(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send pending messages; a failure is retried up to MAX_ATTEMPTS times. Returns the
    number sent. Safe to run in several workers: each message is claimed under a row lock."""
    now = now or timezone.now()
    sender = get_sender()
    sent = 0
    ids = list(
        Notification.objects.filter(status=NotificationStatus.PENDING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            message = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(pk=pk, status=NotificationStatus.PENDING)
                .first()
            )
            if message is None:
                continue
            message.attempts += 1
            try:
                sender.send(recipient=message.recipient, text=message.text)
            except Exception as e:
                message.last_error = str(e)[:200]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = NotificationStatus.FAILED
            else:
                message.status = NotificationStatus.SENT
                message.sent_at = now
                sent += 1
            message.sender = sender.name
            message.save(update_fields=["attempts", "last_error", "status", "sent_at", "sender"])
    return sent
