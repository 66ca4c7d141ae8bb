"""Reading the sheets villages really keep (python-calamine).

Tolerant by design: title rows and merged cells above the header, header synonyms, several
sheets, full-width digits, stray spaces, blank rows, dates typed in five ways or stored as
Excel serial numbers, and ID numbers that Excel turned into numbers. Each problem becomes a
`CellError` with the sheet, the Excel row number, the column as the file names it, and a
message a village worker can act on.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from python_calamine import CalamineWorkbook

from bastion.core.validators import to_halfwidth

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
EXCEL_EPOCH = date(1899, 12, 30)


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
        raise UnreadableFile(
            "无法读取文件：不是有效的 Excel 文件（.xlsx、.xls 或 .ods），或文件已损坏。"
        ) from e


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


def read_tables(source: str | Path | IO[bytes]) -> list[SheetTable]:
    """Every sheet with a recognisable header, its data rows (blank ones skipped).

    Raises UnreadableFile when the file is not a workbook or no sheet has a header.
    """
    book = _open(source)
    tables: list[SheetTable] = []
    for name in book.sheet_names:
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:  # noqa: S112 - a sheet calamine cannot parse (a chart sheet) is skipped
            continue
        header_at = _find_header(rows)
        if header_at is None:
            continue
        header = rows[header_at]
        columns: dict[str, int] = {}
        headers: dict[str, str] = {}
        for index, cell in enumerate(header):
            key = header_key(cell)
            if key is not None and key not in columns:
                columns[key] = index
                headers[key] = str(cell).strip()
        data: list[SheetRow] = []
        for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
            if all(_blank(v) for v in row):
                continue
            values = {key: row[i] if i < len(row) else None for key, i in columns.items()}
            data.append(SheetRow(sheet=name, row=offset, values=values, headers=headers, raw=row))
        tables.append(SheetTable(name, header_at + 1, headers, columns, list(header), data))
    if not tables:
        raise UnreadableFile(
            "没有找到表头：请确认表中有“姓名”“身份证号”“手机号”“返乡日期”等列名中的至少两个。"
        )
    return tables


def iter_rows(tables: list[SheetTable]) -> Iterator[SheetRow]:
    for table in tables:
        yield from table.rows


# Cell values -----------------------------------------------------------------------------


def text(value: Any) -> str:
    """A cell as clean text: full-width to half-width, runs of spaces to one, trimmed.
    A whole number stored as a float (a phone typed as a number) loses its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    halfwidth = to_halfwidth(str(value))
    if halfwidth.isprintable() and "  " not in halfwidth:
        # No tab, newline or other space than " ", and no run of them: nothing to collapse.
        return halfwidth.strip()
    return _SPACES.sub(" ", halfwidth).strip()


_SPACES = re.compile(r"\s+")
_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_SHORT_DATE = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")


def excel_serial(serial: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: Any, *, year: int) -> date | None:
    """2020-01-25, 2020/1/25, 2020.1.25, 2020年1月25日, 1月25日 (in `year`), an Excel serial
    number (43855), or a date cell. None for a blank cell; ValueError saying what is wrong."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:
            return excel_serial(value)
        raise ValueError(f"日期格式无法识别：{text(value)}，请写成 2020-01-25。")
    raw = text(value)
    match = _FULL_DATE.match(raw)
    parts: tuple[int, int, int] | None = None
    if match:
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif match := _SHORT_DATE.match(raw):
        parts = (year, int(match[1]), int(match[2]))
    elif _SERIAL.match(raw):
        return excel_serial(float(raw))
    if parts is None:
        raise ValueError(f"日期格式无法识别：{raw}，请写成 2020-01-25。")
    try:
        return date(*parts)
    except ValueError:
        raise ValueError(f"日期不存在：{raw}。") from None


TRANSPORT_WORDS: dict[str, tuple[str, ...]] = {
    "train": ("火车", "高铁", "动车", "列车", "铁路", "train"),
    "plane": ("飞机", "航班", "民航", "plane"),
    "coach": ("客车", "大巴", "汽车", "长途车", "班车", "coach"),
    "self_drive": ("自驾", "私家车", "自驾车", "开车", "self_drive"),
    "other": ("其他", "其它", "other"),
}


def parse_transport(value: Any) -> str:
    raw = text(value).lower()
    if not raw:
        return ""
    for code, words in TRANSPORT_WORDS.items():
        if any(w in raw for w in words):
            return code
    raise ValueError(f"交通方式无法识别：{text(value)}，可填火车、飞机、客车、自驾或其他。")


_PROVINCE_END = re.compile(r"^(.+?(?:省|自治区|特别行政区|北京市|天津市|上海市|重庆市))(.*)$")
_CITY_END = re.compile(r"^(.+?(?:自治州|地区|盟|市))(.*)$")
PROVINCES = [
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "台湾",
    "香港",
    "澳门",
]
# Cities people write without their province (从何地返回：武汉).
CITY_PROVINCES = {
    **dict.fromkeys(
        [
            "武汉",
            "黄冈",
            "孝感",
            "荆州",
            "襄阳",
            "宜昌",
            "十堰",
            "随州",
            "鄂州",
            "咸宁",
            "黄石",
            "恩施",
            "荆门",
            "天门",
            "仙桃",
            "潜江",
        ],
        "湖北",
    ),
    **dict.fromkeys(
        ["长沙", "湘潭", "衡阳", "岳阳", "常德", "邵阳", "益阳", "郴州", "永州", "怀化", "娄底"],
        "湖南",
    ),
    **dict.fromkeys(["广州", "深圳", "东莞", "佛山", "珠海", "中山", "惠州"], "广东"),
    **dict.fromkeys(["杭州", "温州", "宁波", "台州", "金华"], "浙江"),
}


def split_origin(value: Any) -> tuple[str, str, str]:
    """Province, city and county of an origin as people write it: '湖北省武汉市江岸区',
    '湖北武汉' and '武汉' all give 湖北 and 武汉."""
    raw = re.sub(r"\s+", "", text(value))
    if not raw:
        return "", "", ""
    match = _PROVINCE_END.match(raw)
    if match:
        province, rest = match[1], match[2]
    elif province_name := next((p for p in PROVINCES if raw.startswith(p)), None):
        province, rest = province_name, raw[len(province_name) :]
    elif city := next((c for c in CITY_PROVINCES if raw.startswith(c)), None):
        province, rest = CITY_PROVINCES[city], raw
    else:
        return raw[:20], "", ""
    city_match = _CITY_END.match(rest)
    if city_match:
        return province, city_match[1], city_match[2]
    city = next((c for c in CITY_PROVINCES if rest.startswith(c)), None)
    if city is not None:
        return province, city, rest[len(city) :]
    return province, rest, ""
