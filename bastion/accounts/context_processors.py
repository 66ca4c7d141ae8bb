from typing import Any

from django.http import HttpRequest

from bastion.accounts.jurisdiction import active_memberships


def acting_user(request: HttpRequest) -> dict[str, Any]:
    memberships = active_memberships(request.user) if hasattr(request, "user") else []
    from bastion.core.navigation import areas_for

    return {
        "memberships": memberships,
        "primary_unit": memberships[0].unit if memberships else None,
        "areas": areas_for(request.user) if memberships else [],
    }
