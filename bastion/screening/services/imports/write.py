"""Applying a plan: the bulk path (COPY / executemany) inside the caller's transaction, the
few updates through the ORM, and a signal for each recent arrival the village did not know."""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from bastion.observation.selectors import policy_for
from bastion.orgs.models import OrgUnit
from bastion.people.models import Household, Person
from bastion.screening.models import Signal, SignalEvent, SignalSource, SignalStatus, TravelRecord
from bastion.screening.services.bulk import JsonText, insert_rows
from bastion.screening.services.imports.lookups import TRAVEL_FIELDS
from bastion.screening.services.imports.plan import Plan
from bastion.screening.services.imports.result import BATCH
from bastion.screening.services.travel import CleanJourney, journey_summary

SIGNAL_CHUNK = 20_000


def import_apply(actor: Any, scope: OrgUnit, plan: Plan, now: datetime) -> None:
    """Write `plan`; the caller holds the transaction."""
    keys = list(plan.new_households)
    ids = insert_rows(Household, [plan.new_households[k] for k in keys])
    household_ids = plan.household_ids | dict(zip(keys, ids, strict=True))
    for person in plan.new_persons:
        home = person.pop("household")
        person["household_id"] = household_ids[home] if home else None
    person_ids = insert_rows(Person, plan.new_persons)
    plan.new_persons.clear()  # written: a large file's persons need not stay in memory
    if plan.changed_mobiles:
        Person.objects.bulk_update(
            [Person(pk=pk, mobile=m) for pk, m in plan.changed_mobiles.items()],
            ["mobile"],
            batch_size=BATCH,
        )
    rows = []
    for values, ref, home, _r in plan.new_travel:
        values["person_id"] = ref if ref > 0 else person_ids[-1 - ref]
        values["household_id"] = household_ids[home] if home else None
        rows.append(values)
    travel_ids = insert_rows(TravelRecord, rows)
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
    _signals_for(actor, scope, plan, travel_ids, now)


def _signals_for(
    actor: Any,
    scope: OrgUnit,
    plan: Plan,
    travel_ids: list[int],
    now: datetime,
) -> None:
    """Recent arrivals that the village did not know become signals, like any returnee."""
    today = timezone.localdate(now)
    # The policy is the county's (or the default): one for every row of one import.
    window = policy_for(unit_code=scope.code, on=today).arrival_window_days
    earliest = today - timedelta(days=window)
    actor_id = getattr(actor, "pk", None)
    # A village's list repeats the same journey (origin, day, train) on many rows, and the
    # reading step hands them the same journey: its reason is written once.
    reasons: dict[int, tuple[CleanJourney, str]] = {}
    signals: list[dict[str, Any]] = []
    for (values, _ref, _home, r), travel_id in zip(plan.new_travel, travel_ids, strict=True):
        if r.journey.arrived_on < earliest:
            continue
        name, id_number, mobile = plan.subjects.get(
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
                "created_by_id": actor_id,
            }
        )
        if len(signals) == SIGNAL_CHUNK:
            _signals_insert(signals, actor_id, now)
            signals = []
    _signals_insert(signals, actor_id, now)


def _signals_insert(signals: list[dict[str, Any]], actor_id: int | None, now: datetime) -> None:
    """Insert signals and their first event. A large file's signals go in chunks, so that
    their rows are not all held at once."""
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
