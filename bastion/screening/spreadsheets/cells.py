"""Cell values as villages type them: text cleaned of full-width characters and stray
spaces, dates written in five ways or stored as Excel serial numbers, means of transport in
words, and origins as people write them (湖北省武汉市江岸区, 湖北武汉, 武汉)."""

import re
from datetime import date, datetime, timedelta
from typing import Any

from bastion.core.validators import to_halfwidth

EXCEL_EPOCH = date(1899, 12, 30)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
