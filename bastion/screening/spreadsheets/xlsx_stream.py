"""A large .xlsx read row by row from its XML, for the files calamine would hold whole.

calamine parses a whole sheet into memory before its first row can be read: about 1.8 bytes
for each byte of the sheet's XML (900 MB for a sheet of 500,000 rows × 20 columns). Above
`STREAM_ABOVE` bytes of sheet XML, `reading` reads the sheets here instead, with the same
values calamine gives (`iter_rows()`): numbers as floats, dates by the cell's number format
(a date, a datetime, a time or a timedelta, as python-calamine converts them), booleans,
text from shared or inline strings, "" for an empty cell or a formula's error. A test
compares both readers cell by cell."""

import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import IO, Any
from xml.etree.ElementTree import Element, ElementTree, XMLPullParser, parse

STREAM_ABOVE = 100 * 2**20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW, _C, _V, _T, _IS, _R = (_MAIN + t for t in ("row", "c", "v", "t", "is", "r"))
_DIMENSION, _SHEET_DATA = _MAIN + "dimension", _MAIN + "sheetData"
_COLUMN = re.compile(r"[A-Z]+")
_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - a cell's date has no zone, as calamine's
_DATE, _DURATION = 1, 2
_READ = 1 << 16


def _parse(f: IO[bytes]) -> "ElementTree[Element]":
    # expat (2.4 and later, as Python 3.11 ships it) refuses entity expansion bombs and
    # ElementTree resolves no external entity: a workbook's small parts are safe to parse.
    return parse(f)  # noqa: S314


def _events(parser: "XMLPullParser[Element]") -> Iterator[tuple[str, Element]]:
    """The parser's events so far; with "start" and "end" only, each comes with an element."""
    events: Iterator[Any] = parser.read_events()
    yield from events


def worksheets(book: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, part) of each worksheet, in the workbook's order (chart sheets left out)."""
    rels = _parse(book.open("xl/_rels/workbook.xml.rels")).getroot()
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(_PKG_REL + "Relationship")}
    found = []
    for sheet in _parse(book.open("xl/workbook.xml")).getroot().iter(_MAIN + "sheet"):
        target = targets.get(sheet.get(_REL + "id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        if "worksheets/" in part and part in book.namelist():
            found.append((sheet.get("name", ""), part))
    return found


def large(source: str | IO[bytes]) -> bool:
    """Whether `source` is an .xlsx with a sheet of more than `STREAM_ABOVE` bytes of XML.
    A file-like source is left at its start."""
    try:
        with zipfile.ZipFile(source) as book:
            return any(book.getinfo(part).file_size > STREAM_ABOVE for _, part in worksheets(book))
    except (zipfile.BadZipFile, KeyError, OSError, SyntaxError):
        return False
    finally:
        if not isinstance(source, str):
            source.seek(0)


def _custom_kind(code: str) -> int:
    """calamine's `detect_custom_number_format`: a date, a duration, or neither (0)."""
    escaped = quoted = ap = hms = False
    brackets = 0
    prev = " "
    for s in code:
        if escaped:
            escaped = False
        elif s in "_\\*":
            escaped = True
        elif quoted:
            quoted = s != '"'
        elif s == '"':
            quoted = True
        elif s == ";":
            return 0
        elif s == "[":
            brackets += 1
        elif s == "]" and brackets == 1 and hms:
            return _DURATION
        elif s == "]":
            brackets = max(0, brackets - 1)
        elif s in "aA" and not ap and brackets == 0:
            ap = True
        elif brackets == 0 and (s in "pm/PM" if ap else s in "dmhysDMHYS"):
            return _DATE
        elif not (hms and s.lower() == prev.lower()):
            hms = prev == "[" and s in "mhsMHS"
        prev = s
    return 0


def _builtin_kind(number: int) -> int:
    if 14 <= number <= 22 or number in (45, 47):
        return _DATE
    return _DURATION if number == 46 else 0


def _styles(book: zipfile.ZipFile) -> list[int]:
    """The kind of each cell style (`s="n"`) by its number format."""
    try:
        root = _parse(book.open("xl/styles.xml")).getroot()
    except KeyError:
        return []
    custom = {
        int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in root.iter(_MAIN + "numFmt")
    }
    kinds = []
    xfs = root.find(_MAIN + "cellXfs")
    for xf in xfs if xfs is not None else []:
        number = int(xf.get("numFmtId", "0"))
        kinds.append(_custom_kind(custom[number]) if number in custom else _builtin_kind(number))
    return kinds


def _text(element: Element) -> str:
    """A string item's text: its runs, without the phonetic guides (rPh)."""
    direct = element.find(_T)
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for r in element.iter(_R) for t in r.iter(_T))


def _shared(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    strings = []
    parser: XMLPullParser[Element] = XMLPullParser(events=("end",))
    with book.open("xl/sharedStrings.xml") as f:
        while data := f.read(_READ):
            parser.feed(data)
            for _event, element in _events(parser):
                if element.tag == _MAIN + "si":
                    strings.append(_text(element))
                    element.clear()
    return strings


def _date(serial: float, kind: int, is_1904: bool) -> Any:
    """A date-formatted number as python-calamine gives it."""
    if kind == _DURATION:
        return timedelta(milliseconds=round(serial * 86_400_000))
    if is_1904:
        serial += 1462
    elif serial < 60:
        serial += 1  # Excel's 1900 has a 29 February; the days before it are one off
    moment = _EPOCH + timedelta(milliseconds=round(serial * 86_400_000))
    if moment.year < 1900:
        return moment.time()
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        return moment.date()
    return moment


class Sheets:
    """The worksheets of a large .xlsx, each read as a stream of rows of cell values."""

    def __init__(self, source: str | IO[bytes]) -> None:
        self.book = zipfile.ZipFile(source)
        self.names = worksheets(self.book)
        self.kinds = _styles(self.book)
        self.strings = _shared(self.book)
        workbook = _parse(self.book.open("xl/workbook.xml")).getroot()
        pr = workbook.find(_MAIN + "workbookPr")
        self.is_1904 = pr is not None and pr.get("date1904") in ("1", "true")
        self.columns: dict[str, int] = {}  # a cell reference's letters -> its column

    def rows(self, part: str) -> Iterator[list[Any]]:
        """Every row from the first, a row the file leaves out as an empty list."""
        parser: XMLPullParser[Element] = XMLPullParser(events=("start", "end"))
        expected = 1
        data_of: Element | None = None
        with self.book.open(part) as f:
            while data := f.read(_READ):
                parser.feed(data)
                events: Iterator[Any] = parser.read_events()  # (event, element)
                for event, element in events:
                    if event == "start":
                        if element.tag == _SHEET_DATA:
                            data_of = element
                        continue
                    if element.tag != _ROW:
                        continue
                    number = int(element.get("r") or expected)
                    while expected < number:
                        yield []
                        expected += 1
                    yield self._cells(element)
                    expected = number + 1
                    if data_of is not None:  # a row read is let go, not kept in the tree
                        data_of.remove(element)
            parser.close()  # a sheet cut short is an error, as calamine finds it

    def height(self, part: str) -> int:
        """The rows the sheet's `dimension` says it has (0 if it does not say)."""
        parser: XMLPullParser[Element] = XMLPullParser(events=("end",))
        with self.book.open(part) as f:
            while data := f.read(4096):
                parser.feed(data)
                for _event, element in _events(parser):
                    if element.tag == _DIMENSION:
                        last = element.get("ref", "").rpartition(":")[2]
                        digits = _COLUMN.sub("", last)
                        return int(digits) if digits.isdigit() else 0
                    if element.tag == _ROW:
                        return 0
        return 0

    def _cells(self, row: Element) -> list[Any]:
        cells: list[Any] = []
        columns = self.columns
        for cell in row:
            if cell.tag != _C:  # an extension list
                continue
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = _column(letters)
                if column > len(cells):
                    cells.extend([""] * (column - len(cells)))
            kind = cell.get("t")
            if kind == "inlineStr":
                inline = cell.find(_IS)
                cells.append(_text(inline) if inline is not None else "")
                continue
            v = cell.find(_V)
            text = None if v is None else v.text
            if text is None or kind == "e":
                cells.append("")
            elif kind is None or kind == "n":
                style = cell.get("s")
                date_kind = self._kind(style) if style else 0
                number = float(text)
                cells.append(_date(number, date_kind, self.is_1904) if date_kind else number)
            elif kind == "s":
                cells.append(self.strings[int(text)])
            elif kind == "b":
                cells.append(text == "1")
            else:  # "str", a formula's text; "d", an ISO date as text
                cells.append(text)
        return cells

    def _kind(self, style: str) -> int:
        index = int(style)
        return self.kinds[index] if index < len(self.kinds) else 0


def _column(letters: str) -> int:
    """0 for A, 25 for Z, 26 for AA."""
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return column - 1
