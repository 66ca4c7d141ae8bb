"""Benchmark of the returnee import against its floor (DESIGN.md §1.6, issue §5).

The floor is what no import can beat: reading the same file with calamine and inserting the
same rows raw (one `executemany` into a scratch table, one transaction). The import does
that plus checking every cell, finding people, households and journeys already there, and
writing persons, households, travel records and signals. `bench_import()` returns both
times and their ratio; `bastion bench` may call it.
"""

import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import xlsxwriter
from django.db import connection, transaction
from python_calamine import CalamineWorkbook

from bastion.core.validators import id_check_char
from bastion.orgs.models import OrgUnit
from bastion.screening.services.imports import returnees_import_file

HEADER = [
    "姓名",
    "身份证号",
    "手机号",
    "住址",
    "从何地返回",
    "返乡日期",
    "交通方式",
    "车次/航班/车牌",
]
ORIGINS = ["湖北省武汉市", "湖北黄冈", "广东深圳", "湖南长沙", "浙江温州"]


def bench_workbook(path: Path, rows: int) -> None:
    """`rows` distinct returnees with valid ID numbers, the way a village types them."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("返乡人员")
    sheet.write_row(0, 0, HEADER)
    born = date(1950, 1, 1)
    for i in range(rows):
        day = born + timedelta(days=i // 900)
        first17 = f"430211{day:%Y%m%d}{i % 900 + 1:03d}"
        arrived = date(2020, 1, 1) + timedelta(days=i % 40)
        sheet.write_row(
            i + 1,
            0,
            [
                f"返乡{i}",
                first17 + id_check_char(first17),
                f"139{i:08d}",
                f"月塘路 {i // 4 + 1} 号",
                ORIGINS[i % len(ORIGINS)],
                f"{arrived.year}年{arrived.month}月{arrived.day}日",
                "火车",
                "G1234",
            ],
        )
    book.close()


def floor(path: Path) -> float:
    """Read with calamine and insert the same rows raw, in one transaction."""
    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_floor (name text, id_number text, mobile text, "
            "address text, origin text, arrived text, transport text, transport_no text)"
        )
        cursor.executemany(
            "INSERT INTO bench_floor VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [[str(v) for v in r[:8]] for r in rows],
        )
        cursor.execute("DROP TABLE bench_floor")
    return time.perf_counter() - started


def bench_import(*, unit_code: str, rows: int = 100_000) -> dict[str, Any]:
    """Time the import of a `rows`-row sheet into `unit_code` (a village) against the floor.
    Writes real rows: run it on a scratch database."""
    unit = OrgUnit.objects.get(code=unit_code)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        bench_workbook(path, rows)
        floor_seconds = floor(path)
        started = time.perf_counter()
        result = returnees_import_file(actor=None, unit=unit, source=str(path), dry_run=False)
        import_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = returnees_import_file(actor=None, unit=unit, source=str(path), dry_run=False)
        reimport_seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "created": result.created,
        "rejected": result.rejected,
        "reimport_unchanged": again.unchanged,
        "floor_seconds": round(floor_seconds, 2),
        "import_seconds": round(import_seconds, 2),
        "reimport_seconds": round(reimport_seconds, 2),
        "ratio": round(import_seconds / floor_seconds, 1),
    }
