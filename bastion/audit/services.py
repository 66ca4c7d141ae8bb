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


SYSTEM_USERNAME = "bastion-system"


def system_user() -> Any:
    """The account that stands for the system itself in the log (the retention purge run from
    the command line or a timer). Inactive, without a usable password: nobody logs in as it."""
    from bastion.accounts.models import User

    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "display_name": "系统"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
