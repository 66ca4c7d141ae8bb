"""Property tests for the data standards the registry stands on: GB 11643 ID numbers and the
server-side masking (the validators live in bastion.core; the registry owns these checks)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.core.masking import mask_id_number, mask_mobile
from bastion.core.validators import (
    citizen_id_canonical,
    id_check_char,
    normalize_mobile,
    parse_citizen_id,
)

address_codes = st.from_regex(r"\A[1-8][0-9]{5}\Z")
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


@st.composite
def citizen_ids(draw: st.DrawFn) -> tuple[str, date, int]:
    address = draw(address_codes)
    born = draw(birth_dates)
    sequence = draw(sequences)
    first17 = f"{address}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17), born, sequence


@given(citizen_ids())
def test_accepts_every_well_formed_id_number_and_derives_sex_and_birth_date(case):
    number, born, sequence = case
    parsed = parse_citizen_id(number)
    assert parsed.number == number
    assert parsed.birth_date == born
    assert parsed.sex == ("M" if sequence % 2 else "F")


@given(citizen_ids())
def test_accepts_lower_case_x_and_full_width_digits(case):
    number, _born, _sequence = case
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    assert parse_citizen_id(full_width.lower()).number == number


@given(citizen_ids(), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_rejects_any_single_digit_change_in_the_first_17(case, position, shift):
    # given: one digit of the first 17 changed, the check character kept
    number, _born, _sequence = case
    digit = (int(number[position]) + shift) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    # then: the weights of MOD 11-2 are all non-zero mod 11, so the check character catches it
    # (unless the birth date it now spells is impossible, which is refused first)
    with pytest.raises(ValueError, match=r"校验位不对|出生日期"):
        parse_citizen_id(changed)


@given(
    address_codes,
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    sequences,
)
def test_a_15_digit_number_becomes_its_18_digit_form(address, born, sequence):
    legacy = f"{address}{born:%y%m%d}{sequence:03d}"
    number, birth_date, sex = citizen_id_canonical(legacy)
    assert number[:6] == address and number[6:14] == f"{born:%Y%m%d}"
    assert parse_citizen_id(number).number == number
    assert (birth_date, sex) == (born, "M" if sequence % 2 else "F")


@given(citizen_ids())
def test_masked_id_number_hides_the_middle_and_keeps_the_length(case):
    number, _born, _sequence = case
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:4] == number[:4] and masked[-4:] == number[-4:]
    assert masked[4:-4] == "*" * 10
    assert number[6:14] not in masked  # the birth date is never shown


mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")


@given(mobiles)
def test_masked_mobile_hides_the_middle_four_digits(mobile):
    masked = mask_mobile(mobile)
    assert len(masked) == 11
    assert masked == mobile[:3] + "****" + mobile[-4:]
    assert masked[3:7] == "****"


@given(mobiles, st.sampled_from(["", "+86", "0086", "+86 "]), st.sampled_from(["", " ", "-"]))
def test_mobiles_normalise_whatever_the_separators(mobile, prefix, separator):
    typed = prefix + separator.join([mobile[:3], mobile[3:7], mobile[7:]])
    assert normalize_mobile(typed) == mobile
