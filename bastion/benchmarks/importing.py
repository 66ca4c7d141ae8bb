"""Figure 1, the import: the tier's screening sheet through the real returnee import (parse,
validate, deduplicate against the registry, write) beside its floor, python-calamine reading
the same file plus a raw bulk insert of as many rows (COPY on PostgreSQL, `executemany` on
SQLite). Each side runs in a forked child so that its peak memory is its own.

The screening helper's `bench_import()` (its own generated sheet, and a re-import of it)
is reported too: it is the figure that app tracks.
"""

import tempfile
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from python_calamine import CalamineWorkbook

from bastion.benchmarks.measure import Row, in_child
from bastion.benchmarks.sheet import SHEET_UNIT, sheet_write
from bastion.benchmarks.tiers import Tier

COLUMNS = 20


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


def import_bench(tier: Tier, seed: int) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "screening.xlsx"
        sheet_write(path, tier=tier, seed=seed)
        floor = in_child(lambda: floor_run(path))
        real = in_child(lambda: import_run(path))
    ratio = real["seconds"] / floor["seconds"]
    rows.append(
        Row(
            figure=f"import of the tier sheet ({tier.sheet_rows:,} rows × {COLUMNS} columns)",
            measured=f"{real['seconds']:.2f} s, peak {real['peak_mb']:.0f} MB",
            floor=f"{floor['seconds']:.2f} s, peak {floor['peak_mb']:.0f} MB",
            ratio=ratio,
            goal="≤ 3×, ≤ 1 GB",
            note=(
                f"created {real['created']:,}, rejected {real['rejected']:,}, "
                f"duplicates {real['duplicates']:,}"
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
    result = in_child(lambda: bench_import(unit_code=SHEET_UNIT, rows=tier.sheet_rows))
    return Row(
        figure=f"bench_import() of screening ({result['rows']:,} rows, its own sheet)",
        measured=f"{result['import_seconds']} s (re-import {result['reimport_seconds']} s)",
        floor=f"{result['floor_seconds']} s",
        ratio=float(result["ratio"]),
        goal="≤ 3×, ≤ 1 GB",
        note=f"peak {result['peak_mb']:.0f} MB for floor + import + re-import",
        limit=30.0,
    )
