"""The export writer: rows stream into xlsxwriter in constant-memory mode, so a 500,000-row
export needs the memory of one row, not of the sheet."""

from collections.abc import Callable, Iterable
from typing import IO, Any

import xlsxwriter

# Excel's limit is 1,048,576 rows a sheet; a longer export continues on the next sheet.
SHEET_ROWS = 1_000_000


def rows_write(
    out: str | IO[bytes],
    *,
    title: str,
    headers: list[str],
    rows: Iterable[list[Any]],
    progress: Callable[[int], None] | None = None,
    every: int = 5000,
) -> int:
    """Write `rows` under `headers`; call `progress(done)` every `every` rows. Returns the
    number of data rows written."""
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    bold = book.add_format({"bold": True})
    sheet: Any = None
    sheet_row = 0
    done = 0
    for row in rows:
        if sheet is None or sheet_row > SHEET_ROWS:
            sheet = book.add_worksheet(f"{title[:25]}{'' if sheet is None else done // SHEET_ROWS}")
            sheet.write_row(0, 0, headers, bold)
            sheet.freeze_panes(1, 0)
            sheet_row = 1
        sheet.write_row(sheet_row, 0, row)
        sheet_row += 1
        done += 1
        if progress is not None and done % every == 0:
            progress(done)
    if sheet is None:
        sheet = book.add_worksheet(title[:31])
        sheet.write_row(0, 0, headers, bold)
    book.close()
    return done
