"""Reading a typed temperature (体温) the way a tired worker or a worried returnee types it.

Decision (see tests/test_temperature.py): a decimal comma or a Chinese full stop is a decimal
point (36,5 / 36，5 / 36。5 all read 36.5), and a unit suffix (℃, °C, 度) is dropped. Anything
that is not plausible is refused with a message that says which typo it probably is, so that a
typo never becomes a fever alert: 365 and 3.65 are not 36.5 until the person says so.
"""

import re
from decimal import Decimal, InvalidOperation

from bastion.core.validators import to_halfwidth

EMPTY = "请填写体温。"
NOT_A_NUMBER = "体温应为数字，例如 36.5。"
NEGATIVE = "体温不能是负数。"
TOO_PRECISE = "体温精确到 0.1 °C 即可，例如 36.5。"

_SUFFIX = re.compile(r"(℃|°C|°c|°|度|摄氏度)$")
_NUMBER = re.compile(r"^-?\d{1,4}(\.\d{1,4})?$")
TENTH = Decimal("0.1")
# A decimal comma, a full-width comma and the Chinese full stops all mean a decimal point.
_DECIMAL_MARKS = str.maketrans({",": ".", "，": ".", "。": ".", "．": "."})


def _missing_point(value: Decimal, meant: Decimal) -> str:
    return f"体温 {value} °C 不可能：是否漏了小数点（{meant} °C）？请核对后重新填写。"


def _shifted_point(value: Decimal, meant: Decimal) -> str:
    return f"体温 {value} °C 不可能：是否小数点点错了位置（{meant} °C）？请核对后重新填写。"


def out_of_range(value: Decimal, low: Decimal, high: Decimal) -> str:
    return f"体温 {value} °C 超出合理范围（{low}–{high} °C），请重新测量。"


def parse_temperature(raw: object, *, low: Decimal, high: Decimal) -> Decimal:
    """The temperature in °C with one decimal, or ValueError with a message in Chinese.

    `low` and `high` are the policy's plausible range (34.0–43.0 °C by default).
    """
    if raw is None or isinstance(raw, bool):
        raise ValueError(EMPTY)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a JSON 365 may arrive as 365.0: say what was typed
    text = re.sub(r"\s+", "", to_halfwidth(str(raw)))
    text = _SUFFIX.sub("", text).translate(_DECIMAL_MARKS)
    if not text:
        raise ValueError(EMPTY)
    if not _NUMBER.match(text):
        raise ValueError(NOT_A_NUMBER)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(NOT_A_NUMBER) from None
    if value < 0:
        raise ValueError(NEGATIVE)
    if not low <= value <= high:
        for factor in (10, 100):
            if low <= value / factor <= high and value == value.to_integral_value():
                raise ValueError(_missing_point(value, value / factor))
        for factor in (10, 100):
            if low <= value * factor <= high:
                raise ValueError(_shifted_point(value, (value * factor).normalize()))
        raise ValueError(out_of_range(value, low, high))
    if value != value.quantize(TENTH):
        raise ValueError(TOO_PRECISE)
    return value.quantize(TENTH)
