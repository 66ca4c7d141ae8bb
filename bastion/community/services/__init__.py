"""Writes of the community app: gatherings (酒宴) and disinfection (消毒消杀)."""

from bastion.community.services.disinfection import (
    run_record,
    site_create,
    site_in_scope,
    site_update,
    spread_times,
)
from bastion.community.services.gatherings import (
    gathering_attendees_set,
    gathering_create,
    gathering_update,
    guest_limit_for,
    limit_message,
)

__all__ = [
    "gathering_attendees_set",
    "gathering_create",
    "gathering_update",
    "guest_limit_for",
    "limit_message",
    "run_record",
    "site_create",
    "site_in_scope",
    "site_update",
    "spread_times",
]
