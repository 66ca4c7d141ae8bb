"""Excel written for the import: the template, and the rejected rows with their reasons."""

from typing import IO, Any

import xlsxwriter

from bastion.screening.spreadsheets.reading import CellError, SheetRow
from bastion.screening.spreadsheets.returnees import LABELS

TEMPLATE_COLUMNS = list(LABELS)
EXAMPLE = {
    "name": "张三",
    "id_number": "430202199001010011",
    "mobile": "13800138000",
    "address": "月塘路 1 号",
    "origin": "湖北省武汉市",
    "departed_on": "2020-01-20",
    "arrived_on": "2020-01-21",
    "transport": "火车",
    "transport_no": "G1234",
    "companions_note": "妻子、儿子",
    "note": "",
}


def _book(out: IO[bytes]) -> tuple[Any, Any, Any]:
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2"})
    as_text = book.add_format({"num_format": "@"})
    return book, bold, as_text


def import_template_write(out: IO[bytes]) -> None:
    """The downloadable template (导入模板): the headers, one example row, ID and phone columns
    formatted as text so Excel keeps every digit."""
    book, bold, as_text = _book(out)
    sheet = book.add_worksheet("返乡人员")
    for c, key in enumerate(TEMPLATE_COLUMNS):
        sheet.set_column(c, c, 22 if key in ("id_number", "address", "origin") else 14, as_text)
    sheet.write_row(0, 0, [LABELS[k] for k in TEMPLATE_COLUMNS], bold)
    sheet.write_row(1, 0, [EXAMPLE[k] for k in TEMPLATE_COLUMNS])
    notes = book.add_worksheet("填写说明")
    lines = [
        "每行一人；身份证号和手机号至少填一项，身份证号一列请保持“文本”格式。",
        "日期可写 2020-01-25、2020/1/25、2020.1.25、2020年1月25日 或 1月25日（年份取本轮排查）。",
        "交通方式：火车、飞机、客车、自驾或其他；自驾请填车牌号。",
        "可以有多个工作表，表头上方可以有标题行；同一人同一返乡日期重复出现只导入一次。",
        "再次导入同一文件不会产生重复；修改后的文件导入时会更新原有记录。",
    ]
    for r, line in enumerate(lines):
        notes.write(r, 0, line)
    book.close()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e15:
        # An ID number Excel stored as a number: show what is left of it, as text.
        return f"{value:.0f}"
    return value if isinstance(value, int | float) else str(value)


def rejected_rows_write(out: IO[bytes], rejected: list[tuple[SheetRow, list[CellError]]]) -> int:
    """The rejected rows (被拒绝的行) with a reason column: fix them and import this file."""
    book, bold, as_text = _book(out)
    sheet = book.add_worksheet("被拒绝的行")
    keys = list(LABELS)
    sheet.write_row(0, 0, ["原工作表", "原行号", *(LABELS[k] for k in keys), "原因"], bold)
    for c in range(len(keys) + 3):
        sheet.set_column(c, c, 16, as_text)
    for r, (row, errors) in enumerate(rejected, start=1):
        values = [row.sheet, row.row, *(_cell(row.values.get(k)) for k in keys)]
        reason = "；".join(f"{e.column}：{e.message}" for e in errors)
        for c, value in enumerate([*values, reason]):
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write(r, c, value)
    book.close()
    return len(rejected)
