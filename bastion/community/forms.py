"""Forms of the community pages. They parse input; the services validate the data and their
field messages are put back on the forms (`add_service_errors`)."""

import re
import uuid
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.community.checklists import AGENT_DEFAULTS, checklist_of
from bastion.community.models import (
    Agent,
    DisinfectionRun,
    Gathering,
    GatheringAction,
    GatheringKind,
    GatheringOutcome,
    Site,
    SiteKind,
)
from bastion.community.selectors import PENDING
from bastion.community.services.gatherings import MAX_GUESTS
from bastion.core.forms import BootstrapForm
from bastion.orgs.models import OrgUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_INVALID = {"invalid": "请填写正确的日期，例如 2020-01-25。"}
NUMBER = {"inputmode": "numeric", "pattern": "[0-9]*"}


def _unit_choices(units: list[OrgUnit], blank: str = "—") -> list[tuple[str, str]]:
    return [("", blank)] + [(u.code, f"{u.name}（{u.code}）") for u in units]


class _UnitsMixin:
    """A `unit` ChoiceField filled from the units given, resolved back to an OrgUnit."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _set_units(self, name: str, units: list[OrgUnit], blank: str = "—") -> None:
        self._units = getattr(self, "_units", {})
        self._units[name] = {u.code: u for u in units}
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared as one
        field.choices = _unit_choices(units, blank)

    def unit_of(self, name: str) -> OrgUnit | None:
        return self._units[name].get(self.cleaned_data.get(name) or "")


class GatheringForm(_UnitsMixin, BootstrapForm):
    """Record a gathering, or change it (most often: record the action and the outcome)."""

    unit = forms.ChoiceField(
        label=_("村（社区）或网格"), error_messages={"required": "请选择村（社区）或网格。"}
    )
    host_name = forms.CharField(
        label=_("办宴人"), max_length=40, error_messages={"required": "请填写办宴人姓名。"}
    )
    kind = forms.ChoiceField(label=_("类别"), choices=GatheringKind.choices)
    planned_date = forms.DateField(
        label=_("计划日期"),
        widget=DATE,
        error_messages={"required": "请填写计划日期。", **DATE_INVALID},
    )
    expected_guests = forms.IntegerField(
        label=_("预计人数"),
        min_value=1,
        max_value=MAX_GUESTS,
        widget=forms.NumberInput(attrs=NUMBER),
        error_messages={
            "required": "请填写预计人数。",
            "invalid": "请填写人数（数字）。",
            "min_value": f"人数须在 1 到 {MAX_GUESTS} 之间。",
            "max_value": f"人数须在 1 到 {MAX_GUESTS} 之间。",
        },
    )
    family_only = forms.BooleanField(label=_("仅家庭成员聚会（家庭聚会）"), required=False)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    action = forms.ChoiceField(
        label=_("劝导方式"),
        choices=[("", _("尚未劝导")), *GatheringAction.choices],
        required=False,
    )
    acted_on = forms.DateField(
        label=_("劝导日期"), widget=DATE, required=False, error_messages=DATE_INVALID
    )
    persuaded_by = forms.CharField(label=_("劝导人"), max_length=40, required=False)
    outcome = forms.ChoiceField(
        label=_("结果"),
        choices=[("", _("待定")), *GatheringOutcome.choices],
        required=False,
    )
    actual_guests = forms.IntegerField(
        label=_("实际人数"),
        required=False,
        min_value=1,
        max_value=MAX_GUESTS,
        widget=forms.NumberInput(attrs=NUMBER),
        help_text=_("举办了的（含缩小规模）才填写。"),
        error_messages={
            "invalid": "请填写人数（数字）。",
            "min_value": f"人数须在 1 到 {MAX_GUESTS} 之间。",
            "max_value": f"人数须在 1 到 {MAX_GUESTS} 之间。",
        },
    )
    has_prevention_plan = forms.BooleanField(label=_("有防控方案"), required=False)
    approved_by = forms.CharField(label=_("审批的指挥部或单位"), max_length=60, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    RECORD_FIELDS = (
        "unit",
        "host_name",
        "kind",
        "planned_date",
        "expected_guests",
        "family_only",
        "place",
    )
    OUTCOME_FIELDS = (
        "action",
        "acted_on",
        "persuaded_by",
        "outcome",
        "actual_guests",
        "has_prevention_plan",
        "approved_by",
        "note",
    )

    def __init__(
        self,
        *args: Any,
        units: list[OrgUnit],
        gathering: Gathering | None = None,
        last: Gathering | None = None,
        **kwargs: Any,
    ) -> None:
        self.gathering = gathering
        if (not args or args[0] is None) and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(gathering, last)
        super().__init__(*args, **kwargs)
        if gathering is not None and gathering.unit not in units:
            units = [*units, gathering.unit]
        self._set_units("unit", units)
        if len(units) == 1 and not self.is_bound:
            self.initial.setdefault("unit", units[0].code)

    @staticmethod
    def initial_of(gathering: Gathering | None, last: Gathering | None) -> dict[str, Any]:
        if gathering is None:
            # A fresh form remembers where and by whom the last one was recorded.
            remembered = {"unit": last.unit_code, "persuaded_by": last.persuaded_by} if last else {}
            return {"client_uuid": uuid.uuid4(), **remembered}
        return {
            **{f: getattr(gathering, f) for f in GatheringForm.RECORD_FIELDS if f != "unit"},
            **{f: getattr(gathering, f) for f in GatheringForm.OUTCOME_FIELDS},
            "unit": gathering.unit_code,
            "version": gathering.version,
        }

    def arguments(self) -> dict[str, Any]:
        """The service's keyword arguments from the cleaned data."""
        data = self.cleaned_data
        values = {f: data.get(f) for f in (*self.RECORD_FIELDS, *self.OUTCOME_FIELDS)}
        values["unit"] = self.unit_of("unit")
        for text in ("place", "persuaded_by", "approved_by", "note", "action", "outcome"):
            values[text] = values[text] or ""
        return values

    def changes(self) -> dict[str, Any]:
        """Only what differs from the record being edited."""
        assert self.gathering is not None  # noqa: S101 - an edit form
        return {
            field: value
            for field, value in self.arguments().items()
            if getattr(self.gathering, field) != value
        }


class AttendeeSearchForm(BootstrapForm):
    q = forms.CharField(
        label=_("查找人员"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("姓名、拼音首字母、身份证号或手机号"), "autocomplete": "off"}
        ),
    )


class AttendeeChangeForm(forms.Form):
    person_id = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    op = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")])


class GatheringFilterForm(_UnitsMixin, BootstrapForm):
    unit = forms.ChoiceField(label=_("单元"), required=False)
    outcome = forms.ChoiceField(
        label=_("结果"),
        required=False,
        choices=[("", _("全部结果")), (PENDING, _("待定")), *GatheringOutcome.choices],
    )
    date_from = forms.DateField(label=_("从"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("到"), required=False, widget=DATE)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_units("unit", units, blank=str(_("全部辖区")))


class PeriodForm(BootstrapForm):
    """A period of planned dates for counts; both ends optional."""

    date_from = forms.DateField(label=_("从"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("到"), required=False, widget=DATE)


class ExportForm(_UnitsMixin, BootstrapForm):
    unit = forms.ChoiceField(label=_("单元"), required=False)
    date_from = forms.DateField(
        label=_("从"), required=False, widget=DATE, error_messages=DATE_INVALID
    )
    date_to = forms.DateField(
        label=_("到"), required=False, widget=DATE, error_messages=DATE_INVALID
    )
    reason = forms.CharField(
        label=_("导出事由"),
        max_length=200,
        error_messages={"required": "请填写导出事由。"},
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_units("unit", units, blank=str(_("全部辖区")))


_TIME_SEPARATORS = re.compile(r"[\s,，、;；]+")


class SiteForm(_UnitsMixin, BootstrapForm):
    unit = forms.ChoiceField(
        label=_("所属单元"), error_messages={"required": "请选择点位所属单元。"}
    )
    name = forms.CharField(
        label=_("名称"), max_length=60, error_messages={"required": "请填写点位名称。"}
    )
    kind = forms.ChoiceField(label=_("类别"), choices=SiteKind.choices)
    address = forms.CharField(label=_("位置"), max_length=200, required=False)
    responsible_unit = forms.ChoiceField(label=_("责任单位"), required=False)
    responsible_team = forms.CharField(
        label=_("责任班组"),
        max_length=60,
        required=False,
        help_text=_("如：环卫所消杀组、物业保洁班。"),
    )
    runs_per_day = forms.IntegerField(
        label=_("每天消杀次数"),
        required=False,
        min_value=1,
        max_value=24,
        widget=forms.NumberInput(attrs=NUMBER),
        error_messages={"min_value": "每天 1–24 次。", "max_value": "每天 1–24 次。"},
    )
    times = forms.CharField(
        label=_("或指定完成时限"),
        max_length=200,
        required=False,
        help_text=_("如 08:00 14:00 20:00；不填则把每天的次数平均排在 6:00–22:00。"),
    )
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        units: list[OrgUnit],
        responsible_units: list[OrgUnit],
        site: Site | None = None,
        **kwargs: Any,
    ) -> None:
        self.site = site
        if site is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "unit": site.unit_code,
                "name": site.name,
                "kind": site.kind,
                "address": site.address,
                "responsible_unit": site.responsible_unit_code,
                "responsible_team": site.responsible_team,
                "runs_per_day": site.runs_per_day,
                "times": " ".join(site.times),
                "is_active": site.is_active,
            }
        super().__init__(*args, **kwargs)
        if site is not None:
            units = [site.unit]
            self.fields["unit"].disabled = True
            if site.responsible_unit is not None and site.responsible_unit not in responsible_units:
                responsible_units = [*responsible_units, site.responsible_unit]
        else:
            del self.fields["is_active"]
        self._set_units("unit", units)
        self._set_units("responsible_unit", responsible_units, blank=str(_("（本单元）")))
        if len(units) == 1 and not self.is_bound:
            self.initial.setdefault("unit", units[0].code)

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        raw_times = data.get("times") or ""
        times = [t for t in _TIME_SEPARATORS.split(raw_times) if t]
        values = {
            "name": data.get("name", ""),
            "kind": data.get("kind", ""),
            "address": data.get("address", ""),
            "responsible_unit": self.unit_of("responsible_unit"),
            "responsible_team": data.get("responsible_team", ""),
            "runs_per_day": data.get("runs_per_day"),
            "times": times or None,
        }
        if self.site is None:
            values["unit"] = self.unit_of("unit")
        else:
            values["is_active"] = bool(data.get("is_active"))
        return values


class SiteFilterForm(_UnitsMixin, BootstrapForm):
    unit = forms.ChoiceField(label=_("单元"), required=False)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *SiteKind.choices]
    )
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_units("unit", units, blank=str(_("全部辖区")))


class RunForm(BootstrapForm):
    """One run at one site: the checklist of the site's kind as big check boxes, and the agent,
    concentration and operator remembered from the user's last run."""

    agent = forms.ChoiceField(label=_("消毒剂"), choices=Agent.choices)
    concentration = forms.DecimalField(
        label=_("浓度"),
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        error_messages={"required": "请填写浓度。", "invalid": "请填写浓度（数字）。"},
    )
    done_at = forms.DateTimeField(
        label=_("消杀时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("不填即现在。"),
        error_messages={"invalid": "请填写正确的时间，例如 2020-01-30 08:30。"},
    )
    operator = forms.CharField(label=_("消杀人员"), max_length=40, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    ITEM_PREFIX = "item_"

    def __init__(
        self, *args: Any, site: Site, last: DisinfectionRun | None = None, **kwargs: Any
    ) -> None:
        if (not args or args[0] is None) and "initial" not in kwargs:
            initial: dict[str, Any] = {
                "client_uuid": uuid.uuid4(),
                "agent": Agent.CHLORINE_84,
                "concentration": AGENT_DEFAULTS[Agent.CHLORINE_84],
            }
            if last is not None:
                initial |= {
                    "agent": last.agent,
                    "concentration": format(last.concentration.normalize(), "f"),
                    "operator": last.operator,
                }
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.site = site
        for item in checklist_of(site.kind):
            self.fields[self.ITEM_PREFIX + item.code] = forms.BooleanField(
                label=str(item.label), required=False
            )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(self.ITEM_PREFIX)]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "agent": data["agent"],
            "concentration": data["concentration"],
            "done_at": data.get("done_at"),
            "operator": data.get("operator", ""),
            "note": data.get("note", ""),
            "client_uuid": data["client_uuid"],
            "checklist": {
                name.removeprefix(self.ITEM_PREFIX): bool(data.get(name))
                for name in self.fields
                if name.startswith(self.ITEM_PREFIX)
            },
        }


def default_period(today: date) -> tuple[date, date]:
    """The last seven days, today included: what the unit page shows first."""
    return today - timedelta(days=6), today
