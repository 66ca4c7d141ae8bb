"""Background tasks (django-tasks): the alert clock and the outbox delivery."""

from typing import Any

from django.utils import timezone
from django_tasks import task

from bastion.observation.services import alerts_escalate, outbox_deliver


@task()
def alerts_escalate_task() -> dict[str, Any]:
    """Missed check-ins and escalation, as of now; then deliver what they queued."""
    result = alerts_escalate(now=timezone.now())
    sent = outbox_deliver()
    return {**result.__dict__, "sent": sent}


@task()
def outbox_deliver_task() -> int:
    return outbox_deliver()
