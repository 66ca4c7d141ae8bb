"""The scope test is a code range (bastion.accounts.jurisdiction.code_under): it must select
exactly the codes that start with the prefix, on every database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.accounts.jurisdiction import _CODE_CHARACTERS, _next_prefix, code_under
from bastion.orgs.models import OrgUnit


@pytest.mark.parametrize(
    ("prefix", "upper"),
    [
        ("430211", "430212"),
        ("4302119", "430211A"),
        ("4302G9", "4302GA"),
        ("43Z", "44"),
        ("ZZ", None),
        ("43a", None),  # not a code character: the caller keeps LIKE
    ],
)
def test_the_next_prefix(prefix, upper):
    assert _next_prefix(prefix) == upper


codes = st.text(alphabet=_CODE_CHARACTERS, min_size=1, max_size=8)


@given(prefix=codes, code=codes)
def test_a_code_is_in_the_range_exactly_when_it_starts_with_the_prefix(prefix, code):
    upper = _next_prefix(prefix)
    in_range = code >= prefix and (upper is None or code < upper)
    assert in_range == code.startswith(prefix)


@pytest.mark.django_db
def test_the_database_selects_the_same_units_as_a_prefix_test(tree):
    codes = list(OrgUnit.objects.values_list("code", flat=True))
    for unit in OrgUnit.objects.all():
        expected = sorted(c for c in codes if c.startswith(unit.scope_prefix))
        found = sorted(
            OrgUnit.objects.filter(code_under("code", unit.scope_prefix)).values_list(
                "code", flat=True
            )
        )
        assert found == expected, unit.scope_prefix
