"""Figure 1, the import: the tier's screening sheet through the real returnee import (parse,
validate, deduplicate against the registry, write) beside its floor, python-calamine reading
the same file plus a raw bulk insert of as many rows (COPY on PostgreSQL, `executemany` on
SQLite). Each side runs in a forked child so that its peak memory is its own.

Both sides run in a transaction that is rolled back at the end: the dataset is left as it
was (other figures, and other people reading the same database, never see imported rows),
and every run measures a first import, not a re-import of rows an earlier run committed.
What a commit would still have done is done before the rollback, inside the time: the
foreign keys, which Django declares deferred, are checked (`SET CONSTRAINTS ALL IMMEDIATE`).

On a shared machine the wall time mostly measures waiting for a core; each side also
reports the CPU it used, its own process's and, on PostgreSQL on this host, its database
backend's (read from /proc), and the note gives their ratio, which the load hardly moves.

The screening helper's `bench_import()` (its own generated sheet, and a re-import of it)
is reported too: it is the figure that app tracks.

The goal is judged against a second floor, the import's own rows put raw into the same tables
(`same_rows`, decision 0009); the sheet-only floor above is reported beside it.
"""

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from python_calamine import CalamineWorkbook

from bastion.benchmarks.marks import high_water, tidy
from bastion.benchmarks.measure import Row, in_child
from bastion.benchmarks.same_rows import WRITTEN, capture, same_rows_floor
from bastion.benchmarks.sheet import SHEET_UNIT, sheet_write
from bastion.benchmarks.tiers import Tier

COLUMNS = 20


def _backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when it runs on this
    host (None elsewhere, and on SQLite, whose work is this process's)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rolled_back(
    fn: Callable[[], dict[str, Any]], after: Callable[[], object] | None = None
) -> Callable[[], dict[str, Any]]:
    """`fn` inside a transaction that is rolled back once it has run (its writes included),
    with the CPU it used: "client_cpu" (this process) and "server_cpu" (its backend).
    `after` runs once that is measured, before the rollback; its seconds are "after_seconds",
    for the caller to take out of the side's time."""

    def run() -> dict[str, Any]:
        server = _backend_cpu()
        client = time.process_time()
        with transaction.atomic():
            result = fn()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks them now
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default again
            result["client_cpu"] = time.process_time() - client
            used = _backend_cpu()
            result["server_cpu"] = None if used is None or server is None else used - server
            if after is not None:
                started = time.perf_counter()
                result["after"] = after()
                result["after_seconds"] = time.perf_counter() - started
            transaction.set_rollback(True)
        return result

    return run


def _cpu(side: dict[str, Any]) -> tuple[str, float]:
    """'1.9 s + database 5.2 s' and the total, for a side measured by `rolled_back`."""
    client, server = float(side.get("client_cpu") or 0), side.get("server_cpu")
    if server is None:
        return f"{client:.1f} s", client
    return f"{client:.1f} s + database {float(server):.1f} s", client + float(server)


def floor_run(path: Path) -> dict[str, Any]:
    """Read every cell with calamine, insert every row raw into a scratch table."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    names = ", ".join(f"c{i} text" for i in range(COLUMNS))
    values = [[str(v) for v in r[:COLUMNS]] for r in rows]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE bench_sheet_floor ({names})")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY bench_sheet_floor FROM STDIN") as copy:
                for v in values:
                    copy.write_row(v)
        else:
            marks = ", ".join(["%s"] * COLUMNS)
            cursor.executemany(f"INSERT INTO bench_sheet_floor VALUES ({marks})", values)  # noqa: S608
        cursor.execute("DROP TABLE bench_sheet_floor")
    return {"rows": len(values)}


def import_run(path: Path) -> dict[str, Any]:
    from bastion.orgs.models import OrgUnit
    from bastion.screening.services.imports import returnees_import_file

    unit = OrgUnit.objects.get(code=SHEET_UNIT)
    result = returnees_import_file(actor=None, unit=unit, source=str(path), dry_run=False)
    return {
        "created": result.created,
        "rejected": result.rejected,
        "duplicates": result.duplicates,
        "unchanged": result.unchanged,
    }


def vacuum_written() -> list[str]:
    """Put the five tables the import writes back as they were before its rolled-back runs
    (`marks.tidy`, indexes rebuilt), and name them. With autovacuum off or slow (as on the
    machine of docs/benchmarks.md), the next figures would read through the dead rows and
    swollen indexes (the pages got 2-7x slower after a few import runs at tier M)."""
    return tidy(WRITTEN, reindex=True)


def import_bench(tier: Tier, seed: int) -> list[Row]:
    rows: list[Row] = []
    marks = high_water(WRITTEN)
    with tempfile.TemporaryDirectory() as tmp:
        path, written = Path(tmp) / "screening.xlsx", Path(tmp)
        sheet_write(path, tier=tier, seed=seed)
        floor = in_child(rolled_back(lambda: floor_run(path)))
        real = in_child(
            rolled_back(lambda: import_run(path), after=lambda: capture(marks, written))
        )
        real["seconds"] -= real["after_seconds"]
        same = in_child(rolled_back(lambda: same_rows_floor(path, written)))
    vacuum_written()
    real_cpu, floor_cpu, same_cpu = _cpu(real), _cpu(floor), _cpu(same)
    measured = f"{real['seconds']:.2f} s, peak {real['peak_mb']:.0f} MB"
    counts = (
        f"created {real['created']:,}, rejected {real['rejected']:,}, "
        f"duplicates {real['duplicates']:,}"
    )
    rows.append(
        Row(
            figure=f"import of the tier sheet ({tier.sheet_rows:,} rows × {COLUMNS} columns)",
            measured=measured,
            floor=(
                f"{same['seconds']:.2f} s, peak {same['peak_mb']:.0f} MB (the same "
                f"{same['rows']:,} rows into the same tables)"
            ),
            ratio=real["seconds"] / same["seconds"],
            goal="≤ 3×, ≤ 1 GB",
            note=(
                f"{counts}; CPU {real_cpu[0]} against the floor's {same_cpu[0]} "
                f"({real_cpu[1] / max(same_cpu[1], 0.01):.2f}× in CPU); decision 0009"
            ),
            limit=30.0,
        )
    )
    rows.append(
        Row(
            figure="the same import against the sheet alone (one row per sheet row, no index)",
            measured=measured,
            floor=f"{floor['seconds']:.2f} s, peak {floor['peak_mb']:.0f} MB",
            ratio=real["seconds"] / floor["seconds"],
            goal="context",
            note=(
                f"CPU {real_cpu[0]} against {floor_cpu[0]} "
                f"({real_cpu[1] / max(floor_cpu[1], 0.01):.2f}× in CPU)"
            ),
            limit=30.0,
        )
    )
    rows.append(screening_bench_import(tier))
    return rows


def screening_bench_import(tier: Tier) -> Row:
    """The screening app's own benchmark: its sheet, its floor, and a re-import."""
    try:
        from bastion.screening.bench import bench_import
    except ImportError as e:
        return Row("screening bench_import()", f"not available: {e}")
    result = in_child(rolled_back(lambda: bench_import(unit_code=SHEET_UNIT, rows=tier.sheet_rows)))
    return Row(
        figure=f"bench_import() of screening ({result['rows']:,} rows, its own sheet)",
        measured=f"{result['import_seconds']} s (re-import {result['reimport_seconds']} s)",
        floor=f"{result['floor_seconds']} s",
        ratio=float(result["ratio"]),
        goal="context (its own sheet and floor)",
        note=f"peak {result['peak_mb']:.0f} MB for floor + import + re-import",
        limit=30.0,
    )
