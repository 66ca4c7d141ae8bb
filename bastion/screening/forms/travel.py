"""Forms of the returnee pages: staff registration, confirming a self-registration, the
public self-registration page, and the high-risk area list."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm
from bastion.orgs.models import OrgUnit
from bastion.screening.forms.signals import unit_label
from bastion.screening.forms.sweeps import date_field
from bastion.screening.models import Transport
from bastion.screening.services.returnees import Arrival
from bastion.screening.services.travel import Journey

JOURNEY_FIELDS = (
    "origin_province",
    "origin_city",
    "origin_county",
    "departed_on",
    "arrived_on",
    "transport",
    "transport_no",
    "companions_note",
)


def _journey_fields() -> dict[str, forms.Field]:
    return {
        "origin_province": forms.CharField(
            label=_("从哪个省来"), max_length=20, error_messages={"required": "请填写从哪个省来。"}
        ),
        "origin_city": forms.CharField(label=_("市"), max_length=30, required=False),
        "origin_county": forms.CharField(label=_("县（区）"), max_length=30, required=False),
        "departed_on": date_field("出发日期"),
        "arrived_on": date_field("抵达日期", required=True),
        "transport": forms.ChoiceField(
            label=_("交通方式"),
            choices=[("", _("请选择")), *Transport.choices],
            error_messages={"required": "请选择交通方式。"},
        ),
        "transport_no": forms.CharField(label=_("车次/航班/车牌"), max_length=20, required=False),
        "companions_note": forms.CharField(
            label=_("同行人员"),
            max_length=200,
            required=False,
            widget=forms.TextInput(attrs={"placeholder": _("同行的家人、同事姓名")}),
        ),
    }


def journey_of(data: dict[str, Any]) -> Journey:
    return Journey(
        origin_province=data.get("origin_province", ""),
        origin_city=data.get("origin_city", ""),
        origin_county=data.get("origin_county", ""),
        departed_on=data.get("departed_on"),
        arrived_on=data.get("arrived_on"),
        transport=data.get("transport", ""),
        transport_no=data.get("transport_no", ""),
        companions_note=data.get("companions_note", ""),
    )


class TravelForm(BootstrapForm):
    """A returnee registered by staff, or a self-registration being confirmed."""

    unit = forms.ChoiceField(
        label=_("所在村（社区）或网格"), error_messages={"required": "请选择所在村（社区）或网格。"}
    )
    address = forms.CharField(
        label=_("在本地的住址"), max_length=200, error_messages={"required": "请填写在本地的住址。"}
    )
    name = forms.CharField(
        label=_("姓名"), max_length=40, error_messages={"required": "请填写姓名。"}
    )
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in _journey_fields().items():
            self.fields[name] = field
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("请选择")),
            *((u.code, unit_label(u)) for u in units),
        ]
        if len(units) == 1:
            self.fields["unit"].initial = units[0].code

    def arrival(self) -> Arrival:
        data = self.cleaned_data
        return Arrival(
            name=data["name"],
            id_number=data.get("id_number", ""),
            mobile=data.get("mobile", ""),
            journey=journey_of(data),
        )


class TravelEditForm(BootstrapForm):
    """Correct a journey (修改行程); `version` is the one the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in _journey_fields().items():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            self.fields[name] = field

    @staticmethod
    def initial_of(record: Any) -> dict[str, Any]:
        return {"version": record.version} | {f: getattr(record, f) for f in JOURNEY_FIELDS}


class SelfRegistrationForm(BootstrapForm):
    """The public page (自主登记). `website` is a honeypot: people never see it, bots fill it."""

    name = forms.CharField(
        label=_("姓名"), max_length=40, error_messages={"required": "请填写姓名。"}
    )
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": "请填写手机号。"},
    )
    id_number = forms.CharField(
        label=_("身份证号（选填）"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("在本地的住址"),
        max_length=200,
        error_messages={"required": "请填写在本地的住址。"},
        widget=forms.TextInput(attrs={"placeholder": _("例如 月塘路 1 号 3 栋 201")}),
    )
    symptoms = forms.BooleanField(label=_("近 14 天有发热、咳嗽等症状"), required=False)
    website = forms.CharField(
        required=False,
        label=_("请勿填写"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = dict(self.fields)
        self.fields.clear()
        for name in ("name", "mobile", "id_number", "address"):
            self.fields[name] = fields[name]
        for name, field in _journey_fields().items():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            self.fields[name] = field
        self.fields["symptoms"] = fields["symptoms"]
        self.fields["website"] = fields["website"]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class RiskAreaForm(BootstrapForm):
    name = forms.CharField(label=_("名称"), max_length=60, required=False)
    province = forms.CharField(
        label=_("省"), max_length=20, error_messages={"required": "请填写省份。"}
    )
    city = forms.CharField(label=_("市"), max_length=30, required=False)
    county = forms.CharField(label=_("县（区）"), max_length=30, required=False)
    code = forms.CharField(label=_("区划代码"), max_length=12, required=False)
    active_from = date_field("起始日期", required=True)
    active_to = date_field("截止日期")
