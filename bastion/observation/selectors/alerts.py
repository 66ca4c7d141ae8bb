"""Scoped reads of alerts (预警) and cases (转诊病例): the inbox, and the close contacts a
confirmed case proposes for observation."""

from typing import Any

from django.db.models import Case as Switch
from django.db.models import IntegerField, QuerySet, Value, When
from django.http import Http404

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.observation.models import (
    OPEN_STATUSES,
    UNRESOLVED,
    Alert,
    AlertKind,
    Case,
    Observation,
)
from bastion.observation.selectors.observations import unit_in_scope
from bastion.people.models import Person

VIEW = Capability.VIEW_OBSERVATIONS


def _alerts() -> QuerySet[Alert]:
    return Alert.objects.select_related(
        "observation",
        "observation__person",
        "observation__unit",
        "observation__policy",
        "acknowledged_by",
    )


def alert_list(
    *,
    user: Any,
    unit_code: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    unresolved: bool = False,
    capability: Capability = VIEW,
) -> QuerySet[Alert]:
    """Alerts in scope (the inbox): unresolved first, fevers before the rest, newest first."""
    qs = scoped(user, _alerts(), capability)
    if unit_code:
        unit = unit_in_scope(user=user, code=unit_code, capability=capability)
        qs = qs.filter(unit_code__startswith=unit.scope_prefix)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if unresolved:
        qs = qs.filter(status__in=UNRESOLVED)
    urgency = Switch(
        When(status__in=UNRESOLVED, kind=AlertKind.FEVER, then=Value(0)),
        When(status__in=UNRESOLVED, kind=AlertKind.SYMPTOM, then=Value(1)),
        When(status__in=UNRESOLVED, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return qs.annotate(urgency=urgency).order_by("urgency", "-raised_at", "-pk")


def alert_get(*, user: Any, alert_id: int, capability: Capability = VIEW) -> Alert:
    return get_scoped_or_404(user, _alerts(), capability, pk=alert_id)


def observation_alerts(*, user: Any, observation: Observation) -> QuerySet[Alert]:
    return scoped(user, _alerts().filter(observation=observation), VIEW).order_by(
        "-raised_at", "-pk"
    )


def _cases() -> QuerySet[Case]:
    return Case.objects.select_related(
        "observation", "person", "alert", "observation__unit", "referred_by"
    )


def case_get(*, user: Any, case_id: int, capability: Capability = VIEW) -> Case:
    return get_scoped_or_404(user, _cases(), capability, pk=case_id)


def case_list(
    *, user: Any, unit_code: str | None = None, open_only: bool = False
) -> QuerySet[Case]:
    qs = scoped(user, _cases(), VIEW)
    if unit_code:
        unit = unit_in_scope(user=user, code=unit_code)
        qs = qs.filter(unit_code__startswith=unit.scope_prefix)
    if open_only:
        qs = qs.exclude(status__in=["recovered", "died", "returned"])
    return qs.order_by("-detected_at", "-pk")


def observation_cases(*, user: Any, observation: Observation) -> QuerySet[Case]:
    return scoped(user, _cases().filter(observation=observation), VIEW).order_by("-referred_at")


def case_events(*, case: Case) -> QuerySet[Any]:
    return case.events.select_related("actor").order_by("at", "pk")


def close_contacts(*, user: Any, case: Case) -> list[tuple[Person, str]]:
    """The case's close contacts (密切接触者) to propose for observation, with why: the
    household members and the travel companions (screening's travel records), live, in the
    user's jurisdiction, and not under observation already."""
    from bastion.screening.models import TravelRecord

    person = case.person
    reasons: dict[int, str] = {}
    if person.household_id:
        for pk in Person.objects.filter(household_id=person.household_id).values_list(
            "pk", flat=True
        ):
            reasons.setdefault(pk, "同住家庭成员")
    records = TravelRecord.objects.filter(person=person)
    for pk in TravelRecord.companions.through.objects.filter(travelrecord__in=records).values_list(
        "person_id", flat=True
    ):
        reasons.setdefault(pk, "同行人员")
    for pk in TravelRecord.objects.filter(companions=person).values_list("person_id", flat=True):
        reasons.setdefault(pk, "同行人员")
    reasons.pop(person.pk, None)
    if not reasons:
        return []
    busy = Observation.objects.filter(
        person_id__in=list(reasons), status__in=OPEN_STATUSES
    ).values_list("person_id", flat=True)
    candidates = (
        scoped(user, Person.objects.filter(pk__in=list(reasons)), Capability.MANAGE_OBSERVATIONS)
        .filter(merged_into__isnull=True)
        .exclude(pk__in=busy)
        .select_related("household", "unit")
        .order_by("name", "pk")
    )
    return [(p, reasons[p.pk]) for p in candidates]


def person_in_scope(*, user: Any, person_id: int, capability: Capability) -> Person:
    """A live person the user may start an observation for; Http404 otherwise."""
    person = get_scoped_or_404(
        user, Person.objects.select_related("household", "unit"), capability, pk=person_id
    )
    if person.merged_into_id is not None:
        raise Http404("未找到")
    return person
