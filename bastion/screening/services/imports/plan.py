"""Planning an import against the registry: which persons, households and journeys exist
already (found by ID number anywhere, or by name and phone in the unit; a household by its
address in the unit; a journey by person and arrival day), and what is new or changed."""

from dataclasses import dataclass
from typing import Any

from bastion.orgs.models import OrgUnit
from bastion.screening.models import TravelSource
from bastion.screening.services.imports.lookups import (
    TRAVEL_FIELDS,
    Found,
    existing_households,
    existing_persons,
    existing_travel,
)
from bastion.screening.services.imports.result import ImportResult
from bastion.screening.spreadsheets.returnees import ImportRow

Home = tuple[int, str]  # (unit id, address)


@dataclass
class Plan:
    """What the import will write, kept compact for a file of 500,000 rows: the new rows
    are positions in `rows` (their column values are built when they are written, a chunk
    at a time), references between them by key, and the few updates as column dicts."""

    rows: list[ImportRow]
    units: list[OrgUnit]
    new_households: list[tuple[Home, str]]  # (key, the unit's code), in key order
    household_ids: dict[Home, int]
    # The first row of each new person.
    new_persons: list[int]
    changed_mobiles: dict[int, str]
    # Each new journey: its row, and its person (an id >= 1, or a new person's position
    # in `new_persons`, negated, <= -1).
    new_travel: list[int]
    new_travel_refs: list[int]
    changed_travel: list[dict[str, Any]]
    # The registry's (name, ID number, phone) of the existing persons the rows name.
    subjects: dict[int, tuple[str, str | None, str]]


def import_plan(
    actor: Any, scope: OrgUnit, rows: list[ImportRow], units: list[OrgUnit], result: ImportResult
) -> Plan:
    """The plan for `rows` (each going into its unit of `units`); counts go to `result`."""
    # `unit.id`, not `unit.pk`: a plain attribute, read once per row (Model.pk is a property)
    keys = {(u.id, r.address) for r, u in zip(rows, units, strict=True) if r.address}
    household_ids = existing_households(keys)
    by_unit = {u.id: u for u in units}
    new_households = [(key, by_unit[key[0]].code) for key in sorted(keys - household_ids.keys())]
    del keys
    by_id, by_name = existing_persons(
        scope.scope_prefix,
        (r.id_number for r in rows if r.id_number),
        (r.name for r in rows if not r.id_number),
    )
    new_persons: list[int] = []
    new_index: dict[tuple[Any, ...], int] = {}
    changed_mobiles: dict[int, str] = {}
    subjects: dict[int, tuple[str, str | None, str]] = {}
    # A row's person: an existing id (>= 1) or a new person's index, negated (<= -1).
    refs: list[int] = []
    for i, r in enumerate(rows):
        found: Found | None = (
            by_id.get(r.id_number) if r.id_number else by_name.get((r.name, r.mobile))
        )
        if found is None:
            who = (r.id_number,) if r.id_number else (r.name, r.mobile)
            index = new_index.get(who)
            if index is None:
                index = new_index[who] = len(new_persons)
                new_persons.append(i)
            refs.append(-1 - index)
            continue
        pk, mobile, code, name, number = found
        if code.startswith(scope.scope_prefix) and r.mobile and mobile != r.mobile:
            changed_mobiles[pk] = r.mobile
        subjects[pk] = (name, number, mobile)
        refs.append(pk)
    del new_index, by_id, by_name
    for pk, mobile in changed_mobiles.items():
        name, number, _old = subjects[pk]
        subjects[pk] = (name, number, mobile)
    travel = existing_travel(p for p in refs if p > 0)
    new_travel: list[int] = []
    new_travel_refs: list[int] = []
    changed_travel: list[dict[str, Any]] = []
    for i, (r, unit, ref) in enumerate(zip(rows, units, refs, strict=True)):
        record = travel.get((ref, r.journey.arrived_on)) if ref > 0 else None
        if record is None:
            new_travel.append(i)
            new_travel_refs.append(ref)
            result.created += 1
            continue
        home = (unit.id, r.address) if r.address else None
        home_id = household_ids.get(home) if home else None
        changes = _travel_changes(record, r, home, home_id)
        if changes:
            changed_travel.append(record | changes)
        if changes or ref in changed_mobiles:
            result.updated += 1
        else:
            result.unchanged += 1
    return Plan(
        rows,
        units,
        new_households,
        household_ids,
        new_persons,
        changed_mobiles,
        new_travel,
        new_travel_refs,
        changed_travel,
        subjects,
    )


def new_person(actor_id: int | None, unit: OrgUnit, r: ImportRow, romanised: Any) -> dict[str, Any]:
    """A new person's columns (its household by key: `household`, (unit id, address))."""
    pinyin, initials = romanised(r.name)
    return {
        "id_number": r.id_number,
        "name": r.name,
        "name_pinyin": pinyin,
        "name_initials": initials,
        "sex": r.sex,
        "birth_date": r.birth_date,
        "mobile": r.mobile,
        "household": (unit.id, r.address) if r.address else None,
        "unit_id": unit.id,
        "unit_code": unit.code,
        "created_by_id": actor_id,
    }


def new_travel(actor_id: int | None, unit: OrgUnit, r: ImportRow) -> dict[str, Any]:
    j = r.journey
    return {
        "unit_id": unit.id,
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
    record: dict[str, Any], r: ImportRow, home: Home | None, home_id: int | None
) -> dict[str, Any]:
    """What the row changes on an existing journey (empty if nothing)."""
    changes = {
        name: getattr(r.journey, name)
        for name in TRAVEL_FIELDS
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
