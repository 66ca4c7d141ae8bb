"""Forms of the checkpoint pages. They only parse what was typed; the services judge it."""

import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from bastion.checkpoints.models import (
    CheckpointKind,
    Decision,
    Disposition,
    Purpose,
    StaffKind,
    VehicleKind,
)
from bastion.core.forms import BootstrapForm

MAX_OCCUPANTS = 60


class PassageForm(BootstrapForm):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    plate = forms.CharField(
        label=_("车牌号"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "form-control-lg plate-input",
            }
        ),
    )
    vehicle_kind = forms.ChoiceField(
        label=_("车型"),
        choices=VehicleKind.choices,
        initial=VehicleKind.CAR,
        widget=forms.RadioSelect,
    )
    origin = forms.CharField(
        label=_("来源地"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("如：武汉 或 whs")}),
    )
    destination = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    destination_q = forms.CharField(
        label=_("目的地"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": _("村（社区）名或拼音首字母")}
        ),
    )
    purpose = forms.ChoiceField(
        label=_("事由"), choices=Purpose.choices, initial=Purpose.RETURN_HOME
    )
    disposition = forms.ChoiceField(
        label=_("车辆处置"),
        choices=[("", _("按人员处置自动判断")), *Disposition.choices],
        required=False,
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class OccupantForm(BootstrapForm):
    name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    temperature = forms.CharField(
        label=_("体温 °C"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "autocomplete": "off",
                "class": "form-control-lg temperature-input",
                "placeholder": "36.5",
            }
        ),
    )
    no_temperature_reason = forms.CharField(label=_("未测体温原因"), max_length=100, required=False)
    decision = forms.ChoiceField(
        label=_("处置"),
        choices=Decision.choices,
        initial=Decision.PASS,
        widget=forms.RadioSelect,
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        keys = ("name", "id_number", "phone", "temperature", "no_temperature_reason")
        return not any((data.get(k) or "").strip() for k in keys)


OccupantFormSet = formset_factory(
    OccupantForm, extra=0, min_num=1, max_num=MAX_OCCUPANTS, absolute_max=MAX_OCCUPANTS
)


class LookupForm(BootstrapForm):
    """One box: a plate, an ID number or a phone; the view tells which."""

    q = forms.CharField(
        label=_("车牌号、身份证号或手机号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CheckpointForm(BootstrapForm):
    name = forms.CharField(label=_("卡点名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=CheckpointKind.choices)
    place = forms.CharField(label=_("位置"), max_length=200, required=False)
    responsible_unit = forms.ChoiceField(label=_("责任单位"), required=False)
    person_in_charge = forms.CharField(label=_("负责人"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("负责人电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    opens_on = forms.DateField(
        label=_("启用日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("撤除日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    serving_kinds = forms.MultipleChoiceField(
        label=_("参与力量"),
        choices=StaffKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minimum_total = forms.IntegerField(
        label=_("每班最少人数"), min_value=0, max_value=50, initial=2
    )
    min_police = forms.IntegerField(label=_("其中公安至少"), min_value=0, max_value=20, initial=1)
    min_health = forms.IntegerField(label=_("其中卫健至少"), min_value=0, max_value=20, initial=1)
    max_hours_in_24 = forms.IntegerField(
        label=_("24 小时内最长在岗（小时）"), min_value=1, max_value=24, initial=12
    )
    slots = forms.CharField(
        label=_("班次"),
        max_length=200,
        initial="夜班 00:00 8；白班 08:00 8；晚班 16:00 8",
        help_text=_("每班写“名称 开始时间 小时数”，用分号隔开。"),
    )

    def __init__(
        self,
        *args: Any,
        units: list[Any] | None = None,
        current_slots: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["responsible_unit"]
        field.choices = [("", "—")] + [(u.code, u.name) for u in (units or [])]
        self.current_slots = current_slots or []

    def clean_slots(self) -> list[dict[str, Any]]:
        """'夜班 00:00 8；白班 08:00 8' -> slot dicts; a label already in use keeps its code,
        so the shifts planned under it stay that slot."""
        codes = {str(s["label"]): s["code"] for s in self.current_slots}
        slots = []
        parts = [p for p in re.split(r"[;；\n]+", self.cleaned_data["slots"]) if p.strip()]
        for n, part in enumerate(parts, start=1):
            words = part.split()
            if len(words) != 3 or not words[2].isdigit():
                raise forms.ValidationError(
                    _("第 %(n)s 个班次应写成“名称 开始时间 小时数”，例如“白班 08:00 8”。")
                    % {"n": n}
                )
            label, starts, hours = words
            if len(starts) == 4 and starts[1] == ":":
                starts = "0" + starts
            slots.append(
                {
                    "code": codes.get(label, f"s{n}"),
                    "label": label,
                    "starts": starts,
                    "hours": int(hours),
                }
            )
        return slots

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        minimums = {
            StaffKind.POLICE.value: data.pop("min_police") or 0,
            StaffKind.HEALTH.value: data.pop("min_health") or 0,
        }
        data["minimum_by_kind"] = {k: v for k, v in minimums.items() if v}
        data.pop("responsible_unit", None)
        data.pop("name", None)
        return data


def slots_text(slots: list[dict[str, Any]]) -> str:
    return "；".join(f"{s['label']} {s['starts']} {s['hours']}" for s in slots)


class AssignmentForm(BootstrapForm):
    staff_kind = forms.ChoiceField(label=_("力量类别"), choices=StaffKind.choices)
    user_id = forms.TypedChoiceField(label=_("账号"), coerce=int, required=False, empty_value=None)
    member_id = forms.TypedChoiceField(
        label=_("或从动员队员中选"), coerce=int, required=False, empty_value=None
    )
    person_name = forms.CharField(label=_("或填写姓名"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def __init__(
        self,
        *args: Any,
        candidates: list[Any] | None = None,
        members: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["user_id"]
        field.choices = [("", "—")] + [(u.pk, str(u)) for u in (candidates or [])]
        member_field: Any = self.fields["member_id"]
        member_field.choices = [("", "—")] + [
            (
                m.pk,
                f"{m.person.name} · {m.unit.short_name or m.unit.name}"
                + (" · 党员" if m.is_party_member else ""),
            )
            for m in (members or [])
        ]


class HandoverForm(BootstrapForm):
    note = forms.CharField(
        label=_("交班记录"),
        max_length=1000,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": _("待办事项、未接收的移交、物资情况……")}
        ),
    )
