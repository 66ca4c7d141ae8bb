"""Writing the access log. Only creates rows: the log is append-only."""

from typing import Any

from bastion.audit.models import AccessLog, Action


def access_log_write(
    *,
    user: Any,
    action: Action | str,
    object_type: str,
    object_id: object = "",
    unit_code: str = "",
    field: str = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
    channel: str = "web",
) -> AccessLog:
    """Record one read, list, export, reveal or change of personal data (who, what, why)."""
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        unit_code=unit_code,
        field=field,
        reason=reason[:200],
        detail=detail or {},
        channel=channel,
    )
