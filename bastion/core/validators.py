"""Data standards of DOMAIN.md: citizen ID numbers, mobile numbers, vehicle plates.

Each `normalize_*` function returns the canonical value or raises `ValueError` with a message
a grid worker can act on (in Chinese). Forms, the API and the Excel import all call these, so a
value is judged the same way wherever it is typed.
"""

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.utils import timezone

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"  # index = sum mod 11

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９ＸｘＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＳＴＵＶＷＹＺ－＋　",
    "0123456789XxABCDEFGHJKLMNPQRSTUVWYZ-+ ",
)
# Excel shows an ID typed as a number as 4.30202199001010E+17: 15 significant digits survive.
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def to_halfwidth(value: str) -> str:
    """Full-width digits and letters (common from Chinese input methods) to ASCII."""
    return value.translate(_FULLWIDTH)


@dataclass(frozen=True)
class CitizenId:
    """A validated citizen ID number (居民身份证号码, GB 11643-1999)."""

    number: str
    birth_date: date
    sex: str  # "M" or "F"
    address_code: str

    @property
    def is_legacy(self) -> bool:
        return len(self.number) == 15


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def _birth_date(year: int, month: int, day: int) -> date:
    try:
        born = date(year, month, day)
    except ValueError:
        raise ValueError(
            f"身份证号中的出生日期 {year:04d}-{month:02d}-{day:02d} 不存在，请核对第 7–14 位。"
        ) from None
    if born > timezone.localdate() or year < 1890:
        raise ValueError(f"身份证号中的出生日期 {born.isoformat()} 不可能，请核对第 7–14 位。")
    return born


def parse_citizen_id(raw: object) -> CitizenId:
    """Validate and normalise an ID number; raise ValueError saying exactly what is wrong."""
    if raw is None:
        raise ValueError("请填写身份证号。")
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        # A spreadsheet cell holding the ID as a number: at most 15 digits are exact.
        text = repr(raw) if isinstance(raw, float) else str(raw)
        if isinstance(raw, float) or len(text) > 15:
            raise ValueError(
                "身份证号被 Excel 存成了数字，后几位已经丢失（科学计数法只保留 15 位），"
                "请把该列设为“文本”后重新填写。"
            )
        raw = text
    value = re.sub(r"[\s\-]", "", to_halfwidth(str(raw)))
    if not value:
        raise ValueError("请填写身份证号。")
    if _SCIENTIFIC.match(value):
        raise ValueError(
            "身份证号被 Excel 存成了数字，后几位已经丢失（科学计数法只保留 15 位），"
            "请把该列设为“文本”后重新填写。"
        )
    value = value.upper()
    if len(value) == 18:
        if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
            raise ValueError("身份证号只能由数字组成，最后一位可以是 X。")
        born = _birth_date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        expected = id_check_char(value[:17])
        if value[17] != expected:
            raise ValueError(
                f"身份证号校验位不对：最后一位应为 {expected}，实际为 {value[17]}，请逐位核对。"
            )
        sequence = int(value[14:17])
    elif len(value) == 15:
        if not value.isdigit():
            raise ValueError("15 位旧身份证号只能由数字组成。")
        born = _birth_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
        sequence = int(value[12:15])
    else:
        raise ValueError(f"身份证号应为 18 位（旧证 15 位），现在是 {len(value)} 位。")
    return CitizenId(
        number=value,
        birth_date=born,
        sex="M" if sequence % 2 else "F",
        address_code=value[:6],
    )


def citizen_id_canonical(raw: object) -> tuple[str, date, str]:
    """Validate an ID number; return (18-digit number, birth date, sex).

    An old 15-digit number is upgraded to its 18-digit form (insert the century "19", append
    the check character, as GB 11643-1999 prescribes), so that both forms of one person's
    number meet in the uniqueness check.
    """
    cid = parse_citizen_id(raw)
    number = cid.number
    if cid.is_legacy:
        first17 = number[:6] + "19" + number[6:]
        number = first17 + id_check_char(first17)
    return number, cid.birth_date, cid.sex


def normalize_citizen_id(raw: object) -> str:
    return parse_citizen_id(raw).number


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(raw: object) -> str:
    """Mainland mobile number to its 11 digits; accepts +86/0086, spaces and dashes."""
    if raw is None:
        raise ValueError("请填写手机号。")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    value = re.sub(r"[\s\-()（）]", "", to_halfwidth(str(raw)))
    if value.startswith("0086"):
        value = "+86" + value[4:]
    if value.startswith("+"):
        try:
            parsed = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            raise ValueError("手机号格式不对。") from None
        if parsed.country_code != 86:
            raise ValueError("只支持中国大陆手机号（+86）。")
        value = str(parsed.national_number)
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    if not value.isdigit():
        raise ValueError("手机号只能包含数字。")
    if len(value) != 11:
        raise ValueError(f"手机号应为 11 位，现在是 {len(value)} 位。")
    if not _MOBILE.match(value):
        raise ValueError("手机号应以 13–19 开头。")
    return value


PROVINCE_CHARS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(
    rf"^[{PROVINCE_CHARS}][A-HJ-NP-Z]"
    r"(?:[A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{6}|[A-HJ-NP-Z0-9]{4}[挂学警港澳])$"
)
PLATE_CITIES = {
    "湘A": "长沙",
    "湘B": "株洲",
    "湘C": "湘潭",
    "湘D": "衡阳",
    "湘E": "邵阳",
    "湘F": "岳阳",
    "湘G": "张家界",
    "湘H": "益阳",
}


def normalize_plate(raw: object) -> str:
    """Vehicle plate (号牌): province character, a letter, then 5 (or 6 new-energy) characters."""
    value = re.sub(r"[\s\-·•.]", "", to_halfwidth(str(raw or ""))).upper()
    if not value:
        raise ValueError("请填写车牌号。")
    if value[0] not in PROVINCE_CHARS:
        raise ValueError("车牌号第一位应为省份简称，例如“湘”。")
    if len(value) < 2 or not ("A" <= value[1] <= "Z") or value[1] in "IO":
        raise ValueError("车牌号第二位应为字母（不含 I 和 O），例如“湘B”。")
    if "I" in value[2:] or "O" in value[2:]:
        raise ValueError("车牌号不使用字母 I 和 O，请确认是否为数字 1 或 0。")
    if not _PLATE.match(value):
        raise ValueError("车牌号格式不对：省份简称 + 字母 + 5 位（新能源 6 位），挂车可带“挂”。")
    return value
