"""Reading the access log: auditors see the entries of their jurisdiction."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.audit.models import AccessLog
from bastion.core.days import midnight
from bastion.orgs.models import OrgUnit

VIEW_LOG = Capability.VIEW_ACCESS_LOG


def access_log_list(
    *,
    user: Any,
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    action: str = "",
    unit_code: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AccessLog]:
    """Entries of the auditor's jurisdiction. `unit_code` narrows to a unit's subtree; a unit
    outside the auditor's jurisdiction is a 404."""
    qs = scoped(user, AccessLog.objects.select_related("user"), VIEW_LOG)
    if unit_code:
        unit = get_scoped_or_404(
            user, OrgUnit.objects.all(), VIEW_LOG, field="code", code=unit_code
        )
        qs = qs.filter(unit_code__startswith=unit.scope_prefix)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(user__username=actor)
    if action:
        qs = qs.filter(action=action)
    if since:
        qs = qs.filter(at__gte=midnight(since))
    if until:
        qs = qs.filter(at__lt=midnight(until + timedelta(days=1)))
    return qs


@dataclass
class PersonViewers:
    person: Any
    entries: QuerySet[AccessLog]
    summary: list[dict[str, Any]]


def _person_records(person_id: int) -> Q:
    """The log entries about a person: their record, and the records that carry their data
    (observations, signals, travel records, membership)."""
    from bastion.mobilisation.models import Member
    from bastion.observation.models import Observation
    from bastion.screening.models import Signal, TravelRecord

    def ids(qs: QuerySet[Any]) -> list[str]:
        return [str(pk) for pk in qs.values_list("pk", flat=True)]

    condition = Q(object_type="person", object_id=str(person_id))
    related = {
        "observation": ids(Observation.objects.filter(person_id=person_id)),
        "signal": ids(Signal.objects.filter(person_id=person_id)),
        "travel_record": ids(TravelRecord.objects.filter(person_id=person_id)),
        "member": ids(Member.objects.filter(person_id=person_id)),
    }
    for object_type, object_ids in related.items():
        if object_ids:
            condition |= Q(object_type=object_type, object_id__in=object_ids)
    return condition


def person_viewers(*, user: Any, person_id: int) -> PersonViewers:
    """Everyone who saw a person's records (谁看过此人): each user with the actions they
    took, how often, first and last. The person must be in the auditor's jurisdiction (404)."""
    from bastion.people.models import Person

    person = get_scoped_or_404(user, Person.objects.all(), VIEW_LOG, pk=person_id)
    entries = scoped(user, AccessLog.objects.select_related("user"), VIEW_LOG).filter(
        _person_records(person.pk)
    )
    grouped = (
        entries.order_by()
        .values("user_id", "user__username", "user__display_name", "action")
        .annotate(n=Count("id"), first=Min("at"), last=Max("at"))
    )
    by_user: dict[Any, dict[str, Any]] = {}
    for g in grouped:
        row = by_user.setdefault(
            g["user_id"],
            {
                "user_id": g["user_id"],
                "username": g["user__username"],
                "display_name": g["user__display_name"] or "",
                "actions": [],
                "count": 0,
                "first_at": g["first"],
                "last_at": g["last"],
            },
        )
        row["actions"].append(g["action"])
        row["count"] += g["n"]
        row["first_at"] = min(row["first_at"], g["first"])
        row["last_at"] = max(row["last_at"], g["last"])
    summary = sorted(by_user.values(), key=lambda r: r["last_at"], reverse=True)
    for row in summary:
        row["actions"].sort()
    return PersonViewers(person=person, entries=entries, summary=summary)
