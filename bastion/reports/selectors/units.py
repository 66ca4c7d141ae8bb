"""Which units' reports a user may open (VIEW_REPORTS), scoped like every other read."""

from typing import Any

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.orgs.models import OrgUnit

VIEW = Capability.VIEW_REPORTS


def report_unit_get(*, user: Any, code: str) -> OrgUnit:
    """The unit `code` if the user may read its report; Http404 if missing or out of scope."""
    return get_scoped_or_404(
        user, OrgUnit.objects.select_related("parent"), VIEW, field="code", code=code
    )


def report_parent(*, user: Any, unit: OrgUnit) -> OrgUnit | None:
    """The unit one level up, when the user may read its report (for the 'up' link)."""
    if unit.parent_id is None:
        return None
    return scoped(user, OrgUnit.objects.filter(pk=unit.parent_id), VIEW, field="code").first()
