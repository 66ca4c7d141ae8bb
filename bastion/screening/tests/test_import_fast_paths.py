"""The import's fast paths give exactly what the shared validators give."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.core.validators import citizen_id_canonical, id_check_char
from bastion.people.services import name_romanised
from bastion.screening.services.romanise import romaniser
from bastion.screening.spreadsheets.reading import text
from bastion.screening.spreadsheets.returnees import _id_parser, _mobile

TODAY = date(2026, 11, 28)
# Common surnames and given-name characters, with polyphones (单 曾 解 查 行 长 重 乐 朝 和).
HAN = (
    "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文单解查华行长重乐朝和"
)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=HAN, min_size=1, max_size=4),
    st.text(alphabet="abcXYZ0123 ·", max_size=3),
)
def test_romanising_matches_the_registry(han, tail):
    name = han + tail
    assert romaniser()(name) == name_romanised(name)


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=date(1880, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(0, 999),
    st.sampled_from(["good", "bad", "x"]),
)
def test_the_id_fast_path_matches_the_validator(born, sequence, kind):
    first17 = f"430211{born:%Y%m%d}{sequence:03d}"
    check = id_check_char(first17)
    last = {"good": check, "bad": "0" if check != "0" else "1", "x": "X"}[kind]
    value = first17 + last
    try:
        expected = citizen_id_canonical(value)
    except ValueError as e:
        expected = e
    try:
        got = _id_parser(TODAY)(value)
    except ValueError as e:
        got = e
    if isinstance(expected, ValueError):
        assert isinstance(got, ValueError) and str(got) == str(expected)
    else:
        assert got == expected


@pytest.mark.parametrize(
    "value", ["13900000001", " 13900000001", "139 0000 0001", 13900000001.0, "+8613900000001"]
)
def test_the_mobile_fast_path_matches_the_validator(value):
    from bastion.core.validators import normalize_mobile

    assert _mobile(value) == normalize_mobile(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" a  b ", "a b"),
        ("a\tb", "a b"),
        ("张三\u3000李四", "张三 李四"),
        ("１２３", "123"),
        (1.0, "1"),
    ],
)
def test_text_collapses_spaces(value, expected):
    assert text(value) == expected
