"""The import's second floor: the rows the import wrote, put raw into the same tables.

The first floor (`importing.floor_run`) copies one row per sheet row into a temporary table
with no index and no constraint: it is the machine's limit for reading the sheet and moving
its cells into PostgreSQL, and it leaves out what any write of this data into this schema
costs (five rows per sheet row, the tables' indexes, the foreign-key checks). This floor
keeps that cost and nothing else: the import's own rows, captured before its rollback, are
copied back into the same five tables by a raw bulk insert (COPY in binary on PostgreSQL,
`executemany` on SQLite), after the same calamine read of the sheet, with the foreign keys
checked before the rollback as on the import's side. Its ratio is what the import's own
work (validation, deduplication, routing, planning, building rows) adds. Decision 0009.
"""

import pickle
from pathlib import Path
from typing import Any

from django.db import connection, models
from python_calamine import CalamineWorkbook

from bastion.benchmarks.marks import quoted
from bastion.people.models import Household, Person
from bastion.screening.models import Signal, SignalEvent, TravelRecord

# In the order their foreign keys allow (a person's household before the person, ...).
WRITTEN: tuple[type[models.Model], ...] = (Household, Person, TravelRecord, Signal, SignalEvent)

_BLOCK = 1 << 20


def capture(marks: dict[str, int], folder: Path) -> dict[str, int]:
    """Write each table's rows above its mark into `folder` (one file per table), and count
    them. Runs inside the import's transaction, after it, outside its time."""
    counts = {}
    with connection.cursor() as cursor:
        for model in WRITTEN:
            table, path = model._meta.db_table, folder / model._meta.db_table
            select = f"SELECT * FROM {quoted(model)} WHERE id > {marks[table]:d} ORDER BY id"  # noqa: S608
            if connection.vendor == "postgresql":
                with (
                    path.open("wb") as out,
                    cursor.cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT binary)") as copy,
                ):
                    for block in copy:
                        out.write(block)
                cursor.execute(f"SELECT count(*) FROM ({select}) AS written")  # noqa: S608
                counts[table] = int(cursor.fetchone()[0])
            else:
                cursor.execute(select)
                rows = cursor.fetchall()
                path.write_bytes(pickle.dumps(rows))
                counts[table] = len(rows)
    return counts


def same_rows_floor(sheet: Path, folder: Path) -> dict[str, Any]:
    """Read every cell of `sheet` with calamine, then insert the captured rows raw into their
    own tables; the caller holds the transaction (and checks the foreign keys)."""
    cells = CalamineWorkbook.from_path(str(sheet)).get_sheet_by_index(0).to_python()
    rows = 0
    with connection.cursor() as cursor:
        for model in WRITTEN:
            path = folder / model._meta.db_table
            if connection.vendor == "postgresql":
                with (
                    path.open("rb") as source,
                    cursor.cursor.copy(f"COPY {quoted(model)} FROM STDIN (FORMAT binary)") as copy,
                ):
                    while block := source.read(_BLOCK):
                        copy.write(block)
                rows += cursor.rowcount
            else:
                # Trusted: the file was written by `capture` in this same run.
                values = pickle.loads(path.read_bytes())  # noqa: S301
                if values:
                    marks = ", ".join(["%s"] * len(values[0]))
                    cursor.executemany(f"INSERT INTO {quoted(model)} VALUES ({marks})", values)  # noqa: S608
                rows += len(values)
    return {"rows": rows, "cells": sum(len(r) for r in cells)}
