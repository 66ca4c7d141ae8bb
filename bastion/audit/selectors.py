"""Reading the access log: auditors see the entries of their jurisdiction."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from bastion.accounts.jurisdiction import scoped
from bastion.accounts.roles import Capability
from bastion.audit.models import AccessLog


def access_log_list(
    *,
    user: Any,
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AccessLog]:
    qs = scoped(user, AccessLog.objects.select_related("user"), Capability.VIEW_ACCESS_LOG)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(user__username=actor)
    if action:
        qs = qs.filter(action=action)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs
