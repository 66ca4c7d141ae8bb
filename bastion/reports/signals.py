"""Keeps the daily roll-ups exact (decision 0006): a passage, an occupant or a check-in
written, changed or deleted for a closed day gives that day (and, for a change of time, its
former day) a new stamp once the write has committed. Occupants are bulk-created with their
passage (same moment), whose save stamps the day. Check-ins are never updated: a correction is
a new check-in, which touches the corrected one's day too.

After the commit, not inside the writer's transaction: a reader that rolled the day up before
the fact was visible finds a new stamp afterwards (it waits for the stamp's row lock if it is
rolling the day up at that moment), and the writer holds no lock on the stamp meanwhile.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from bastion.checkpoints.models import PassengerCheck, VehiclePassage
from bastion.observation.models import CheckIn
from bastion.reports import rollups


def _after_commit(days: list[date], source: str) -> None:
    transaction.on_commit(lambda: rollups.days_touched(days, source=source))


def _touched(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.occurred_at is not None:
        _after_commit([rollups.day_of(instance.occurred_at)], rollups.SOURCE)


def _before_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A changed fact may leave its former day: that day is touched too."""
    update_fields = kwargs.get("update_fields")
    if instance.pk is None or kwargs.get("raw"):
        return
    if update_fields is not None and "occurred_at" not in update_fields:
        return  # e.g. an occupant linked to the signal it raised: its time did not change
    former = sender.objects.filter(pk=instance.pk).values_list("occurred_at", flat=True).first()
    if former is not None and former != instance.occurred_at:
        _after_commit([rollups.day_of(former)], rollups.SOURCE)


def _checkin_written(sender: Any, instance: CheckIn, **kwargs: Any) -> None:
    """A check-in touches its day; a correction also the day of the check-in it supersedes."""
    day, corrects_id = instance.day, instance.corrects_id

    def touch() -> None:
        days = [day]
        if corrects_id is not None:
            days.extend(CheckIn.objects.filter(pk=corrects_id).values_list("day", flat=True))
        rollups.days_touched(days, source=rollups.CHECKINS)

    transaction.on_commit(touch)


def connect() -> None:
    for model in (VehiclePassage, PassengerCheck):
        name = model.__name__
        pre_save.connect(_before_change, sender=model, dispatch_uid=f"rollup-pre-{name}")
        post_save.connect(_touched, sender=model, dispatch_uid=f"rollup-save-{name}")
        post_delete.connect(_touched, sender=model, dispatch_uid=f"rollup-del-{name}")
    post_save.connect(_checkin_written, sender=CheckIn, dispatch_uid="rollup-save-CheckIn")
    post_delete.connect(_checkin_written, sender=CheckIn, dispatch_uid="rollup-del-CheckIn")
