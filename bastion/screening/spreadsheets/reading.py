"""Reading the sheets villages really keep (python-calamine; a large .xlsx as a stream,
`xlsx_stream`), row by row, so that a large file is never all Python objects at once.

Tolerant by design: title rows and merged cells above the header, header synonyms, several
sheets, blank rows; the cells themselves (full-width digits, stray spaces, dates typed in
five ways or stored as Excel serial numbers) are read by `cells`. Each problem becomes a
`CellError` with the sheet, the Excel row number, the column as the file names it, and a
message a village worker can act on.
"""

import gc
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from python_calamine import CalamineWorkbook

from bastion.core.validators import to_halfwidth
from bastion.screening.spreadsheets import xlsx_stream

# The cell values moved to `cells`; their old home still names them.
from bastion.screening.spreadsheets.cells import CITY_PROVINCES as CITY_PROVINCES
from bastion.screening.spreadsheets.cells import EXCEL_EPOCH as EXCEL_EPOCH
from bastion.screening.spreadsheets.cells import PROVINCES as PROVINCES
from bastion.screening.spreadsheets.cells import TRANSPORT_WORDS as TRANSPORT_WORDS
from bastion.screening.spreadsheets.cells import excel_serial as excel_serial
from bastion.screening.spreadsheets.cells import parse_date as parse_date
from bastion.screening.spreadsheets.cells import parse_transport as parse_transport
from bastion.screening.spreadsheets.cells import split_origin as split_origin
from bastion.screening.spreadsheets.cells import text as text

# Canonical column -> the headers people write for it (compared without spaces and marks).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "人员姓名", "返乡人员姓名", "返乡人员", "户主姓名"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "证件号"),
    "mobile": ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "电话号码"),
    "address": ("住址", "现住址", "家庭住址", "居住地址", "详细地址", "地址", "在株住址"),
    "arrived_on": (
        "返乡日期",
        "到达时间",
        "抵株时间",
        "到达日期",
        "抵达日期",
        "返回日期",
        "返株时间",
        "到株时间",
        "返乡时间",
        "抵达时间",
    ),
    "departed_on": ("出发日期", "出发时间", "离开日期", "离汉时间", "离开时间"),
    "origin": (
        "从何地返回",
        "从何地来",
        "来源地",
        "出发地",
        "返回地",
        "从何地来株",
        "来自",
        "来自何地",
    ),
    "origin_province": ("省", "省份", "出发省份"),
    "origin_city": ("市", "城市", "出发城市", "地市"),
    "origin_county": ("县", "县区", "区县"),
    "transport": ("交通方式", "出行方式", "返乡方式"),
    "transport_no": ("车次", "航班", "车牌", "车牌号", "车次航班车牌", "车次航班", "班次"),
    "companions_note": ("同行人员", "同行人", "同行"),
    "note": ("备注", "说明"),
}
_HEADER_CLEAN = re.compile(r"[\s*＊:：/／、()（）\[\]【】]|必填|选填")
HEADER_SCAN_ROWS = 20


def header_key(text: object) -> str | None:
    """The canonical column a header cell names, or None."""
    cleaned = _HEADER_CLEAN.sub("", to_halfwidth(str(text or "")))
    if not cleaned:
        return None
    for key, names in SYNONYMS.items():
        if cleaned in {_HEADER_CLEAN.sub("", n) for n in names}:
            return key
    return None


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(slots=True)  # one per data row: no per-instance dict
class SheetRow:
    """One data row: its values by canonical column, and where they came from."""

    sheet: str
    row: int  # the Excel row number, 1-based, as the user sees it
    values: dict[str, Any]
    headers: dict[str, str]  # canonical column -> the header as the file writes it
    raw: list[Any] = field(default_factory=list)

    def column(self, key: str) -> str:
        return self.headers.get(key, key)


@dataclass
class SheetTable:
    name: str
    header_row: int
    headers: dict[str, str]
    columns: dict[str, int]
    raw_header: list[Any]
    rows: list[SheetRow]


@dataclass
class SheetStream:
    """A sheet with a header, its data rows read as they are asked for: a large file's
    cells are never all Python objects at once."""

    name: str
    header_row: int
    headers: dict[str, str]
    columns: dict[str, int]
    raw_header: list[Any]
    rows: Iterator[SheetRow]
    # The rows below the header, blank ones included (for a progress bar's total).
    height: int


UNREADABLE = "无法读取文件：不是有效的 Excel 文件（.xlsx、.xls 或 .ods），或文件已损坏。"


class UnreadableFile(Exception):  # noqa: N818 - a state of the input, said as such
    """The file could not be read at all; the message says why (in Chinese)."""


def _open(source: str | Path | IO[bytes]) -> CalamineWorkbook:
    try:
        if isinstance(source, str | Path):
            path = Path(source)
            if not path.exists():
                raise UnreadableFile(f"找不到文件：{path}")
            return CalamineWorkbook.from_path(str(path))
        return CalamineWorkbook.from_filelike(source)
    except UnreadableFile:
        raise
    except Exception as e:  # calamine raises its own types for every broken format
        raise UnreadableFile(UNREADABLE) from e


def _find_header(rows: list[list[Any]]) -> int | None:
    """The row (0-based) that names the most known columns, at least two of them."""
    best, best_count = None, 1
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = {header_key(c) for c in row} - {None}
        if len(keys) > best_count:
            best, best_count = i, len(keys)
    return best


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


NO_HEADER = "没有找到表头：请确认表中有“姓名”“身份证号”“手机号”“返乡日期”等列名中的至少两个。"


def _data_rows(
    name: str, headers: dict[str, str], columns: dict[str, int], rows: Iterator[list[Any]], at: int
) -> Iterator[SheetRow]:
    """The non-blank rows of `rows`, the first of which is the sheet's row `at` (1-based)."""
    items = list(columns.items())
    for number, row in enumerate(rows, start=at):
        if all(_blank(v) for v in row):
            continue
        width = len(row)
        values = {key: row[i] if i < width else None for key, i in items}
        yield SheetRow(sheet=name, row=number, values=values, headers=headers)


def sheets_read(source: str | Path | IO[bytes]) -> Iterator[SheetStream]:
    """Every sheet with a recognisable header, one after the other, its data rows read
    lazily (blank ones skipped). Read each sheet's rows before asking for the next sheet.

    Raises UnreadableFile when the file is not a workbook, and once every sheet is read
    when none has a header."""
    source = str(source) if isinstance(source, Path) else source
    found = False
    for name, rows, height in _sheets(source):
        head = [row for _, row in zip(range(HEADER_SCAN_ROWS), rows, strict=False)]
        header_at = _find_header(head)
        if header_at is None:
            continue
        found = True
        header = head[header_at]
        columns: dict[str, int] = {}
        headers: dict[str, str] = {}
        for index, cell in enumerate(header):
            key = header_key(cell)
            if key is not None and key not in columns:
                columns[key] = index
                headers[key] = str(cell).strip()
        below = max(0, (height or len(head)) - header_at - 1)
        rest = itertools.chain(head[header_at + 1 :], rows)
        data = _data_rows(name, headers, columns, rest, header_at + 2)
        yield SheetStream(name, header_at + 1, headers, columns, list(header), data, below)
    if not found:
        raise UnreadableFile(NO_HEADER)


def _sheets(source: str | IO[bytes]) -> Iterator[tuple[str, Iterator[list[Any]], int]]:
    """(name, rows from the sheet's first, rows it has) of each sheet. calamine reads a
    sheet whole before its first row can be had; a large .xlsx is read as a stream."""
    if xlsx_stream.large(source):
        try:
            sheets = xlsx_stream.Sheets(source)
        except Exception as e:  # a broken zip or XML: as calamine would say
            raise UnreadableFile(UNREADABLE) from e
        for name, part in sheets.names:
            yield name, _unbroken(sheets.rows(part)), sheets.height(part)
        return
    book = _open(source)
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
        except Exception:  # noqa: S112 - a sheet calamine cannot parse (a chart sheet) is skipped
            continue
        # iter_rows() makes one row at a time Python objects (to_python() the whole sheet at
        # once); it starts at the sheet's first row, as Excel numbers them.
        end = sheet.end
        yield name, sheet.iter_rows(), end[0] + 1 if end else 0


def _unbroken(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """`rows`, a file found broken halfway (bad XML, a truncated zip) said as calamine's."""
    try:
        yield from rows
    except Exception as e:
        raise UnreadableFile(UNREADABLE) from e


def read_tables(source: str | Path | IO[bytes]) -> list[SheetTable]:
    """Every sheet with a recognisable header, its data rows (blank ones skipped), all read.

    Raises UnreadableFile when the file is not a workbook or no sheet has a header.
    """
    return [
        SheetTable(s.name, s.header_row, s.headers, s.columns, s.raw_header, list(s.rows))
        for s in sheets_read(source)
    ]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a bulk read or write, back as it was after. Reading
    a file makes millions of short-lived objects while it keeps hundreds of thousands of
    rows, and every full collection walks all of them again: 500,000 rows took 112 s of CPU
    to read and check with it, 33 s without. The objects made here form no cycles."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def iter_rows(tables: list[SheetTable]) -> Iterator[SheetRow]:
    for table in tables:
        yield from table.rows
