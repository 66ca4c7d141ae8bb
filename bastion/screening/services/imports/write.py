"""Applying a plan: the bulk path (COPY / executemany) inside the caller's transaction, the
few updates through the ORM, and a signal for each recent arrival the village did not know."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.utils import timezone

from bastion.observation.selectors import policy_for
from bastion.orgs.models import OrgUnit
from bastion.people.models import Household, Person
from bastion.screening.models import Signal, SignalEvent, SignalSource, SignalStatus, TravelRecord
from bastion.screening.services.bulk import JsonText, insert_rows
from bastion.screening.services.imports.lookups import TRAVEL_FIELDS
from bastion.screening.services.imports.plan import Plan, new_person, new_travel
from bastion.screening.services.imports.result import BATCH
from bastion.screening.services.romanise import romaniser
from bastion.screening.services.travel import CleanJourney, journey_summary
from bastion.screening.spreadsheets.returnees import ImportRow

T = TypeVar("T")

# New rows are built, written and let go this many at a time, within the one transaction.
WRITE_CHUNK = 10_000


def import_apply(actor: Any, scope: OrgUnit, plan: Plan, now: datetime) -> None:
    """Write `plan`; the caller holds the transaction."""
    actor_id = getattr(actor, "pk", None)
    household_ids = dict(plan.household_ids)
    for homes in _chunks(plan.new_households):
        ids = insert_rows(
            Household,
            [{"unit_id": k[0], "unit_code": code, "address": k[1]} for k, code in homes],
        )
        household_ids.update(zip((k for k, _code in homes), ids, strict=True))
    rows, units = plan.rows, plan.units
    romanised = romaniser()
    person_ids: list[int] = []
    for firsts in _chunks(plan.new_persons):
        persons = [new_person(actor_id, units[i], rows[i], romanised) for i in firsts]
        for person in persons:
            home = person.pop("household")
            person["household_id"] = household_ids[home] if home else None
        person_ids.extend(insert_rows(Person, persons))
    if plan.changed_mobiles:
        Person.objects.bulk_update(
            [Person(pk=pk, mobile=m) for pk, m in plan.changed_mobiles.items()],
            ["mobile"],
            batch_size=BATCH,
        )
    signals = _Signals(actor_id, scope, plan, now)
    refs = plan.new_travel_refs
    for start in range(0, len(plan.new_travel), WRITE_CHUNK):
        part = plan.new_travel[start : start + WRITE_CHUNK]
        records = []
        for i, ref in zip(part, refs[start : start + WRITE_CHUNK], strict=True):
            r = rows[i]
            values = new_travel(actor_id, units[i], r)
            values["person_id"] = ref if ref > 0 else person_ids[-1 - ref]
            values["household_id"] = household_ids[(units[i].id, r.address)] if r.address else None
            records.append(values)
        travel_ids = insert_rows(TravelRecord, records)
        signals.write([rows[i] for i in part], records, travel_ids)
    if plan.changed_travel:
        updates = []
        for change in plan.changed_travel:
            home = change.pop("household", None)
            if home is not None:
                change["household_id"] = household_ids[home]
            fields = {k: v for k, v in change.items() if k not in ("person_id", "arrived_on")}
            updates.append(TravelRecord(**fields, updated_at=now))
        TravelRecord.objects.bulk_update(
            updates,
            [*TRAVEL_FIELDS, "risk_area", "is_high_risk", "household", "version", "updated_at"],
            batch_size=BATCH,
        )


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), WRITE_CHUNK):
        yield items[start : start + WRITE_CHUNK]


class _Signals:
    """Recent arrivals that the village did not know become signals, like any returnee."""

    def __init__(self, actor_id: int | None, scope: OrgUnit, plan: Plan, now: datetime) -> None:
        today = timezone.localdate(now)
        # The policy is the county's (or the default): one for every row of one import.
        window = policy_for(unit_code=scope.code, on=today).arrival_window_days
        self.earliest = today - timedelta(days=window)
        self.actor_id = actor_id
        self.subjects = plan.subjects
        self.now = now
        # A village's list repeats the same journey (origin, day, train) on many rows, and
        # the reading step hands them the same journey: its reason is written once.
        self.reasons: dict[int, tuple[CleanJourney, str]] = {}

    def write(
        self, rows: list[ImportRow], records: list[dict[str, Any]], travel_ids: list[int]
    ) -> None:
        """The signals of these new journeys (their rows, columns and ids)."""
        signals: list[dict[str, Any]] = []
        reasons, now = self.reasons, self.now
        for r, values, travel_id in zip(rows, records, travel_ids, strict=True):
            if r.journey.arrived_on < self.earliest:
                continue
            name, id_number, mobile = self.subjects.get(
                values["person_id"], (r.name, r.id_number, r.mobile)
            )
            reason = reasons.get(id(r.journey))
            if reason is None:
                text = ("Excel 导入返乡人员：" + journey_summary(r.journey))[:300]
                reason = reasons[id(r.journey)] = (r.journey, text)
            signals.append(
                {
                    "unit_id": values["unit_id"],
                    "unit_code": values["unit_code"],
                    "person_id": values["person_id"],
                    "subject_name": name,
                    "subject_id_number": id_number or "",
                    "subject_mobile": mobile,
                    "subject_address": r.address,
                    "source": SignalSource.IMPORT,
                    "reason": reason[1],
                    # {"travel_record": id}, as json.dumps writes it, without a dict per row
                    "details": JsonText(f'{{"travel_record": {travel_id}}}'),
                    "found_at": now,
                    "created_by_id": self.actor_id,
                }
            )
        _signals_insert(signals, self.actor_id, now)


def _signals_insert(signals: list[dict[str, Any]], actor_id: int | None, now: datetime) -> None:
    """Insert signals and their first event."""
    signal_ids = insert_rows(Signal, signals)
    insert_rows(
        SignalEvent,
        [
            {
                "signal_id": signal_id,
                "status": SignalStatus.NEW,
                "note": s["reason"],
                "actor_id": actor_id,
                "at": now,
            }
            for s, signal_id in zip(signals, signal_ids, strict=True)
        ],
    )
