"""Check-in slots (测温时段) of a policy and their time windows, in local (Beijing) time.

A policy's `slots` hold e.g. morning 06:00–12:00 and evening 16:00–22:00. A measurement
belongs to the last slot that had opened by its local time (a 13:00 report is a late morning
one), or to the first slot of the day when it was taken before any opened. A slot is due once
its window has closed; then a missing check-in is "missed".
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.utils import timezone

from bastion.observation.models import Policy


@dataclass(frozen=True)
class Slot:
    code: str
    label: str
    opens: time
    closes: time


class CellState(StrEnum):
    """A day × slot cell of the observation grid (Go.Data's daily codes)."""

    SEEN_OK = "seen_ok"
    SEEN_NOT_OK = "seen_not_ok"
    MISSED = "missed"
    NOT_DUE = "not_due"
    NOT_APPLICABLE = "not_applicable"


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def policy_slots(policy: Policy) -> list[Slot]:
    return [
        Slot(
            code=str(s["code"]),
            label=str(s.get("label", s["code"])),
            opens=_clock(str(s["opens"])),
            closes=_clock(str(s["closes"])),
        )
        for s in policy.slots
    ]


def slot_labels(policy: Policy) -> dict[str, str]:
    return {s.code: s.label for s in policy_slots(policy)}


def window(slot: Slot, day: date) -> tuple[datetime, datetime]:
    """The aware start and end of `slot` on `day`."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(day, slot.opens, tzinfo=tz),
        datetime.combine(day, slot.closes, tzinfo=tz),
    )


def slot_for(policy: Policy, moment: datetime) -> tuple[date, Slot]:
    """The day and slot a measurement taken at `moment` counts for."""
    local = timezone.localtime(moment)
    slots = policy_slots(policy)
    chosen = slots[0]
    for slot in slots:
        if slot.opens <= local.time():
            chosen = slot
    return local.date(), chosen


def slot_by_code(policy: Policy, code: str) -> Slot | None:
    return next((s for s in policy_slots(policy) if s.code == code), None)


def is_open_now(slot: Slot, day: date, now: datetime) -> bool:
    opens, closes = window(slot, day)
    return opens <= now < closes


def due_slots(
    policy: Policy,
    *,
    first_day: date,
    last_day: date,
    after: datetime,
    now: datetime,
    opened_after: datetime | None = None,
) -> list[tuple[date, Slot]]:
    """Every (day, slot) from `first_day` to `last_day` whose window closed by `now` and
    after `after` (a slot that closed before the observation started was never due), and,
    with `opened_after`, that opened after it."""
    result = []
    slots = policy_slots(policy)
    day = first_day
    while day <= last_day:
        for slot in slots:
            opens, closes = window(slot, day)
            if opened_after is not None and opens <= opened_after:
                continue
            if after < closes <= now:
                result.append((day, slot))
        day += timedelta(days=1)
    return result
