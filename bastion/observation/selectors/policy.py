"""Reads for observation. `policy_for` is how every domain finds the rules in force."""

from datetime import date
from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from bastion.accounts.jurisdiction import scoped
from bastion.accounts.roles import Capability
from bastion.observation.models import Policy
from bastion.orgs.models import Kind, Level, OrgUnit


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


# Policy versions by primary key, per process. A version is never edited once in use (a
# change is a new version: services.policies), so the check-in path reads it from memory
# instead of joining it to every observation it loads. Any save or delete through the ORM
# empties the memory all the same (tests reuse primary keys on SQLite).
_versions: dict[int, Policy] = {}


def policy_get(pk: int) -> Policy:
    """The policy version `pk`, shared read-only between requests: do not modify it."""
    policy = _versions.get(pk)
    if policy is None:
        policy = Policy.objects.get(pk=pk)
        if len(_versions) > 1000:
            _versions.clear()
        _versions[pk] = policy
    return policy


def _forget_versions(**_: Any) -> None:
    _versions.clear()


post_save.connect(_forget_versions, sender=Policy, dispatch_uid="policy_versions_save")
post_delete.connect(_forget_versions, sender=Policy, dispatch_uid="policy_versions_delete")


def policy_slot_labels(policy: Policy) -> dict[str, str]:
    """{"morning": "早", ...} of a policy version."""
    return {str(s["code"]): str(s.get("label", s["code"])) for s in policy.slots}


def policy_counties(*, user: Any) -> list[OrgUnit]:
    """Counties the user may write a policy version for."""
    return list(
        scoped(
            user,
            OrgUnit.objects.filter(level=Level.COUNTY, kind=Kind.TERRITORIAL, is_active=True),
            Capability.MANAGE_POLICY,
        ).order_by("code")
    )


def policy_versions(*, user: Any) -> list[Policy]:
    """The deployment's versions and those of the counties in the user's jurisdiction."""
    counties = scoped(
        user, OrgUnit.objects.filter(level=Level.COUNTY), Capability.VIEW_OBSERVATIONS
    )
    return list(
        Policy.objects.filter(Q(county__isnull=True) | Q(county__in=counties))
        .select_related("county", "created_by")
        .order_by("county__code", "-version")
    )
