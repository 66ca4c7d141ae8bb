"""Scoped reads of checkpoints (卡点), their destinations and the origin list."""

from typing import Any

from django.db.models import Q, QuerySet
from pypinyin import lazy_pinyin

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.models import Membership, User
from bastion.accounts.roles import Capability, Role
from bastion.checkpoints.models import Checkpoint
from bastion.mobilisation.models import Member
from bastion.orgs.models import Kind, Level, OrgUnit

VIEW = Capability.VIEW_CHECKPOINTS


def _checkpoints() -> QuerySet[Checkpoint]:
    return Checkpoint.objects.select_related("unit", "unit__parent", "responsible_unit")


def checkpoint_list(
    *, user: Any, capability: Capability = VIEW, under: OrgUnit | None = None
) -> QuerySet[Checkpoint]:
    """The checkpoints in the user's jurisdiction, optionally only those under `under`."""
    qs = scoped(user, _checkpoints(), capability)
    if under is not None:
        qs = qs.filter(unit_code__startswith=under.scope_prefix)
    return qs.order_by("unit_code")


def checkpoint_get(*, user: Any, code: str, capability: Capability = VIEW) -> Checkpoint:
    return get_scoped_or_404(user, _checkpoints(), capability, unit_code=code)


def _text_condition(q: str) -> Q:
    condition = Q(search_text__contains=q)
    if any("\u4e00" <= ch <= "\u9fff" for ch in q):
        condition |= Q(search_text__contains="".join(lazy_pinyin(q)))
    return condition


def destination_search(*, checkpoint: Checkpoint, q: str, limit: int = 12) -> list[OrgUnit]:
    """Counties, townships and villages of the checkpoint's city matching `q` (name, pinyin
    initials or code prefix), villages first.

    Not scoped to the caller: an officer at a toll gate must send a car to any village of the
    city, and the names of administrative divisions are public. The caller reached this
    checkpoint through the scoping function.
    """
    q = q.strip().lower()[:40]
    if not q:
        return []
    units = OrgUnit.objects.filter(
        kind=Kind.TERRITORIAL,
        is_active=True,
        level__in=[Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE],
        code__startswith=checkpoint.unit_code[:4],
    ).select_related("parent")
    units = units.filter(code__startswith=q) if q.isdigit() else units.filter(_text_condition(q))
    return list(units.order_by("-depth", "code")[:limit])


def destination_get(*, checkpoint: Checkpoint, code: str) -> OrgUnit | None:
    """A destination by code, if it is a territorial unit of the checkpoint's city."""
    if not code.startswith(checkpoint.unit_code[:4]):
        return None
    return (
        OrgUnit.objects.filter(code=code, kind=Kind.TERRITORIAL, is_active=True)
        .exclude(level=Level.CITY)
        .select_related("parent")
        .first()
    )


def responsible_candidates(*, user: Any, parent: OrgUnit) -> list[OrgUnit]:
    """Units that can answer for a checkpoint under `parent`: the parent, the territorial
    units above it in the county, and the departments of the county (公安、卫健、交通…)."""
    county = parent.code[:6]
    units = scoped(
        user,
        OrgUnit.objects.filter(code__startswith=county, is_active=True).filter(
            Q(kind=Kind.DEPARTMENT)
            | Q(code=parent.code)
            | Q(kind=Kind.TERRITORIAL, code__in=[county.ljust(12, "0"), parent.code[:9] + "000"])
        ),
        Capability.VIEW_UNITS,
    )
    return list(units.order_by("depth", "code")[:100])


DUTY_ROLES = (
    Role.CHECKPOINT_OFFICER,
    Role.HEALTH_WORKER,
    Role.TOWNSHIP_OFFICER,
    Role.COUNTY_COMMAND,
    Role.VOLUNTEER,
)


def _candidates(user: Any, checkpoint: Checkpoint) -> QuerySet[User]:
    parent = checkpoint.unit.parent
    prefix = parent.scope_prefix if parent is not None else checkpoint.unit_code
    memberships = scoped(
        user,
        Membership.objects.filter(
            is_active=True, user__is_active=True, role__in=DUTY_ROLES, unit__code__startswith=prefix
        ),
        Capability.MANAGE_CHECKPOINTS,
        field="unit__code",
    )
    return User.objects.filter(pk__in=memberships.values("user_id"))


def duty_candidates(*, user: Any, checkpoint: Checkpoint, limit: int = 100) -> list[User]:
    """Accounts that can stand a shift here: field roles in the checkpoint's territorial
    parent's jurisdiction (the checkpoint included), among the units the planner manages."""
    return list(_candidates(user, checkpoint).order_by("display_name", "username")[:limit])


def duty_candidate_get(*, user: Any, checkpoint: Checkpoint, user_id: int) -> User | None:
    return _candidates(user, checkpoint).filter(pk=user_id).first()


def member_candidates(*, user: Any, checkpoint: Checkpoint, limit: int = 200) -> list[Member]:
    """Members of the mobilisation roster (volunteers, cadres, Party members) of the units
    around the checkpoint: its territorial parent's jurisdiction, within the planner's scope."""
    return list(_member_candidates(user, checkpoint).order_by("unit_code", "person__name")[:limit])


def member_candidate_get(*, user: Any, checkpoint: Checkpoint, member_id: int) -> Member | None:
    return _member_candidates(user, checkpoint).filter(pk=member_id).first()


def _member_candidates(user: Any, checkpoint: Checkpoint) -> QuerySet[Member]:
    parent = checkpoint.unit.parent
    prefix = parent.scope_prefix if parent is not None else checkpoint.unit_code
    members = Member.objects.filter(unit_code__startswith=prefix).select_related("person", "unit")
    return scoped(user, members, Capability.MANAGE_CHECKPOINTS)
