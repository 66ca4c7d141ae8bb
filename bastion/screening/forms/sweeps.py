"""Forms of the sweep pages: start a sweep, record a household visit (with a returnee)."""

import uuid
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm
from bastion.orgs.models import OrgUnit
from bastion.screening.forms.signals import unit_label
from bastion.screening.models import Transport, VisitResult
from bastion.screening.services.returnees import Arrival
from bastion.screening.services.travel import Journey

DATE_WIDGET = {"type": "date"}
DATE_ERROR = {"invalid": "请填写正确的日期，例如 2020-01-25。"}


def date_field(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={**DATE_ERROR, "required": f"请填写{label}。"},
    )


class SweepForm(BootstrapForm):
    unit = forms.ChoiceField(label=_("排查范围"), error_messages={"required": "请选择排查范围。"})
    name = forms.CharField(
        label=_("名称"), max_length=80, required=False, help_text=_("不填则按范围和日期命名。")
    )
    starts_on = date_field("开始日期", required=True)
    ends_on = date_field("结束日期", required=True)

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("请选择")),
            *((u.code, unit_label(u)) for u in units),
        ]


# The returnee fields carry this prefix; the service names them "arrivals.0.<field>".
R = "r_"


class VisitForm(BootstrapForm):
    """A knock on a door, on a phone: the result first, then (if met) one returnee."""

    result = forms.ChoiceField(
        label=_("走访结果"),
        choices=VisitResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择走访结果。"},
    )
    residents = forms.IntegerField(
        label=_("在住人数"),
        min_value=0,
        max_value=99,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "请填写数字。"},
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    r_name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    r_id_number = forms.CharField(
        label=_("身份证号"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    r_mobile = forms.CharField(
        label=_("手机号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    r_origin_province = forms.CharField(label=_("从哪个省来"), max_length=20, required=False)
    r_origin_city = forms.CharField(label=_("市"), max_length=30, required=False)
    r_origin_county = forms.CharField(label=_("县（区）"), max_length=30, required=False)
    r_departed_on = date_field("出发日期")
    r_arrived_on = date_field("抵达日期")
    r_transport = forms.ChoiceField(
        label=_("交通方式"), choices=[("", _("请选择")), *Transport.choices], required=False
    )
    r_transport_no = forms.CharField(label=_("车次/航班/车牌"), max_length=20, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["result"].widget.attrs["class"] = "btn-check"

    def returnee_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(R)]

    def arrivals(self) -> list[Arrival]:
        """The returnee typed in, if any: a name or any journey field counts."""
        data = self.cleaned_data
        if not any(data.get(name) for name in self.fields if name.startswith(R)):
            return []
        arrived_on: date | None = data.get(R + "arrived_on")
        return [
            Arrival(
                name=data.get(R + "name", ""),
                id_number=data.get(R + "id_number", ""),
                mobile=data.get(R + "mobile", ""),
                journey=Journey(
                    origin_province=data.get(R + "origin_province", ""),
                    origin_city=data.get(R + "origin_city", ""),
                    origin_county=data.get(R + "origin_county", ""),
                    departed_on=data.get(R + "departed_on"),
                    arrived_on=arrived_on,
                    transport=data.get(R + "transport", ""),
                    transport_no=data.get(R + "transport_no", ""),
                ),
            )
        ]


def service_field(name: str) -> str:
    """'arrivals.0.name' -> 'r_name': a service's error lands on the returnee field."""
    prefix = "arrivals.0."
    return R + name[len(prefix) :] if name.startswith(prefix) else name


class HouseholdForm(BootstrapForm):
    """A door that the registry did not know (未登记住户)."""

    unit = forms.ChoiceField(label=_("所属村（社区）或网格"))
    address = forms.CharField(
        label=_("地址"), max_length=200, error_messages={"required": "请填写地址。"}
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            (u.code, unit_label(u)) for u in units
        ]
