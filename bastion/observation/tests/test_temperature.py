"""Typed temperatures: the decision is to read a decimal comma as a point (36,5 → 36.5) and to
refuse every implausible value with a message naming the probable typo."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.observation.temperature import parse_temperature

LOW, HIGH = Decimal("34.0"), Decimal("43.0")


def parse(raw: object) -> Decimal:
    return parse_temperature(raw, low=LOW, high=HIGH)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("36.5", "36.5"),
        ("36,5", "36.5"),
        ("36，5", "36.5"),
        ("36。5", "36.5"),
        ("３６．５", "36.5"),
        (" 37.3℃ ", "37.3"),
        ("38度", "38.0"),
        (36.5, "36.5"),
        (Decimal("37"), "37.0"),
    ],
)
def test_it_accepts_the_ways_people_write_a_temperature(raw, expected):
    assert parse(raw) == Decimal(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("3.65", "体温 3.65 °C 不可能：是否小数点点错了位置（36.5 °C）？请核对后重新填写。"),
        ("365", "体温 365 °C 不可能：是否漏了小数点（36.5 °C）？请核对后重新填写。"),
        ("3650", "体温 3650 °C 不可能：是否漏了小数点（36.5 °C）？请核对后重新填写。"),
        ("45", "体温 45 °C 超出合理范围（34.0–43.0 °C），请重新测量。"),
        ("-1", "体温不能是负数。"),
        ("abc", "体温应为数字，例如 36.5。"),
        ("36.5.1", "体温应为数字，例如 36.5。"),
        ("NaN", "体温应为数字，例如 36.5。"),
        ("1e2", "体温应为数字，例如 36.5。"),
        ("", "请填写体温。"),
        ("   ", "请填写体温。"),
        (None, "请填写体温。"),
        ("36.55", "体温精确到 0.1 °C 即可，例如 36.5。"),
    ],
)
def test_it_refuses_typos_with_a_clear_message(raw, message):
    with pytest.raises(ValueError) as excinfo:
        parse(raw)
    assert str(excinfo.value) == message


@given(st.text(max_size=20))
def test_it_never_fails_other_than_with_a_message(raw):
    try:
        value = parse(raw)
    except ValueError as e:
        assert str(e)
    else:
        assert LOW <= value <= HIGH
        assert value == value.quantize(Decimal("0.1"))
