"""Access log entries for reads of observation data (health data: PIPL art. 28)."""

from typing import Any

from bastion.accounts.jurisdiction import active_memberships
from bastion.audit.models import Action
from bastion.audit.services import access_log_write


def observation_access_log(
    *,
    actor: Any,
    action: Action | str,
    object_type: str,
    object_id: object = "",
    unit_code: str = "",
    channel: str = "web",
    **detail: Any,
) -> None:
    """Record a view or list of observations, check-ins, alerts or cases: filters and counts,
    never the health values themselves."""
    if not unit_code:
        memberships = active_memberships(actor)
        unit_code = memberships[0].unit.code if memberships else ""
    access_log_write(
        user=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        unit_code=unit_code,
        detail={k: v for k, v in detail.items() if v not in (None, "")},
        channel=channel,
    )
