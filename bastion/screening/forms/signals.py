"""Forms of the signal pages: they parse input; the services judge it."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm
from bastion.orgs.models import OrgUnit
from bastion.screening.models import NEXT_STATUSES, SignalSource, SignalStatus

# What the buttons say: the action, not the state it leads to.
ACTION_LABELS = {
    SignalStatus.VERIFYING: _("开始核实"),
    SignalStatus.UNDER_OBSERVATION: _("纳入医学观察"),
    SignalStatus.CLEARED: _("排除"),
    SignalStatus.FORWARDED: _("转其他辖区"),
    SignalStatus.NOT_FOUND: _("查无此人"),
}
STATUS_CHOICES = [("open", _("待处置")), ("closed", _("已处置")), *SignalStatus.choices]


def unit_label(unit: OrgUnit) -> str:
    return f"{unit.name}（{unit.code}）"


class InboxFilterForm(BootstrapForm):
    unit = forms.ChoiceField(label=_("单元"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_CHOICES, required=False)
    source = forms.ChoiceField(
        label=_("来源"), choices=[("", _("全部来源")), *SignalSource.choices], required=False
    )
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("全部辖区")),
            *((u.code, unit_label(u)) for u in units),
        ]


class SignalActionForm(BootstrapForm):
    """One form, one button per next status: the pressed button names the new status."""

    to_status = forms.ChoiceField(choices=SignalStatus.choices)
    note = forms.CharField(
        label=_("说明"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("核实情况、排除理由……")}),
    )
    forwarded_to = forms.CharField(
        label=_("转交给（村/社区的名称或代码）"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("例如 文化路社区居委会 或 430202001001")}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.next_statuses = [
            (SignalStatus(s).value, ACTION_LABELS[SignalStatus(s)])
            for s in NEXT_STATUSES.get(status, ())
        ]

    @property
    def can_forward(self) -> bool:
        return any(value == SignalStatus.FORWARDED for value, _label in self.next_statuses)


class SignalFileForm(BootstrapForm):
    """A signal typed in by staff: a hotline call (热线来电) or another report."""

    unit = forms.ChoiceField(
        label=_("责任村（社区）"), error_messages={"required": "请选择责任村（社区）。"}
    )
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[
            (SignalSource.HOTLINE.value, SignalSource.HOTLINE.label),
            (SignalSource.STAFF.value, SignalSource.STAFF.label),
            (SignalSource.OTHER.value, SignalSource.OTHER.label),
        ],
        initial=SignalSource.HOTLINE,
        required=False,
        error_messages={"invalid_choice": "请选择线索来源。"},
    )
    subject_name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    subject_mobile = forms.CharField(
        label=_("手机号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    subject_id_number = forms.CharField(
        label=_("身份证号"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    subject_address = forms.CharField(label=_("住址"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("事由"),
        max_length=300,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("例如：邻居来电，某户有武汉返乡人员")}
        ),
        error_messages={"required": "请写明线索事由。"},
    )
    found_at = forms.DateTimeField(
        label=_("发现时间"),
        required=False,
        help_text=_("不填即为现在。"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "请填写正确的时间，例如 2020-01-25 08:30。"},
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("请选择")),
            *((u.code, unit_label(u)) for u in units),
        ]
        if len(units) == 1:
            self.fields["unit"].initial = units[0].code
