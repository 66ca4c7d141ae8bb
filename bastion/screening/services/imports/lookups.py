"""What the registry already holds for a file's rows, read in bulk: one query per table on
PostgreSQL (the values go as one array parameter, `column = ANY(%s)`, which the planner
probes through the column's index), chunks of `IN` lists elsewhere. Plain SQL: at 50,000
rows, building and compiling ORM `IN` lists of thousands of values cost more than the
queries themselves."""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db import connection

from bastion.people.models import Household, Person
from bastion.screening.models import TravelRecord

# SQLite's limit on parameters is 999 in older builds; PostgreSQL takes one array.
IN_CHUNK = 500
TRAVEL_FIELDS = (
    "origin_province",
    "origin_city",
    "origin_county",
    "origin_code",
    "departed_on",
    "transport",
    "transport_no",
    "companions_note",
)
# A person found: (id, mobile, unit_code, name, id_number).
Found = tuple[int, str, str, str, str | None]


def rows_matching(
    sql: str, params: list[Any], column: str, values: Iterable[Any]
) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql`, whose `{match}` stands for "`column` is one of `values`"."""
    wanted = sorted(set(values))
    if not wanted:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.format(match=f"{column} = ANY(%s)"), [*params, wanted])
            yield from cursor.fetchall()
            return
        for i in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[i : i + IN_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(sql.format(match=f"{column} IN ({marks})"), [*params, *chunk])
            yield from cursor.fetchall()


def existing_households(keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """Households already at these (unit id, address): their ids."""
    unit_ids = sorted({k[0] for k in keys})
    units = ", ".join(str(int(u)) for u in unit_ids) or "NULL"
    sql = (
        f"SELECT id, unit_id, address FROM {Household._meta.db_table} "  # noqa: S608 - ids are ints
        f"WHERE unit_id IN ({units}) AND {{match}}"
    )
    found: dict[tuple[int, str], int] = {}
    for pk, unit_id, address in rows_matching(sql, [], "address", (k[1] for k in keys)):
        if (unit_id, address) in keys:
            found[(unit_id, address)] = pk
    return found


def existing_persons(
    prefix: str, id_numbers: Iterable[str], names: Iterable[str]
) -> tuple[dict[str, Found], dict[tuple[str, str], Found]]:
    """Live persons by ID number (anywhere), and by name and phone among those of the unit
    (`prefix`) with a phone: the first by unit code, name and id when several share both."""
    table = Person._meta.db_table
    columns = "id, mobile, unit_code, name, id_number"
    by_id: dict[str, Found] = {}
    sql = f"SELECT {columns} FROM {table} WHERE merged_into_id IS NULL AND {{match}}"  # noqa: S608
    for pk, mobile, code, name, number in rows_matching(sql, [], "id_number", id_numbers):
        by_id[number or ""] = (pk, mobile, code, name, number)
    by_name: dict[tuple[str, str], Found] = {}
    sql = (
        f"SELECT {columns} FROM {table} WHERE merged_into_id IS NULL "  # noqa: S608
        "AND unit_code LIKE %s AND mobile <> '' AND {match} ORDER BY unit_code, name, id"
    )
    for pk, mobile, code, name, number in rows_matching(sql, [f"{prefix}%"], "name", names):
        by_name.setdefault((name, mobile), (pk, mobile, code, name, number))
    return by_id, by_name


def existing_travel(person_ids: Iterable[int]) -> dict[tuple[int, date], dict[str, Any]]:
    """The travel records of these persons, by (person, arrival day), as column dicts."""
    fields = (
        "id",
        "person_id",
        "arrived_on",
        *TRAVEL_FIELDS,
        "risk_area_id",
        "household_id",
        "version",
    )
    sql = f"SELECT {', '.join(fields)} FROM {TravelRecord._meta.db_table} WHERE {{match}}"  # noqa: S608
    found: dict[tuple[int, date], dict[str, Any]] = {}
    for values in rows_matching(sql, [], "person_id", person_ids):
        record = dict(zip(fields, values, strict=True))
        found[(record["person_id"], record["arrived_on"])] = record
    return found
