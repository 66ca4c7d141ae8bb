"""The returnee list import (返乡人员名单导入): read and validate a village's workbook.

The file is read a chunk of rows at a time (`READ_CHUNK`); validation runs column by column
over a chunk, each distinct value judged once (the same date or origin repeats on hundreds of
rows), then row by row only to combine the columns. Duplicates are found across the whole
file. Nothing here writes; `bastion.screening.services.imports` plans and applies.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from operator import mul
from pathlib import Path
from typing import IO, Any

from bastion.core.validators import (
    ID_CHECK_CHARS,
    ID_WEIGHTS,
    citizen_id_canonical,
    normalize_mobile,
)
from bastion.screening.models import HighRiskArea, Transport
from bastion.screening.services.travel import CleanJourney, Journey, journey_clean
from bastion.screening.spreadsheets.reading import (
    CellError,
    SheetRow,
    collector_paused,
    parse_date,
    parse_transport,
    sheets_read,
    split_origin,
    text,
)

# The template's headers, also used for a column a sheet lacks altogether.
LABELS = {
    "name": "姓名",
    "id_number": "身份证号",
    "mobile": "手机号",
    "address": "住址",
    "origin": "从何地返回",
    "departed_on": "出发日期",
    "arrived_on": "返乡日期",
    "transport": "交通方式",
    "transport_no": "车次/航班/车牌",
    "companions_note": "同行人员",
    "note": "备注",
}
# Journey fields as journey_clean names them -> the sheet column they come from.
_JOURNEY_COLUMN = {
    "origin_province": "origin",
    "origin_city": "origin",
    "origin_county": "origin",
    "departed_on": "departed_on",
    "arrived_on": "arrived_on",
    "transport": "transport",
    "transport_no": "transport_no",
    "companions_note": "companions_note",
}


@dataclass(slots=True)  # one per accepted row: no per-instance dict
class ImportRow:
    """A row that passed every check: what the registry and the travel record will get."""

    sheet: str
    row: int
    name: str
    id_number: str | None
    mobile: str
    address: str
    journey: CleanJourney
    key: tuple[Any, ...] = ()
    birth_date: date | None = None
    sex: str = "U"
    origin: SheetRow | None = None  # the row as read, for the download of rejected rows
    address_column: str = "住址"


@dataclass
class ReadResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    rejected: list[tuple[SheetRow, list[CellError]]] = field(default_factory=list)
    duplicates: int = 0
    total: int = 0


def _column(row: SheetRow, key: str) -> str:
    return row.headers.get(key) or LABELS.get(key, key)


def _judge(values: list[Any], parse: Callable[[Any], Any]) -> list[tuple[Any, str | None]]:
    """Apply `parse` to a column, once per distinct value; (result, error message) per cell."""
    seen: dict[Any, tuple[Any, str | None]] = {}
    out = []
    for value in values:
        try:
            key: Any = (type(value), value)
            hash(key)
        except TypeError:
            key = (type(value), repr(value))
        if key not in seen:
            try:
                seen[key] = (parse(value), None)
            except ValueError as e:
                seen[key] = (None, str(e))
        out.append(seen[key])
    return out


_ID18 = re.compile(r"^\d{17}[\dX]$")


def _id_parser(today: date) -> Callable[[Any], tuple[str, date, str] | None]:
    """`citizen_id_canonical` for a column: a well-formed 18-digit number is checked here
    (check digit, a real birth date) in a fraction of the time; anything else, and every
    error, goes through the shared validator, so messages and results are the same."""

    def parse(value: Any) -> tuple[str, date, str] | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str) and _ID18.match(value):
            total = sum(map(mul, map(int, value[:17]), ID_WEIGHTS))
            year = int(value[6:10])
            if ID_CHECK_CHARS[total % 11] == value[17] and year >= 1890:
                try:
                    born = date(year, int(value[10:12]), int(value[12:14]))
                except ValueError:
                    born = None
                if born is not None and born <= today:
                    return value, born, "M" if int(value[14:17]) % 2 else "F"
        return citizen_id_canonical(value)

    return parse


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _mobile(value: Any) -> str:
    if isinstance(value, str) and _MOBILE.match(value):
        return value  # already what normalize_mobile would return
    return normalize_mobile(value) if text(value) else ""


# Rows checked together: their columns are judged at once (each distinct value once), then
# let go. A large file is never held whole as cells.
READ_CHUNK = 5000


def returnee_rows_read(
    source: str | Path | IO[bytes],
    *,
    year: int,
    today: date,
    areas: list[HighRiskArea] | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep_rows: bool = True,
) -> ReadResult:
    """Read and check a returnee list. Raises UnreadableFile when it cannot be read at all.

    `keep_rows=False` leaves out each accepted row's cells as read (`ImportRow.origin`):
    only an import routed above the village needs them, for the rows it cannot route."""
    result = ReadResult()
    if areas is None:
        areas = list(HighRiskArea.objects.all())
    check = _Checker(result, year, today, areas, keep_rows)
    done = 0
    with collector_paused():
        for sheet in sheets_read(source):
            total = done + sheet.height
            chunk: list[SheetRow] = []
            for row in sheet.rows:
                chunk.append(row)
                if len(chunk) == READ_CHUNK:
                    done = check(chunk, done, total, progress)
                    chunk = []
            done = check(chunk, done, max(total, done + len(chunk)), progress)
    result.total = done
    if progress is not None:
        progress(done, done)
    return result


class _Checker:
    """Checks chunks of rows into one `ReadResult`; a duplicate is found across chunks."""

    def __init__(
        self, result: ReadResult, year: int, today: date, areas: list[HighRiskArea], keep: bool
    ) -> None:
        self.result = result
        self.year = year
        self.keep = keep
        self.id_parser = _id_parser(today)
        self.journeys = _journey_judge(today, areas)
        self.first_seen: dict[tuple[Any, ...], ImportRow] = {}

    def __call__(
        self,
        sheet_rows: list[SheetRow],
        done: int,
        total: int,
        progress: Callable[[int, int], None] | None,
    ) -> int:
        """Check `sheet_rows`, the rows after the `done` first; return the rows now done."""
        result, year = self.result, self.year

        def column(key: str) -> list[Any]:
            return [r.values.get(key) for r in sheet_rows]

        ids = _judge(column("id_number"), self.id_parser)
        mobiles = _judge(column("mobile"), _mobile)
        arrived = _judge(column("arrived_on"), lambda v: parse_date(v, year=year))
        departed = _judge(column("departed_on"), lambda v: parse_date(v, year=year))
        transports = _judge(column("transport"), parse_transport)
        origins = _judge(column("origin"), split_origin)
        first_seen = self.first_seen
        journeys = self.journeys
        for i, row in enumerate(sheet_rows):
            if progress is not None and (done + i) % 1000 == 0:
                progress(done + i, total)
            errors: list[CellError] = []

            def fail(
                key: str, message: str, row: SheetRow = row, errors: list[CellError] = errors
            ) -> None:
                errors.append(CellError(row.sheet, row.row, _column(row, key), message))

            name = text(row.values.get("name"))
            if not name:
                fail("name", "请填写姓名。")
            elif len(name) > 40:
                fail("name", "姓名不能超过 40 个字。")
            id_parts, id_error = ids[i]
            id_number = id_parts[0] if id_parts else None
            mobile, mobile_error = mobiles[i]
            if id_error:
                fail("id_number", id_error)
            if mobile_error:
                fail("mobile", mobile_error)
            if not id_error and not mobile_error and not id_number and not mobile:
                fail("id_number", "身份证号和手机号至少填写一项。")
            address = text(row.values.get("address"))[:200]
            arrived_on, arrived_error = arrived[i]
            departed_on, departed_error = departed[i]
            transport, transport_error = transports[i]
            for key, error in (
                ("arrived_on", arrived_error),
                ("departed_on", departed_error),
                ("transport", transport_error),
            ):
                if error:
                    fail(key, error)
            province, city, county = origins[i][0] or ("", "", "")
            if "origin" not in row.headers:
                province = text(row.values.get("origin_province"))
                city = text(row.values.get("origin_city"))
                county = text(row.values.get("origin_county"))
            journey_errors: dict[str, str] = {}
            journey = None
            if not (arrived_error or departed_error or transport_error):
                typed = Journey(
                    origin_province=province,
                    origin_city=city,
                    origin_county=county,
                    departed_on=departed_on,
                    arrived_on=arrived_on,
                    transport=transport or Transport.OTHER,
                    transport_no=text(row.values.get("transport_no")),
                    companions_note=text(row.values.get("companions_note")),
                )
                journey, journey_errors = journeys(typed)
            for field_name, message in journey_errors.items():
                fail(_JOURNEY_COLUMN.get(field_name, field_name), message)
            if errors or journey is None:
                result.rejected.append((row, errors))
                result.errors.extend(errors)
                continue
            who: tuple[Any, ...] = (id_number,) if id_number else (name, mobile)
            clean = ImportRow(
                sheet=row.sheet,
                row=row.row,
                name=name,
                id_number=id_number,
                mobile=mobile,
                address=address,
                journey=journey,
                key=(*who, journey.arrived_on),
                birth_date=id_parts[1] if id_parts else None,
                sex=id_parts[2] if id_parts else "U",
                origin=row if self.keep else None,
                address_column=_column(row, "address"),
            )
            earlier = first_seen.get(clean.key)
            if earlier is None:
                first_seen[clean.key] = clean
                result.rows.append(clean)
            elif _same(earlier, clean):
                result.duplicates += 1  # the same person twice: skipped
            else:
                fail(
                    "name",
                    f"与{earlier.sheet}第 {earlier.row} 行是同一人、同一返乡日期，但内容不同，"
                    "请合并后再导入。",
                )
                result.rejected.append((row, errors))
                result.errors.extend(errors)
        return done + len(sheet_rows)


def _journey_judge(
    today: date, areas: list[HighRiskArea]
) -> Callable[[Journey], tuple[CleanJourney | None, dict[str, str]]]:
    """`journey_clean` once per distinct journey: a village's list repeats the same origin,
    day and train on many rows."""
    seen: dict[tuple[Any, ...], tuple[CleanJourney | None, dict[str, str]]] = {}

    def judge(typed: Journey) -> tuple[CleanJourney | None, dict[str, str]]:
        key = (
            typed.origin_province,
            typed.origin_city,
            typed.origin_county,
            typed.origin_code,
            typed.departed_on,
            typed.arrived_on,
            typed.transport,
            typed.transport_no,
            typed.companions_note,
        )
        found = seen.get(key)
        if found is None:
            errors: dict[str, str] = {}
            clean = journey_clean(typed, errors, today=today, areas=areas)
            if "arrived_on" in errors and typed.arrived_on is None:
                errors["arrived_on"] = "请填写返乡日期。"
            if "origin_province" in errors and not typed.origin_province:
                errors["origin_province"] = "请填写从何地返回。"
            found = seen[key] = (clean, errors)
        return found

    return judge


def _same(a: ImportRow, b: ImportRow) -> bool:
    return (a.name, a.mobile, a.address, a.journey) == (b.name, b.mobile, b.address, b.journey)
