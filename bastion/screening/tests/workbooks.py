"""Messy workbooks as villages keep them, written with xlsxwriter for the tests."""

import io
from datetime import date, datetime
from typing import Any

import xlsxwriter


def workbook(
    sheets: dict[str, list[list[Any]]],
    *,
    title: str | None = None,
    titles: dict[str, str] | None = None,
) -> bytes:
    """An .xlsx with one sheet per entry. With `title`, each sheet starts with a title row
    merged across the columns and a blank row, above the header (as offices print them).
    Numbers stay numbers (an ID typed as a number loses digits, as in Excel); dates are
    written as real date cells. `titles` gives a title to some sheets only."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        start = 0
        sheet_title = (titles or {}).get(name, title)
        if sheet_title is not None:
            width = max(len(r) for r in rows)
            sheet.merge_range(0, 0, 0, max(width - 1, 1), sheet_title)
            start = 2
        for r, row in enumerate(rows, start=start):
            for c, value in enumerate(row):
                if isinstance(value, datetime | date):
                    sheet.write_datetime(r, c, value, date_format)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return out.getvalue()
