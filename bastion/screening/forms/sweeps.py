"""Forms of the sweep pages: start a sweep, record a household visit with who lives there
and any returnees."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm
from bastion.orgs.models import OrgUnit
from bastion.screening.forms.signals import unit_label
from bastion.screening.models import Relation, Transport, VisitResult
from bastion.screening.services.members import MAX_MEMBERS, Member
from bastion.screening.services.returnees import Arrival
from bastion.screening.services.sweeps import MAX_ARRIVALS
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


# Formset prefixes: members ("m-0-name") and returnees ("r-0-name"); the service names the
# same fields "members.0.name" and "arrivals.0.name".
M = "m"
R = "r"


class VisitForm(BootstrapForm):
    """A knock on a door, on a phone: the result first, then who lives there, then any
    returnees (two formsets beside this form)."""

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
        help_text=_("不填则按下方登记的人数。"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["result"].widget.attrs["class"] = "btn-check"


def _tel(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


def _id_field() -> forms.CharField:
    return forms.CharField(
        label=_("身份证号"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class MemberForm(BootstrapForm):
    """One line of the household register. Every field is optional here: a blank line is
    no line, and the service judges the rest."""

    person_id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    relation = forms.ChoiceField(
        label=_("与户主关系"), choices=[("", _("请选择")), *Relation.choices], required=False
    )
    mobile = _tel(_("手机号"))
    id_number = _id_field()
    arrived_recently = forms.BooleanField(label=_("近期外地返回"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["arrived_recently"].widget.attrs["class"] = "form-check-input"
        # A known member: the registry's values stay masked; typing replaces them.
        for name in ("mobile", "id_number"):
            hint = self.initial.get(f"{name}_masked")
            if hint:
                self.fields[name].widget.attrs["placeholder"] = hint

    def member(self) -> Member | None:
        data = self.cleaned_data
        if not any(data.get(k) for k in ("name", "mobile", "id_number")):
            return None
        return Member(
            name=data.get("name", ""),
            relation=data.get("relation", ""),
            id_number=data.get("id_number", ""),
            mobile=data.get("mobile", ""),
            arrived_recently=bool(data.get("arrived_recently")),
            person_id=data.get("person_id"),
        )


class ReturneeForm(BootstrapForm):
    """Someone who arrived from elsewhere lately (返乡人员): who, then the journey."""

    name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    mobile = _tel(_("手机号"))
    id_number = _id_field()
    origin_province = forms.CharField(label=_("从哪个省来"), max_length=20, required=False)
    origin_city = forms.CharField(label=_("市"), max_length=30, required=False)
    origin_county = forms.CharField(label=_("县（区）"), max_length=30, required=False)
    departed_on = date_field("出发日期")
    arrived_on = date_field("抵达日期")
    transport = forms.ChoiceField(
        label=_("交通方式"), choices=[("", _("请选择")), *Transport.choices], required=False
    )
    transport_no = forms.CharField(label=_("车次/航班/车牌"), max_length=20, required=False)

    def arrival(self) -> Arrival | None:
        """The returnee typed in: a name, a phone, an ID number or an arrival date counts
        (a remembered origin alone does not)."""
        data = self.cleaned_data
        if not any(data.get(k) for k in ("name", "mobile", "id_number", "arrived_on")):
            return None
        return Arrival(
            name=data.get("name", ""),
            id_number=data.get("id_number", ""),
            mobile=data.get("mobile", ""),
            journey=Journey(
                origin_province=data.get("origin_province", ""),
                origin_city=data.get("origin_city", ""),
                origin_county=data.get("origin_county", ""),
                departed_on=data.get("departed_on"),
                arrived_on=data.get("arrived_on"),
                transport=data.get("transport", ""),
                transport_no=data.get("transport_no", ""),
            ),
        )


MemberFormSet = forms.formset_factory(
    MemberForm, extra=1, max_num=MAX_MEMBERS, absolute_max=MAX_MEMBERS, validate_max=True
)
ReturneeFormSet = forms.formset_factory(
    ReturneeForm, extra=1, max_num=MAX_ARRIVALS, absolute_max=MAX_ARRIVALS, validate_max=True
)


@dataclass
class VisitForms:
    """The visit form and its two formsets, with the lines they hold in the order the
    service numbers them (blank lines left out)."""

    visit: VisitForm
    members: Any
    returnees: Any
    member_lines: list[tuple[int, Member]] = field(default_factory=list)
    arrival_lines: list[tuple[int, Arrival]] = field(default_factory=list)

    def is_valid(self) -> bool:
        ok = all([self.visit.is_valid(), self.members.is_valid(), self.returnees.is_valid()])
        if ok:
            self.member_lines = [
                (i, m) for i, f in enumerate(self.members) if (m := f.member()) is not None
            ]
            self.arrival_lines = [
                (i, a) for i, f in enumerate(self.returnees) if (a := f.arrival()) is not None
            ]
        return ok

    def add_service_errors(self, error: ValidationError) -> None:
        """'members.1.mobile' lands on the mobile field of the member line it came from."""
        lines: dict[str, list[tuple[int, Any]]] = {
            "members": self.member_lines,
            "arrivals": self.arrival_lines,
        }
        sets = {"members": self.members, "arrivals": self.returnees}
        for name, messages in error.message_dict.items():
            parts = name.split(".")
            if parts[0] in lines and len(parts) == 3 and parts[1].isdigit():
                index = int(parts[1])
                numbered = lines[parts[0]]
                if index < len(numbered):
                    form = sets[parts[0]].forms[numbered[index][0]]
                    target = parts[2] if parts[2] in form.fields else None
                    for message in messages:
                        form.add_error(target, message)
                    continue
            target = name if name in self.visit.fields else None
            for message in messages:
                self.visit.add_error(target, message)


def visit_forms(
    data: Any, *, known: list[dict[str, Any]], remembered: dict[str, Any]
) -> VisitForms:
    return VisitForms(
        visit=VisitForm(data),
        members=MemberFormSet(data, prefix=M, initial=known or None),
        returnees=ReturneeFormSet(data, prefix=R, form_kwargs={"initial": remembered}),
    )


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
