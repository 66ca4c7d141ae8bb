"""Verification lists in Excel: read a pushed-down list, write the verified list back up."""

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from django.utils import timezone

from bastion.core.masking import mask_id_number, mask_mobile
from bastion.screening.models import VerificationRow
from bastion.screening.services.verification import ListRow
from bastion.screening.spreadsheets.reading import iter_rows, read_tables, text

_MAIN = ("name", "id_number", "mobile", "address")


def list_rows_read(source: str | Path | IO[bytes]) -> list[ListRow]:
    """The rows of a pushed-down list, every sheet with a header; raises UnreadableFile."""
    rows = []
    for row in iter_rows(read_tables(source)):
        values = row.values
        rows.append(
            ListRow(
                sheet=row.sheet,
                row=row.row,
                name=text(values.get("name"))[:40],
                id_number=text(values.get("id_number"))[:40],
                mobile=text(values.get("mobile"))[:30],
                address=text(values.get("address"))[:200],
                extra={
                    row.column(k): text(v)[:100]
                    for k, v in values.items()
                    if k not in _MAIN and text(v)
                },
            )
        )
    return rows


EXPORT_COLUMNS = [
    "原表",
    "行号",
    "姓名",
    "身份证号",
    "手机号",
    "住址",
    "分派村（社区）",
    "分派依据",
    "核查结果",
    "更正姓名",
    "更正身份证号",
    "更正手机号",
    "更正住址",
    "备注",
    "核查时间",
]


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def vlist_export_write(
    out: IO[bytes], rows: Iterable[VerificationRow], *, title: str, reveal: bool = False
) -> int:
    """Write the verified list (核查结果) to `out`; masked unless `reveal`. Returns the row
    count. Corrections stand in their own columns beside the original values."""
    id_of = (lambda v: v) if reveal else mask_id_number
    mobile_of = (lambda v: v) if reveal else mask_mobile
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet("核查结果")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, [title], bold)
    sheet.write_row(1, 0, EXPORT_COLUMNS, bold)
    count = 0
    for r, row in enumerate(rows, start=2):
        values: list[Any] = [
            row.sheet,
            row.row_number,
            row.name,
            id_of(row.id_number),
            mobile_of(row.mobile),
            row.address,
            row.unit.name if row.unit else "未能分派",
            row.get_routed_by_display() if row.routed_by else "",
            row.get_status_display(),
            row.corrected_name,
            id_of(row.corrected_id_number),
            mobile_of(row.corrected_mobile),
            row.corrected_address,
            row.note,
            _local(row.verified_at),
        ]
        sheet.write_row(r, 0, [str(v) if not isinstance(v, int) else v for v in values])
        count += 1
    book.close()
    return count
