"""Retention (保存期清理): anonymise the personal data of observations closed longer ago than
the retention period of their county's policy (Policy.retention_days).

What stays: every row and every count the reports read — observations with their kind,
status and dates, check-ins with their temperatures and times, alerts, cases and their
five-early timestamps, sex and birth year. What goes: names, ID numbers, phones, addresses
and free text, of persons with no other live record (an observation still open or closed
within the period, a recent signal or journey, a membership, a recent gathering they host).
Closed signals and roadside checks (卡点查验) past the period lose their subject's identity
too: the counts, temperatures, decisions and latencies stay.

Idempotent: every update skips rows already cleared, so a second run changes nothing and
writes nothing to the log.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, TruncYear
from django.utils import timezone

from bastion.audit.models import Action
from bastion.audit.services import access_log_write, system_user
from bastion.checkpoints.models import PassengerCheck
from bastion.community.models import Gathering
from bastion.mobilisation.models import Member
from bastion.observation.models import (
    Alert,
    CareVisit,
    Case,
    CheckIn,
    Observation,
    ObservationEvent,
    SupplyDelivery,
)
from bastion.observation.models.alert import Notification
from bastion.observation.models.case import CaseEvent
from bastion.observation.models.observation import OPEN_STATUSES
from bastion.observation.selectors.policy import policy_for
from bastion.people.models import Household, Person
from bastion.screening.models import Signal, TravelRecord
from bastion.screening.models.signals import CLOSED_STATUSES, SignalEvent

ANONYMISED_NAME = "（已清理）"
CLEARED_TEXT = "（已清理）"


@dataclass
class PurgeResult:
    now: datetime
    dry_run: bool
    observations: int = 0
    persons: int = 0
    households: int = 0
    signals: int = 0
    passengers: int = 0
    texts: int = 0  # check-in, event, alert, visit and delivery notes cleared
    by_county: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return (
            self.observations
            + self.persons
            + self.households
            + self.signals
            + self.passengers
            + self.texts
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "dry_run": self.dry_run,
            "observations": self.observations,
            "persons": self.persons,
            "households": self.households,
            "signals": self.signals,
            "passengers": self.passengers,
            "texts": self.texts,
        }


def _county(qs: QuerySet[Any]) -> QuerySet[Any]:
    # Rows carry their unit's code: the county is its first six digits.
    return qs.order_by().annotate(county=Substr("unit_code", 1, 6))


class Cutoffs:
    """Per county (6-digit code prefix), the moment before which a record is past retention,
    from the county's policy in force today; each county's policy is read once per run."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self._by_county: dict[str, datetime] = {}

    def of(self, county: str) -> datetime:
        if county not in self._by_county:
            days = policy_for(unit_code=county, on=self.today).retention_days
            self._by_county[county] = self.now - timedelta(days=days)
        return self._by_county[county]

    def past(self, qs: QuerySet[Any], moment: str) -> QuerySet[Any]:
        """The rows of `qs` whose `moment` lies before their county's cutoff."""
        counties = set(_county(qs).values_list("county", flat=True).distinct())
        condition = Q(pk__in=[])
        for county in sorted(counties):
            condition |= Q(unit_code__startswith=county, **{f"{moment}__lt": self.of(county)})
        return qs.filter(condition)

    @property
    def earliest(self) -> datetime:
        return min(self._by_county.values(), default=self.now)


def expired_observations(*, cutoffs: Cutoffs) -> QuerySet[Observation]:
    """Observations closed before their county's retention cutoff."""
    closed = Observation.objects.exclude(status__in=OPEN_STATUSES).filter(ended_at__isnull=False)
    return cutoffs.past(closed, "ended_at")


def _persons_to_clear(expired: QuerySet[Observation], *, cutoffs: Cutoffs) -> list[int]:
    """Persons whose every record is past retention, and not cleared yet."""
    candidates = set(expired.order_by().values_list("person_id", flat=True).distinct())
    if not candidates:
        return []
    expired_ids = expired.values("pk")
    # The longest period anywhere bounds "recent" for signals, journeys and gatherings.
    recent = cutoffs.earliest
    live: set[int] = set(
        Observation.objects.filter(person_id__in=candidates)
        .exclude(pk__in=expired_ids)
        .values_list("person_id", flat=True)
    )
    live |= set(Member.objects.filter(person_id__in=candidates).values_list("person_id", flat=True))
    live |= set(
        Signal.objects.filter(person_id__in=candidates, found_at__gte=recent).values_list(
            "person_id", flat=True
        )
    )
    live |= set(
        TravelRecord.objects.filter(
            person_id__in=candidates, arrived_on__gte=timezone.localdate(recent)
        ).values_list("person_id", flat=True)
    )
    live |= set(
        Gathering.objects.filter(
            host_id__in=candidates, planned_date__gte=timezone.localdate(recent)
        ).values_list("host_id", flat=True)
    )
    keep = candidates - {p for p in live if p is not None}
    # Rows merged into a cleared person carry the same identity: they go with it.
    ids = keep | set(Person.objects.filter(merged_into_id__in=keep).values_list("pk", flat=True))
    already = Person.objects.filter(
        pk__in=ids, name=ANONYMISED_NAME, id_number__isnull=True, mobile="", name_pinyin=""
    ).values_list("pk", flat=True)
    return sorted(ids - set(already))


def _differs(qs: QuerySet[Any], values: dict[str, Any]) -> QuerySet[Any]:
    """The rows of `qs` that still hold something else than `values`."""
    condition = Q()
    for name, value in values.items():
        condition |= ~Q(**{name: value})
    return qs.filter(condition)


def _by_county(qs: QuerySet[Any]) -> dict[str, int]:
    """Row counts per county, in one grouped query."""
    return dict(
        _county(qs).values_list("county").annotate(n=Count("pk")).values_list("county", "n")
    )


SIGNAL_CLEARED = {
    "subject_name": "",
    "subject_id_number": "",
    "subject_mobile": "",
    "subject_address": "",
    "reason": CLEARED_TEXT,
    "details": {},
}
OBSERVATION_CLEARED = {"place": "", "end_note": ""}
PASSENGER_CLEARED = {"name": CLEARED_TEXT, "id_number": "", "mobile": ""}


def retention_purge(*, now: datetime | None = None, dry_run: bool = False) -> PurgeResult:
    """Anonymise what is past retention. With `dry_run`, count what would change only."""
    now = now or timezone.now()
    result = PurgeResult(now=now, dry_run=dry_run)
    cutoffs = Cutoffs(now)

    def act(qs: QuerySet[Any], **values: Any) -> int:
        changing = _differs(qs, values)
        return changing.count() if dry_run else changing.update(**values)

    with transaction.atomic():
        expired = expired_observations(cutoffs=cutoffs)
        expired_ids = expired.values("pk")
        person_ids = _persons_to_clear(expired, cutoffs=cutoffs)
        # Old closed signals lose their subject data whoever they led to; so do those of the
        # persons cleared now. Roadside checks (卡点查验) past retention lose theirs too.
        closed_signals = Signal.objects.filter(status__in=CLOSED_STATUSES, handled_at__isnull=False)
        signals = Signal.objects.filter(
            Q(person_id__in=person_ids)
            | Q(pk__in=cutoffs.past(closed_signals, "handled_at").values("pk"))
        )
        passengers = cutoffs.past(PassengerCheck.objects.all(), "occurred_at")
        counts = {
            "observations": _by_county(
                _differs(Observation.objects.filter(pk__in=expired_ids), OBSERVATION_CLEARED)
            ),
            "signals": _by_county(_differs(signals, SIGNAL_CLEARED)),
            "passengers": _by_county(_differs(passengers, PASSENGER_CLEARED)),
        }
        result.observations = act(
            Observation.objects.filter(pk__in=expired_ids), **OBSERVATION_CLEARED
        )
        result.texts = _clear_notes(expired_ids, act)
        result.signals = act(signals, **SIGNAL_CLEARED)
        result.passengers = act(passengers, **PASSENGER_CLEARED)
        result.persons, result.households = _clear_persons(person_ids, dry_run=dry_run)
        counties = set(_county(expired).values_list("county", flat=True).distinct())
        for per_county in counts.values():
            counties |= set(per_county)
        result.by_county = {
            c: {name: per_county.get(c, 0) for name, per_county in counts.items()} for c in counties
        }
        if not dry_run and result.changed:
            _log(result, person_ids)
    return result


def _clear_notes(expired_ids: QuerySet[Any], act: Any) -> int:
    """Free text written about the observed: check-in, event, alert, case and visit notes."""
    cases = Case.objects.filter(observation__in=expired_ids).values("pk")
    return (
        act(CheckIn.objects.filter(observation__in=expired_ids), note="")
        + act(ObservationEvent.objects.filter(observation__in=expired_ids), note="")
        + act(Alert.objects.filter(observation__in=expired_ids), note="")
        + act(Notification.objects.filter(alert__observation__in=expired_ids), text=CLEARED_TEXT)
        + act(CaseEvent.objects.filter(case__in=cases), note="")
        + act(CareVisit.objects.filter(observation__in=expired_ids), note="", outcome="")
        + act(SupplyDelivery.objects.filter(observation__in=expired_ids), note="")
    )


def _clear_persons(person_ids: list[int], *, dry_run: bool) -> tuple[int, int]:
    if not person_ids:
        return 0, 0
    households = Household.objects.filter(members__pk__in=person_ids).exclude(
        members__in=Person.objects.exclude(pk__in=person_ids).exclude(name=ANONYMISED_NAME)
    )
    household_ids = list(households.values_list("pk", flat=True).distinct())
    households_left = Household.objects.filter(pk__in=household_ids).exclude(
        address__startswith=CLEARED_TEXT
    )
    if dry_run:
        return len(person_ids), households_left.count()
    n_persons = Person.objects.filter(pk__in=person_ids).update(
        name=ANONYMISED_NAME,
        name_pinyin="",
        name_initials="",
        id_number=None,
        mobile="",
        birth_date=TruncYear("birth_date"),  # the year stays for age bands
    )
    n_households = 0
    for pk in households_left.values_list("pk", flat=True):
        # The address is unique in its unit: the household's own id keeps it so.
        n_households += Household.objects.filter(pk=pk).update(
            address=f"{CLEARED_TEXT}{pk}", note=""
        )
    SignalEvent.objects.filter(signal__person_id__in=person_ids).exclude(note="").update(note="")
    TravelRecord.objects.filter(person_id__in=person_ids).exclude(companions_note="").update(
        companions_note=""
    )
    return n_persons, n_households


def _log(result: PurgeResult, person_ids: list[int]) -> None:
    """One entry per county, so each county's auditor sees what was cleared there."""
    actor = system_user()
    persons_by_county: dict[str, list[int]] = defaultdict(list)
    for pk, code in Person.objects.filter(pk__in=person_ids).values_list("pk", "unit_code"):
        persons_by_county[code[:6]].append(pk)
    for county in sorted(set(result.by_county) | set(persons_by_county)):
        ids = persons_by_county.get(county, [])
        access_log_write(
            user=actor,
            action=Action.PURGE,
            object_type="observation",
            unit_code=county.ljust(12, "0"),
            reason="超过个人信息保存期，匿名化处理",
            detail={
                **result.by_county.get(county, {}),
                "persons": len(ids),
                "person_ids": ids[:1000],
                "now": result.now.isoformat(),
            },
            channel="cli",
        )
