"""Scoped reads of gatherings (酒宴): lists, counts by outcome per unit, attendees, export."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, Count, DateField, F, IntegerField, QuerySet, Value, When

from bastion.accounts.jurisdiction import code_in_scope, get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.community.models import (
    HELD_OUTCOMES,
    PERSUADED_OUTCOMES,
    Gathering,
    GatheringOutcome,
)
from bastion.community.selectors.common import Buckets, unit_in_scope
from bastion.community.services.gatherings import ENTRY_LEVELS
from bastion.core.masking import mask_id_number, mask_mobile, mask_name
from bastion.orgs.models import Kind, OrgUnit
from bastion.people.models import Person

VIEW = Capability.VIEW_GATHERINGS
PENDING = "pending"  # the list filter for "no outcome yet"


def _gatherings() -> QuerySet[Gathering]:
    return Gathering.objects.select_related("unit").annotate(
        n_attendees=Count("attendees", distinct=True)
    )


# Gatherings still waiting for an outcome come first, the nearest date first: they are today's
# work. The others follow, the latest first.
_PENDING_FIRST = Case(
    When(outcome="", then=Value(0)), default=Value(1), output_field=IntegerField()
)
_PENDING_DATE = Case(
    When(outcome="", then=F("planned_date")), default=None, output_field=DateField()
)


def gathering_list(
    *,
    user: Any,
    unit_code: str | None = None,
    outcome: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Gathering]:
    """Gatherings in scope: those waiting for an outcome first, nearest planned date first;
    then the others, latest first. The period applies to the planned date."""
    qs = scoped(user, _gatherings(), VIEW)
    if unit_code:
        unit = unit_in_scope(user=user, code=unit_code, capability=VIEW)
        qs = qs.filter(unit_code__startswith=unit.scope_prefix)
    if outcome == PENDING:
        qs = qs.filter(outcome="")
    elif outcome in GatheringOutcome.values:
        qs = qs.filter(outcome=outcome)
    if date_from is not None:
        qs = qs.filter(planned_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(planned_date__lte=date_to)
    return qs.order_by(_PENDING_FIRST, _PENDING_DATE.asc(), "-planned_date", "-id")


def gathering_get(*, user: Any, gathering_id: int, capability: Capability = VIEW) -> Gathering:
    return get_scoped_or_404(
        user, _gatherings().select_related("host"), capability, pk=gathering_id
    )


def entry_units(*, user: Any) -> QuerySet[OrgUnit]:
    """Villages and grids where the user may record gatherings."""
    return scoped(
        user,
        OrgUnit.objects.filter(is_active=True, level__in=ENTRY_LEVELS, kind=Kind.TERRITORIAL),
        Capability.RECORD_GATHERINGS,
        field="code",
    ).order_by("code")


def last_gathering_of(*, user: Any) -> Gathering | None:
    """The user's latest record, to prefill the next form (unit, persuaded by)."""
    return (
        scoped(user, Gathering.objects.filter(created_by=user), Capability.RECORD_GATHERINGS)
        .order_by("-created_at", "-id")
        .first()
    )


def gathering_warnings(gathering: Gathering, *, today: date) -> list[str]:
    """What the village should act on: over the limit, held against advice, date passed."""
    warnings: list[str] = []
    what = "家庭聚会" if gathering.family_only else "宴席"
    if gathering.is_pending:
        if gathering.over_limit:
            warnings.append(
                f"预计 {gathering.expected_guests} 人，超过{what}人数上限 "
                f"{gathering.guest_limit} 人：请劝导延期、取消或缩小规模。"
            )
        if gathering.planned_date < today:
            warnings.append("计划日期已过，请记录结果。")
    elif gathering.outcome == GatheringOutcome.HELD_AGAINST_ADVICE:
        warnings.append("劝阻无效仍举办：请登记参加人员，做好跟踪。")
        if gathering.over_limit:
            warnings.append(
                f"{gathering.guests} 人，超过{what}人数上限 {gathering.guest_limit} 人。"
            )
    return warnings


@dataclass
class Attendee:
    """A registered attendee as the viewer may see them: masked ID and phone always, and the
    name masked too when the person lives outside the viewer's jurisdiction."""

    id: int
    name: str
    id_number_masked: str
    mobile_masked: str
    unit_code: str
    in_scope: bool


def attendees_of(*, user: Any, gathering: Gathering) -> list[Attendee]:
    persons = gathering.attendees.order_by("unit_code", "name", "id")
    rows = []
    for p in persons:
        visible = code_in_scope(user, p.unit_code, Capability.VIEW_PERSONS)
        rows.append(
            Attendee(
                id=p.pk,
                name=p.name if visible else mask_name(p.name),
                id_number_masked=mask_id_number(p.id_number),
                mobile_masked=mask_mobile(p.mobile),
                unit_code=p.unit_code,
                in_scope=visible,
            )
        )
    return rows


def persons_for_attendance(*, user: Any, person_ids: list[int]) -> list[Person]:
    """The live persons among `person_ids` that the user may see; the caller compares counts
    to refuse unknown or out-of-scope ids."""
    return list(
        scoped(
            user,
            Person.objects.filter(pk__in=person_ids, merged_into__isnull=True),
            Capability.VIEW_PERSONS,
        )
    )


@dataclass
class OutcomeCounts:
    """Gatherings of one unit by outcome (the 143 of the article are `persuaded`)."""

    unit: OrgUnit
    by_outcome: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_outcome.values())

    @property
    def pending(self) -> int:
        return self.by_outcome[""]

    @property
    def persuaded(self) -> int:
        return sum(self.by_outcome[o] for o in PERSUADED_OUTCOMES)

    @property
    def held(self) -> int:
        return sum(self.by_outcome[o] for o in HELD_OUTCOMES)

    def of(self, outcome: str) -> int:
        return self.by_outcome[outcome]


def gathering_counts(
    *,
    user: Any,
    unit: OrgUnit,
    children: list[OrgUnit],
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[list[OutcomeCounts], OutcomeCounts]:
    """Counts by outcome per child of `unit` and in total, for gatherings planned in the
    period: one grouped query (by unit code and outcome), bucketed under the children."""
    buckets = Buckets(unit, children)
    qs = scoped(user, Gathering.objects.filter(unit_code__startswith=unit.scope_prefix), VIEW)
    if date_from is not None:
        qs = qs.filter(planned_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(planned_date__lte=date_to)
    rows = {u.code: OutcomeCounts(unit=u) for u in buckets.units}
    total = OutcomeCounts(unit=unit)
    grouped = qs.values("unit_code", "outcome").annotate(n=Count("id")).order_by()
    for row in grouped:
        rows[buckets.of(row["unit_code"])].by_outcome[row["outcome"]] += row["n"]
        total.by_outcome[row["outcome"]] += row["n"]
    ordered = [rows[u.code] for u in buckets.units]
    # The unit's own row only when something was filed on it directly.
    if not ordered[-1].total:
        ordered.pop()
    return ordered, total


def gathering_export_rows(
    *,
    user: Any,
    unit_code: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Iterator[Gathering]:
    """Every gathering of the list, in planned-date order, streamed from the database."""
    qs = gathering_list(user=user, unit_code=unit_code, date_from=date_from, date_to=date_to)
    return qs.order_by("planned_date", "id").iterator(chunk_size=500)
