"""Access logging of the roadside log's personal data (names, ID numbers, phones)."""

from typing import Any

from bastion.audit.models import Action
from bastion.audit.services import access_log_write


def passage_list_log(
    *,
    actor: Any,
    action: Action,
    count: int,
    unit_code: str = "",
    channel: str = "web",
    **detail: Any,
) -> None:
    """Log a list or lookup of passages. `detail` names what was searched by (plate, id_number
    or phone), never the value itself."""
    access_log_write(
        user=actor,
        action=action,
        object_type="vehicle_passage",
        unit_code=unit_code,
        detail={"count": count, **detail},
        channel=channel,
    )


def passage_view_log(*, actor: Any, passage_id: int, unit_code: str, channel: str = "web") -> None:
    access_log_write(
        user=actor,
        action=Action.VIEW,
        object_type="vehicle_passage",
        object_id=passage_id,
        unit_code=unit_code,
        channel=channel,
    )


def roster_export_log(*, actor: Any, unit_code: str, week: str, rows: int) -> None:
    access_log_write(
        user=actor,
        action=Action.EXPORT,
        object_type="duty_roster",
        unit_code=unit_code,
        detail={"week": week, "rows": rows},
    )
