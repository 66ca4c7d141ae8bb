"""Reads for observation. `policy_for` is how every domain finds the rules in force."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from bastion.observation.models import Policy


def policy_for(*, unit_code: str, on: date | None = None) -> Policy:
    """The policy in force for a unit on a day: its county's override if there is one,
    else the deployment default. With no policy stored yet, the DOMAIN.md defaults (unsaved)."""
    on = on or timezone.localdate()
    county_code = unit_code[:6].ljust(12, "0")
    candidates = (
        Policy.objects.filter(effective_from__lte=on)
        .filter(Q(county__isnull=True) | Q(county__code=county_code))
        .order_by("county_id", "-effective_from", "-version")
    )
    chosen = None
    for policy in candidates:
        # County overrides win over the default; among each, the newest.
        if policy.county_id is not None:
            return policy
        chosen = chosen or policy
    return chosen or Policy(version=0, name="默认策略", effective_from=on)
