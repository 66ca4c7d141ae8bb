"""Writes for the returnee list import (导入): plan a file against the registry, apply it in
one transaction, and the import jobs that run both in the background with progress.

Re-importing the same file changes nothing; a corrected file updates, never duplicates: a
person is found by ID number (anywhere) or by name and phone (in the unit), a household by
its address in the unit, a travel record by person and arrival day.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.observation.selectors import policy_for
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Household, Person
from bastion.screening.models import (
    HighRiskArea,
    Signal,
    SignalEvent,
    SignalSource,
    SignalStatus,
    Sweep,
    TravelRecord,
    TravelSource,
)
from bastion.screening.services.bulk import insert_rows
from bastion.screening.services.romanise import romaniser
from bastion.screening.services.routing import UnitRouter
from bastion.screening.services.travel import journey_summary
from bastion.screening.spreadsheets.reading import CellError
from bastion.screening.spreadsheets.returnees import ImportRow, ReadResult, returnee_rows_read

BATCH = 2000
IMPORT_LEVELS = (Level.VILLAGE, Level.GRID)
# Above the village an import is routed row by row, like a verification list.
ROUTING_LEVELS = (Level.TOWNSHIP, Level.COUNTY)
UNROUTED = "未能分派到村（社区）：身份证号、手机号都不在本辖区登记，住址中也没有村（社区）名称。"
_TRAVEL_FIELDS = (
    "origin_province",
    "origin_city",
    "origin_county",
    "origin_code",
    "departed_on",
    "transport",
    "transport_no",
    "companions_note",
)
Progress = Callable[[str, int], None]  # (stage, percent of the whole job)


@dataclass
class ImportResult:
    """What an import did (or, dry, would do): the contract's counts and errors."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    unrouted: int = 0
    routed: dict[str, int] = field(default_factory=dict)  # unit code -> rows
    errors: list[CellError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The contract of `bastion import-screening --json`."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [e.as_dict() for e in self.errors],
        }

    def as_job(self) -> dict[str, Any]:
        """What a job keeps: the contract, plus duplicates and where rows were routed."""
        return self.as_json() | {
            "duplicates": self.duplicates,
            "unrouted": self.unrouted,
            "routed": self.routed,
        }


def import_unit_check(actor: Any, unit: OrgUnit | None) -> OrgUnit:
    """The unit rows are imported into: a village or grid, or a township or county whose rows
    are routed to their villages (of the actor's jurisdiction; the command line, without an
    actor, may import anywhere)."""
    if unit is None or (
        actor is not None and not code_in_scope(actor, unit.code, Capability.RECORD_SCREENING)
    ):
        raise ValidationError({"unit": "请选择您辖区内的区县、乡镇（街道）、村（社区）或网格。"})
    if unit.kind != Kind.TERRITORIAL or unit.level not in (*IMPORT_LEVELS, *ROUTING_LEVELS):
        raise ValidationError({"unit": "导入单元必须是区县、乡镇（街道）、村（社区）或网格。"})
    return unit


def import_year(unit: OrgUnit, today: date) -> int:
    """The year for dates written without one (1月25日): the latest sweep over the unit's."""
    prefixes = [unit.code[:i] for i in range(2, len(unit.code) + 1)]
    sweep = Sweep.objects.filter(scope_prefix__in=prefixes, starts_on__lte=today).first()
    return sweep.starts_on.year if sweep else today.year


def import_route(unit: OrgUnit, read: ReadResult, result: ImportResult) -> list[OrgUnit]:
    """The unit of every accepted row. At village or grid level, the import's own; above,
    the village of the row's ID number, phone or address (services.routing). A row that
    routes nowhere stays with the uploader: it is taken out of `read.rows` and listed among
    the rejected rows with the reason, so the preview and the download both show it."""
    if unit.level in IMPORT_LEVELS:
        return [unit] * len(read.rows)
    router = UnitRouter(unit, (r.id_number or "" for r in read.rows), (r.mobile for r in read.rows))
    kept: list[ImportRow] = []
    units: list[OrgUnit] = []
    for row in read.rows:
        target, _how, _person = router.route(
            id_number=row.id_number or "", mobile=row.mobile, address=row.address
        )
        if target is None or target.level not in IMPORT_LEVELS:
            error = CellError(row.sheet, row.row, row.address_column, UNROUTED)
            if row.origin is not None:
                read.rejected.append((row.origin, [error]))
            read.errors.append(error)
            result.unrouted += 1
            continue
        kept.append(row)
        units.append(target)
        result.routed[target.code] = result.routed.get(target.code, 0) + 1
    read.rows = kept
    # The file's order: by sheet as the file has them, then row.
    order = {r.sheet: i for i, r in enumerate(reversed(kept))}
    read.rejected.sort(key=lambda r: (order.get(r[0].sheet, 0), r[0].row))
    read.errors.sort(key=lambda e: (order.get(e.sheet, 0), e.row))
    return units


@dataclass
class _Plan:
    """What the import will write: new rows as column dicts (their references by key, ids
    drawn at insert time), and the few updates."""

    new_households: dict[tuple[int, str], dict[str, Any]]
    household_ids: dict[tuple[int, str], int]
    new_persons: list[dict[str, Any]]
    changed_mobiles: dict[int, str]
    new_travel: list[tuple[dict[str, Any], int, tuple[int, str] | None, ImportRow]]
    changed_travel: list[dict[str, Any]]


def _batched(values: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(values), BATCH):
        yield values[i : i + BATCH]


def _existing_persons(
    scope: OrgUnit, rows: list[ImportRow]
) -> tuple[dict[str, tuple[int, str, str]], dict[tuple[str, str], tuple[int, str, str]]]:
    """Persons the rows name: by ID number anywhere, else by name and phone in the import's
    unit; as (id, mobile, unit_code)."""
    live = Person.objects.filter(merged_into__isnull=True)
    by_id: dict[str, tuple[int, str, str]] = {}
    for chunk in _batched(sorted({r.id_number for r in rows if r.id_number})):
        for pk, number, mobile, code in live.filter(id_number__in=chunk).values_list(
            "id", "id_number", "mobile", "unit_code"
        ):
            by_id[number or ""] = (pk, mobile, code)
    by_name: dict[tuple[str, str], tuple[int, str, str]] = {}
    names = sorted({r.name for r in rows if not r.id_number})
    for chunk in _batched(names):
        found = (
            live.filter(unit_code__startswith=scope.scope_prefix, name__in=chunk)
            .exclude(mobile="")
            .order_by("unit_code", "name", "id")
            .values_list("id", "name", "mobile", "unit_code")
        )
        for pk, name, mobile, code in found:
            by_name.setdefault((name, mobile), (pk, mobile, code))
    return by_id, by_name


def _plan(
    actor: Any, scope: OrgUnit, rows: list[ImportRow], units: list[OrgUnit], result: ImportResult
) -> _Plan:
    actor_id = getattr(actor, "pk", None)
    keys = {(u.pk, r.address) for r, u in zip(rows, units, strict=True) if r.address}
    household_ids: dict[tuple[int, str], int] = {}
    unit_ids = sorted({k[0] for k in keys})
    for chunk in _batched(sorted({k[1] for k in keys})):
        for pk, unit_id, address in Household.objects.filter(
            unit_id__in=unit_ids, address__in=chunk
        ).values_list("id", "unit_id", "address"):
            household_ids[(unit_id, address)] = pk
    by_unit = {u.pk: u for u in units}
    new_households = {
        key: {"unit_id": key[0], "unit_code": by_unit[key[0]].code, "address": key[1]}
        for key in sorted(keys - household_ids.keys())
    }
    by_id, by_name = _existing_persons(scope, rows)
    romanised = romaniser()
    new_persons: list[dict[str, Any]] = []
    new_index: dict[tuple[Any, ...], int] = {}
    changed_mobiles: dict[int, str] = {}
    # A row's person: an existing id (>= 1) or a new person's index, negated (<= -1).
    refs: list[int] = []
    for r, unit in zip(rows, units, strict=True):
        found = by_id.get(r.id_number) if r.id_number else by_name.get((r.name, r.mobile))
        if found is None:
            who = (r.id_number,) if r.id_number else (r.name, r.mobile)
            index = new_index.get(who)
            if index is None:
                pinyin, initials = romanised(r.name)
                index = new_index[who] = len(new_persons)
                new_persons.append(
                    {
                        "id_number": r.id_number,
                        "name": r.name,
                        "name_pinyin": pinyin,
                        "name_initials": initials,
                        "sex": r.sex,
                        "birth_date": r.birth_date,
                        "mobile": r.mobile,
                        "household": (unit.pk, r.address) if r.address else None,
                        "unit_id": unit.pk,
                        "unit_code": unit.code,
                        "created_by_id": actor_id,
                    }
                )
            refs.append(-1 - index)
            continue
        pk, mobile, code = found
        if code.startswith(scope.scope_prefix) and r.mobile and mobile != r.mobile:
            changed_mobiles[pk] = r.mobile
        refs.append(pk)
    travel = _existing_travel([p for p in refs if p > 0])
    new_travel: list[tuple[dict[str, Any], int, tuple[int, str] | None, ImportRow]] = []
    changed_travel: list[dict[str, Any]] = []
    for r, unit, ref in zip(rows, units, refs, strict=True):
        home = (unit.pk, r.address) if r.address else None
        record = travel.get((ref, r.journey.arrived_on)) if ref > 0 else None
        if record is None:
            new_travel.append((_new_travel(actor_id, unit, r), ref, home, r))
            result.created += 1
            continue
        home_id = household_ids.get(home) if home else None
        changes = _travel_changes(record, r, home, home_id)
        if changes:
            changed_travel.append(record | changes)
        if changes or ref in changed_mobiles:
            result.updated += 1
        else:
            result.unchanged += 1
    return _Plan(
        new_households, household_ids, new_persons, changed_mobiles, new_travel, changed_travel
    )


def _existing_travel(person_ids: list[int]) -> dict[tuple[int, date], dict[str, Any]]:
    fields = ("id", "person_id", "arrived_on", *_TRAVEL_FIELDS, "risk_area_id", "household_id")
    found: dict[tuple[int, date], dict[str, Any]] = {}
    for chunk in _batched(sorted(set(person_ids))):
        for t in TravelRecord.objects.filter(person_id__in=chunk).values(*fields, "version"):
            found[(t["person_id"], t["arrived_on"])] = t
    return found


def _new_travel(actor_id: int | None, unit: OrgUnit, r: ImportRow) -> dict[str, Any]:
    j = r.journey
    return {
        "unit_id": unit.pk,
        "unit_code": unit.code,
        "origin_province": j.origin_province,
        "origin_city": j.origin_city,
        "origin_county": j.origin_county,
        "origin_code": j.origin_code,
        "risk_area_id": j.risk_area.pk if j.risk_area else None,
        "is_high_risk": j.risk_area is not None,
        "departed_on": j.departed_on,
        "arrived_on": j.arrived_on,
        "transport": j.transport,
        "transport_no": j.transport_no,
        "companions_note": j.companions_note,
        "source": TravelSource.IMPORT,
        "created_by_id": actor_id,
    }


def _travel_changes(
    record: dict[str, Any], r: ImportRow, home: tuple[int, str] | None, home_id: int | None
) -> dict[str, Any]:
    """What the row changes on an existing journey (empty if nothing)."""
    changes = {
        name: getattr(r.journey, name)
        for name in _TRAVEL_FIELDS
        if record[name] != getattr(r.journey, name)
    }
    risk = r.journey.risk_area
    if record["risk_area_id"] != (risk.pk if risk else None):
        changes["risk_area_id"] = risk.pk if risk else None
        changes["is_high_risk"] = risk is not None
    if home is not None and (home_id is None or record["household_id"] != home_id):
        changes["household"] = home
    if changes:
        changes["version"] = record["version"] + 1
    return changes


def _apply(actor: Any, scope: OrgUnit, plan: _Plan, now: datetime) -> None:
    """The bulk path (COPY / executemany) inside the caller's transaction; the few updates
    go through the ORM."""
    keys = list(plan.new_households)
    ids = insert_rows(Household, [plan.new_households[k] for k in keys])
    household_ids = plan.household_ids | dict(zip(keys, ids, strict=True))
    for person in plan.new_persons:
        home = person.pop("household")
        person["household_id"] = household_ids[home] if home else None
    person_ids = insert_rows(Person, plan.new_persons)
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
            [*_TRAVEL_FIELDS, "risk_area", "is_high_risk", "household", "version", "updated_at"],
            batch_size=BATCH,
        )
    _signals_for(actor, scope, plan, travel_ids, person_ids, household_ids, now)


def _signals_for(
    actor: Any,
    scope: OrgUnit,
    plan: _Plan,
    travel_ids: list[int],
    person_ids: list[int],
    household_ids: dict[tuple[int, str], int],
    now: datetime,
) -> None:
    """Recent arrivals that the village did not know become signals, like any returnee."""
    today = timezone.localdate(now)
    # The policy is the county's (or the default): one for every row of one import.
    window = policy_for(unit_code=scope.code, on=today).arrival_window_days
    earliest = today - timedelta(days=window)
    actor_id = getattr(actor, "pk", None)
    recent = [
        (values, travel_id, r)
        for (values, _ref, _home, r), travel_id in zip(plan.new_travel, travel_ids, strict=True)
        if r.journey.arrived_on >= earliest
    ]
    known = _person_subjects([v["person_id"] for v, _t, _r in recent], set(person_ids))
    signals = []
    for values, travel_id, r in recent:
        name, id_number, mobile = known.get(values["person_id"], (r.name, r.id_number, r.mobile))
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
                "reason": ("Excel 导入返乡人员：" + journey_summary(r.journey))[:300],
                "details": {"travel_record": travel_id},
                "found_at": now,
                "created_by_id": actor_id,
            }
        )
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


def _person_subjects(
    person_ids: list[int], new_ids: set[int]
) -> dict[int, tuple[str, str | None, str]]:
    """The registry's name, ID number and phone of the persons that existed before."""
    old = sorted(set(person_ids) - new_ids)
    found: dict[int, tuple[str, str | None, str]] = {}
    for chunk in _batched(old):
        for pk, name, number, mobile in Person.objects.filter(pk__in=chunk).values_list(
            "id", "name", "id_number", "mobile"
        ):
            found[pk] = (name, number, mobile)
    return found


def returnees_import(
    *,
    actor: Any,
    unit: OrgUnit,
    read: ReadResult,
    dry_run: bool,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Route and plan the checked rows against the registry and, unless `dry_run`, apply
    them: all accepted rows or none (one transaction). The plan is made before the write
    transaction (so that its progress can be seen); a row written meanwhile by someone else
    trips a unique constraint, and the import is planned again inside the transaction."""
    now = now or timezone.now()
    result = ImportResult(duplicates=read.duplicates, unchanged=read.duplicates)
    units = import_route(unit, read, result)
    result.rejected = len(read.rejected)
    result.errors = list(read.errors)
    if progress is not None:
        progress("planning", 60)
    plan = _plan(actor, unit, read.rows, units, result)
    if dry_run:
        return result
    if progress is not None:
        progress("writing", 75)
    try:
        with transaction.atomic():
            _apply(actor, unit, plan, now)
    except IntegrityError:
        result.created = result.updated = 0
        result.unchanged = read.duplicates
        with transaction.atomic():
            _apply(actor, unit, _plan(actor, unit, read.rows, units, result), now)
    return result


def returnees_import_file(
    *,
    actor: Any,
    unit: OrgUnit,
    source: str | IO[bytes],
    dry_run: bool,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read, check and import a file in one call (the command line). Raises UnreadableFile."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    read = returnee_rows_read(
        source,
        year=import_year(unit, today),
        today=today,
        areas=list(HighRiskArea.objects.all()),
        progress=progress,
    )
    return returnees_import(actor=actor, unit=unit, read=read, dry_run=dry_run, now=now)
