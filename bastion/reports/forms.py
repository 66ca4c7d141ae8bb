"""The report's date picker and the sign-off form."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm
from bastion.reports.selectors import MAX_RANGE_DAYS

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


class DatesForm(BootstrapForm):
    """?date=YYYY-MM-DD[&to=YYYY-MM-DD]: one local day, or a range (inclusive)."""

    date = forms.DateField(
        label=_("日期"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("日期格式应为 YYYY-MM-DD。")},
    )
    to = forms.DateField(
        label=_("至"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("日期格式应为 YYYY-MM-DD。")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date"), data.get("to")
        for name, value in (("date", start), ("to", end)):
            if value is not None and not EARLIEST <= value <= LATEST:
                self.add_error(name, _("日期超出范围。"))
        if start and end:
            if end < start:
                self.add_error("to", _("结束日期不能早于开始日期。"))
            elif (end - start).days + 1 > MAX_RANGE_DAYS:
                self.add_error("to", _("一次最多查询 %(n)s 天。") % {"n": MAX_RANGE_DAYS})
        return data


def parse_dates(params: Any, today: date) -> tuple[DatesForm, date, date]:
    """The form bound to the query string (today when no date is given) and its days; on
    errors the days are today's and the form carries the messages."""
    # `day`/`start` and `end` are accepted too: other apps link with those names.
    start = params.get("date") or params.get("day") or params.get("start")
    data = {"date": start or today.isoformat(), "to": params.get("to") or params.get("end") or ""}
    form = DatesForm(data)
    if not form.is_valid():
        return form, today, today
    start = form.cleaned_data["date"]
    return form, start, form.cleaned_data.get("to") or start


class SignOffForm(BootstrapForm):
    note = forms.CharField(
        label=_("签发说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
