"""Forms of the observation pages. They parse input only: the services validate, and their
field messages are put back on the form (`add_service_errors`)."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from bastion.core.forms import BootstrapForm
from bastion.observation.models import (
    CareKind,
    CaseStatus,
    CheckinSource,
    MeasureSite,
    ObservationKind,
    Policy,
    Resolution,
    StartRule,
    SupplyItem,
    TestResult,
    VisitOutcome,
)
from bastion.observation.services.alerts import MANUAL_RESOLUTIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_ERRORS = {"invalid": "请填写正确的日期，例如 2020-02-01。"}
DATETIME_ERRORS = {"invalid": "请填写正确的时间，例如 2020-02-01 08:30。"}
# The temperatures a grid worker taps most: one tap records a normal check-in.
QUICK_TEMPERATURES = ("36.0", "36.2", "36.3", "36.5", "36.6", "36.8", "37.0")


class ClientUuidField(forms.UUIDField):
    """A hidden UUID minted when the form is rendered: a double-tapped or retried submit
    carries the same one, so it stores one record."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": "页面已过期，请刷新后重试。"})
        super().__init__(**kwargs)


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - a programming error otherwise
    field.choices = choices


def fresh_uuid() -> dict[str, uuid.UUID]:
    return {"client_uuid": uuid.uuid4()}


def _choices(users: Any) -> list[tuple[str, str]]:
    return [("", "—")] + [(str(u.pk), str(u)) for u in users]


def plain_choices(form: forms.Form) -> None:
    """Radio buttons are styled as check inputs, not text boxes."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-check-input"


class StartForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("观察方式"), choices=ObservationKind.choices)
    start_date = forms.DateField(
        label=_("起算日期（抵达或末次暴露）"), widget=DATE, error_messages=DATE_ERRORS
    )
    place = forms.CharField(
        label=_("观察地点"), max_length=200, required=False, help_text=_("居家观察可留空：按住址")
    )
    with_household = forms.BooleanField(label=_("同住家庭成员一并纳入"), required=False)
    grid_worker = forms.TypedChoiceField(
        label=_("责任网格员"), coerce=int, required=False, empty_value=None
    )
    health_worker = forms.TypedChoiceField(
        label=_("责任医务人员"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    client_uuid = ClientUuidField()

    def __init__(self, *args: Any, grid_workers: Any = (), health_workers: Any = (), **kw: Any):
        super().__init__(*args, **kw)
        set_choices(self, "grid_worker", _choices(grid_workers))
        set_choices(self, "health_worker", _choices(health_workers))


class CheckinForm(BootstrapForm):
    """The worker's full check-in form; the quick buttons post `temperature` and the rest as
    hidden fields remembered from the last check-in."""

    source = forms.ChoiceField(
        label=_("方式"),
        choices=[(CheckinSource.VISIT, _("上门测温")), (CheckinSource.PHONE, _("电话询问"))],
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("结果"), choices=VisitOutcome.choices, initial=VisitOutcome.COOPERATIVE
    )
    temperature = forms.CharField(
        label=_("体温（°C）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    site = forms.ChoiceField(
        label=_("测量部位"), choices=MeasureSite.choices, required=False, widget=forms.RadioSelect
    )
    symptoms = forms.MultipleChoiceField(
        label=_("症状"), required=False, widget=forms.CheckboxSelectMultiple
    )
    measured_at = forms.DateTimeField(
        label=_("测量时间"),
        required=False,
        widget=DATETIME,
        error_messages=DATETIME_ERRORS,
        help_text=_("留空为现在"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    client_uuid = ClientUuidField()

    def __init__(self, *args: Any, policy: Policy, **kw: Any) -> None:
        super().__init__(*args, **kw)
        set_choices(self, "symptoms", [(s["code"], s["label"]) for s in policy.symptoms])
        plain_choices(self)


class SelfCheckinForm(forms.Form):
    """The returnee's own form (扫码自报): plain HTML, large, no script needed."""

    temperature = forms.CharField(
        label=_("体温（°C）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "36.5"}
        ),
    )
    site = forms.ChoiceField(
        label=_("测量部位"),
        choices=MeasureSite.choices,
        initial=MeasureSite.FOREHEAD,
        widget=forms.RadioSelect,
        required=False,
    )
    symptoms = forms.MultipleChoiceField(
        label=_("今天有没有下列症状？（没有就不选）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    client_uuid = ClientUuidField()

    def __init__(self, *args: Any, policy: Policy, **kw: Any) -> None:
        super().__init__(*args, **kw)
        set_choices(self, "symptoms", [(s["code"], s["label"]) for s in policy.symptoms])


class PeriodForm(BootstrapForm):
    planned_end = forms.DateField(label=_("新的期满日期"), widget=DATE, error_messages=DATE_ERRORS)
    reason = forms.CharField(label=_("调整原因"), max_length=200)


class CloseForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("结束方式"),
        choices=[("lost_to_follow_up", _("失访")), ("died", _("死亡"))],
    )
    note = forms.CharField(label=_("情况说明"), max_length=200)


class TransferForm(BootstrapForm):
    to_unit = forms.CharField(
        label=_("接收的村（社区）"),
        max_length=60,
        help_text=_("填写村（社区）的 12 位代码或全称"),
    )
    note = forms.CharField(label=_("转出原因"), max_length=200)


class WorkersForm(BootstrapForm):
    grid_worker = forms.TypedChoiceField(
        label=_("责任网格员"), coerce=int, required=False, empty_value=None
    )
    health_worker = forms.TypedChoiceField(
        label=_("责任医务人员"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, grid_workers: Any = (), health_workers: Any = (), **kw: Any):
        super().__init__(*args, **kw)
        set_choices(self, "grid_worker", _choices(grid_workers))
        set_choices(self, "health_worker", _choices(health_workers))


class SupplyForm(BootstrapForm):
    item = forms.ChoiceField(label=_("物资"), choices=SupplyItem.choices)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=10_000, initial=1)
    delivered_on = forms.DateField(label=_("送达日期"), widget=DATE, error_messages=DATE_ERRORS)
    note = forms.CharField(label=_("备注"), max_length=100, required=False)
    client_uuid = ClientUuidField()


class CareForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("关爱事项"), choices=CareKind.choices)
    due_on = forms.DateField(label=_("计划日期"), widget=DATE, error_messages=DATE_ERRORS)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    client_uuid = ClientUuidField()


class CareRecordForm(BootstrapForm):
    outcome = forms.CharField(label=_("上门情况"), max_length=200, required=False)


class ResolveForm(BootstrapForm):
    resolution = forms.ChoiceField(
        label=_("处置结果"),
        choices=[(r, Resolution(r).label) for r in MANUAL_RESOLUTIONS],
    )
    note = forms.CharField(label=_("处置情况"), max_length=200)


class ReferForm(BootstrapForm):
    referred_to = forms.CharField(label=_("转往发热门诊"), max_length=100)
    at = forms.DateTimeField(
        label=_("转诊时间"),
        required=False,
        widget=DATETIME,
        error_messages=DATETIME_ERRORS,
        help_text=_("留空为现在"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    client_uuid = ClientUuidField()


def _at_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=DATETIME,
        error_messages=DATETIME_ERRORS,
        help_text=_("留空为现在"),
    )


class CaseTestForm(BootstrapForm):
    sampled_at = forms.DateTimeField(
        label=_("采样时间"), widget=DATETIME, error_messages=DATETIME_ERRORS
    )
    result = forms.ChoiceField(label=_("检测结果"), choices=TestResult.choices)


class CaseClassifyForm(BootstrapForm):
    classification = forms.ChoiceField(
        label=_("诊断分类"),
        choices=[(s, CaseStatus(s).label) for s in ("suspected", "confirmed", "excluded")],
    )
    at = _at_field(_("诊断时间"))
    source_unclear = forms.BooleanField(label=_("感染来源不明"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class CaseIsolateForm(BootstrapForm):
    place = forms.CharField(label=_("隔离地点"), max_length=100)
    at = _at_field(_("隔离时间"))


class CaseAdmitForm(BootstrapForm):
    hospital = forms.CharField(label=_("收治医院"), max_length=100)
    at = _at_field(_("收治时间"))


class CaseCloseForm(BootstrapForm):
    outcome = forms.ChoiceField(
        label=_("转归"), choices=[("recovered", _("治愈")), ("died", _("死亡"))]
    )
    at = _at_field(_("转归时间"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class CaseReturnForm(BootstrapForm):
    at = _at_field(_("返回时间"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


CASE_STEP_FORMS: dict[str, type[BootstrapForm]] = {
    "test": CaseTestForm,
    "classify": CaseClassifyForm,
    "isolate": CaseIsolateForm,
    "admit": CaseAdmitForm,
    "close": CaseCloseForm,
    "return": CaseReturnForm,
}


class DateRangeForm(forms.Form):
    date_from = forms.DateField(
        label=_("从"), required=False, widget=DATE, error_messages=DATE_ERRORS
    )
    date_to = forms.DateField(
        label=_("到"), required=False, widget=DATE, error_messages=DATE_ERRORS
    )

    def bounds(self, *, default_days: int = 14) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to.fromordinal(
            date_to.toordinal() - default_days + 1
        )
        if date_from > date_to:
            date_from, date_to = date_to, date_from
        return date_from, date_to


KNOWN_SLOTS = {"早": "morning", "中": "noon", "晚": "evening"}


class PolicyForm(BootstrapForm):
    """A new policy version. Slots are typed one a line ("早 06:00-12:00"), symptoms one a
    line by name; their codes are derived here and checked by the service."""

    county = forms.ChoiceField(label=_("适用范围"), required=False)
    name = forms.CharField(label=_("名称"), max_length=80)
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE, error_messages=DATE_ERRORS)
    period_days = forms.IntegerField(label=_("观察期（天）"), min_value=1, max_value=60)
    start_rule = forms.ChoiceField(label=_("起算"), choices=StartRule.choices)
    slots_text = forms.CharField(
        label=_("每日测温时段"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("一行一个，例如：早 06:00-12:00"),
    )
    fever_threshold = forms.DecimalField(label=_("发热阈值（°C）"), max_digits=3, decimal_places=1)
    temperature_min = forms.DecimalField(label=_("体温下限"), max_digits=3, decimal_places=1)
    temperature_max = forms.DecimalField(label=_("体温上限"), max_digits=3, decimal_places=1)
    symptoms_text = forms.CharField(
        label=_("症状清单"), widget=forms.Textarea(attrs={"rows": 8}), help_text=_("一行一个")
    )
    escalate_after_minutes = forms.IntegerField(
        label=_("未确认预警上报（分钟）"), min_value=5, max_value=1440
    )
    arrival_window_days = forms.IntegerField(label=_("返乡登记回溯（天）"), min_value=1)
    banquet_max_guests = forms.IntegerField(label=_("宴席人数上限"), min_value=1)
    family_gathering_max = forms.IntegerField(label=_("家庭聚会人数上限"), min_value=1)
    retention_days = forms.IntegerField(label=_("个人信息保存期（天）"), min_value=1)

    def __init__(self, *args: Any, counties: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        set_choices(self, "county", counties)

    @staticmethod
    def initial_from(policy: Policy) -> dict[str, Any]:
        return {
            "name": policy.name,
            "effective_from": timezone.localdate(),
            "period_days": policy.period_days,
            "start_rule": policy.start_rule,
            "slots_text": "\n".join(
                f"{s['label']} {s['opens']}-{s['closes']}" for s in policy.slots
            ),
            "fever_threshold": policy.fever_threshold,
            "temperature_min": policy.temperature_min,
            "temperature_max": policy.temperature_max,
            "symptoms_text": "\n".join(s["label"] for s in policy.symptoms),
            "escalate_after_minutes": policy.escalate_after_minutes,
            "arrival_window_days": policy.arrival_window_days,
            "banquet_max_guests": policy.banquet_max_guests,
            "family_gathering_max": policy.family_gathering_max,
            "retention_days": policy.retention_days,
        }

    def clean_slots_text(self) -> list[dict[str, str]]:
        slots = []
        for index, line in enumerate(self.cleaned_data["slots_text"].splitlines()):
            parts = line.replace("—", "-").replace("–", "-").replace("～", "-").split()
            if not parts:
                continue
            if len(parts) != 2 or parts[1].count("-") != 1:
                raise forms.ValidationError(f"第 {index + 1} 行应写成：早 06:00-12:00")
            label, (opens, closes) = parts[0], parts[1].split("-")
            code = KNOWN_SLOTS.get(label, f"slot{index + 1}")
            slots.append({"code": code, "label": label, "opens": opens, "closes": closes})
        return slots

    def clean_symptoms_text(self) -> list[dict[str, str]]:
        known = {s["label"]: s["code"] for s in Policy().symptoms}
        result = []
        for line in self.cleaned_data["symptoms_text"].splitlines():
            label = line.strip()
            if not label:
                continue
            code = known.get(label) or "_".join(lazy_pinyin(label))[:32]
            code = "".join(ch for ch in code.lower() if ch.isalnum() or ch == "_") or "symptom"
            if not code[0].isalpha():
                code = "s_" + code
            result.append({"code": code[:32], "label": label})
        return result

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["slots"] = data.pop("slots_text")
        data["symptoms"] = data.pop("symptoms_text")
        data.pop("county")
        for key in ("fever_threshold", "temperature_min", "temperature_max"):
            data[key] = Decimal(data[key])
        return data
