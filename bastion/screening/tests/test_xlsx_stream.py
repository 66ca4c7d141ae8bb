"""The streaming reader of large .xlsx files gives the cells calamine gives, and an import
read through it gives what an import read by calamine gives."""

import io
from datetime import date, datetime, time

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from bastion.screening.spreadsheets import xlsx_stream
from bastion.screening.spreadsheets.reading import read_tables
from bastion.screening.tests.test_import import messy, sweep_2020  # noqa: F401 - a fixture
from bastion.screening.tests.test_import_chunks import run, written
from bastion.screening.tests.workbooks import workbook

SERIALS = [43855, 43855.25, 0.5, 1.5, 59, 60, 61, 0, -1, 45000.123456]
FORMATS = [
    "yyyy-mm-dd",
    "[h]:mm",
    "0",
    'yyyy"年"m"月"d"日"',
    "h:mm AM/PM",
    14,
    46,
    "0.00;[Red]-0.00",
    '"Y: "0.00"m"',
    None,
]


def typed_cells(shared: bool) -> bytes:
    """Numbers under date, duration and plain formats, text, booleans, formulas, gaps."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": not shared})
    sheet = book.add_worksheet("一组")
    formats = [book.add_format({"num_format": f}) if f is not None else None for f in FORMATS]
    for r, serial in enumerate(SERIALS):
        for c, fmt in enumerate(formats):
            sheet.write_number(r, c, serial, fmt)
    sheet.write_boolean(0, 12, True)
    sheet.write_boolean(1, 12, False)
    sheet.write_formula(2, 12, "=1/0", None, "#DIV/0!")
    sheet.write_formula(3, 12, '="ab"', None, "ab")
    sheet.write_formula(4, 12, "=1+1", None, 2)
    sheet.write_string(5, 12, "  全角１２３ ")
    sheet.write_rich_string(6, 12, "红", book.add_format({"bold": True}), "色", "字")
    sheet.write_datetime(7, 12, datetime(2020, 1, 25, 6, 30), formats[0])  # noqa: DTZ001
    sheet.write_datetime(8, 12, datetime(2020, 1, 25), formats[0])  # noqa: DTZ001
    sheet.write_datetime(9, 12, time(8, 15), formats[4])
    sheet.write_string(14, 3, "after a gap")  # rows 11-14 are left out
    book.close()
    return out.getvalue()


def calamine_rows(data: bytes, name: str) -> list[list[object]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name)
    left = [""] * (sheet.start[1] if sheet.start else 0)
    return _trimmed([left + row for row in sheet.iter_rows()])


def stream_rows(data: bytes, name: str) -> list[list[object]]:
    sheets = xlsx_stream.Sheets(io.BytesIO(data))
    part = dict(sheets.names)[name]
    return _trimmed(list(sheets.rows(part)))


def _trimmed(rows: list[list[object]]) -> list[list[object]]:
    rows = [list(row) for row in rows]
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


@pytest.mark.parametrize("shared", [True, False], ids=["shared strings", "inline strings"])
def test_the_stream_gives_calamines_cells(shared):
    data = typed_cells(shared)
    expected = calamine_rows(data, "一组")
    got = stream_rows(data, "一组")
    assert got == expected
    # and the types are calamine's: a date is a date, a moment a datetime, a float a float
    assert type(got[0][0]) is date and type(got[1][0]) is datetime and type(got[0][2]) is float


def test_the_stream_reads_the_messy_workbook_as_calamine_does():
    data = messy()
    for name in ("一组", "二组", "三组"):
        assert stream_rows(data, name) == calamine_rows(data, name)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("DD/MM/YY", 1),
        ("H:MM:SS;@", 1),
        ('m"M"d"D";@', 1),
        ("[h]:mm:ss", 2),
        ("[Blue]\\+[h]:mm;[Red]\\-[h]:mm", 2),
        ("[>=100][Magenta].00", 0),
        ('"$"#,##0_);[Red]("$"#,##0)', 0),
        ("0_ ;[Red]\\-0\\ ", 0),
        ("\\Y000000", 0),
        ("#,##0*y", 0),
        ("ha/p\\\\m", 1),
    ],
)
def test_number_formats_are_told_apart_as_calamine_does(code, kind):
    assert xlsx_stream._custom_kind(code) == kind


def test_a_small_file_is_not_streamed_and_a_large_one_is(monkeypatch):
    data = io.BytesIO(messy())
    assert not xlsx_stream.large(data) and data.tell() == 0
    monkeypatch.setattr(xlsx_stream, "STREAM_ABOVE", 0)
    assert xlsx_stream.large(data) and data.tell() == 0
    assert not xlsx_stream.large(io.BytesIO(b"not a zip"))


def test_the_tables_read_either_way_are_the_same(monkeypatch):
    data = workbook({"一组": [["姓名", "身份证号"], ["张三", "430202199001010011"]]}, title="名单")
    by_calamine = read_tables(io.BytesIO(data))
    monkeypatch.setattr(xlsx_stream, "STREAM_ABOVE", 0)
    streamed = read_tables(io.BytesIO(data))
    assert [(t.name, t.header_row, t.headers, t.columns) for t in streamed] == [
        (t.name, t.header_row, t.headers, t.columns) for t in by_calamine
    ]
    assert [[(r.row, r.values) for r in t.rows] for t in streamed] == [
        [(r.row, r.values) for r in t.rows] for t in by_calamine
    ]


@pytest.mark.usefixtures("sweep_2020")
def test_an_import_read_as_a_stream_writes_what_calamine_gives(tree, monkeypatch):
    from django.db import transaction

    with transaction.atomic():
        expected_result = run(tree, messy()).as_job()
        expected = written()
        transaction.set_rollback(True)
    monkeypatch.setattr(xlsx_stream, "STREAM_ABOVE", 0)
    assert run(tree, messy()).as_job() == expected_result
    assert written() == expected


def test_a_large_file_broken_halfway_is_unreadable_not_a_crash(tmp_path, monkeypatch):
    import zipfile

    from bastion.screening.spreadsheets.reading import UnreadableFile

    good = zipfile.ZipFile(io.BytesIO(messy()))
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as out:
        for item in good.infolist():
            data = good.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] + b"<c><v>"  # cut in the middle of the rows
            out.writestr(item, data)
    monkeypatch.setattr(xlsx_stream, "STREAM_ABOVE", 0)
    with pytest.raises(UnreadableFile):
        read_tables(str(broken))
