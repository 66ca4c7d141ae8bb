"""`FastSelect` writes exactly what Django's `forms.Select` renders, faster."""

import re
from typing import Any

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from bastion.core.forms import BootstrapForm, FastSelect


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def _both(choices: Any, value: Any, attrs: dict[str, str] | None = None) -> tuple[str, str]:
    slow = forms.Select(attrs=attrs, choices=choices).render("unit", value)
    fast = FastSelect(attrs=attrs, choices=choices).render("unit", value)
    return _same(slow), _same(fast)


@pytest.mark.parametrize(
    ("choices", "value"),
    [
        ([("", "全部辖区"), ("4302", "株洲市"), ("430202", "　荷塘区")], "430202"),
        ([("", "全部辖区"), ("4302", "株洲市")], None),
        ([("a", "x"), ("a", "y")], "a"),  # the first match only, as a single select
        ([(1, "一"), (2, "二")], 2),
        ([("<b>", 'say "hi" & <go>'), ("'", "'")], "<b>"),
        ([("县区", [("430211", "天元区"), ("430212", "渌口区")]), ("", "—")], "430212"),
    ],
)
def test_fast_select_writes_what_select_renders(choices: Any, value: Any) -> None:
    slow, fast = _both(choices, value, attrs={"class": "form-select", "id": "id_unit"})
    assert fast == slow


@given(
    st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), max_size=6),
    st.one_of(st.none(), st.text(max_size=8)),
)
def test_fast_select_matches_on_any_text(choices: list[tuple[str, str]], value: Any) -> None:
    slow, fast = _both(choices, value)
    assert fast == slow


def test_bootstrap_forms_write_their_selects_fast_and_keep_choices_set_later() -> None:
    class Filter(BootstrapForm):
        unit = forms.ChoiceField(required=False)
        kind = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect, required=False)

    form = Filter(data={"unit": "430202"})
    form.fields["unit"].choices = [("", "全部"), ("430202", "荷塘区")]  # type: ignore[attr-defined]

    assert isinstance(form.fields["unit"].widget, FastSelect)
    assert not isinstance(form.fields["kind"].widget, FastSelect)
    html = str(form["unit"])
    assert '<option value="430202" selected>荷塘区</option>' in html
    assert 'class="form-select"' in html
    assert form.is_valid(), form.errors
    other = Filter(data={"unit": "999999"})
    other.fields["unit"].choices = [("430202", "荷塘区")]  # type: ignore[attr-defined]
    assert other.is_valid() is False
