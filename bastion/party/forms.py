"""Forms of the Party pages. Choices are filled by the views from scoped selectors."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm, add_service_errors
from bastion.orgs.models import PartyOrgKind
from bastion.party.models import PostKind

__all__ = [
    "BriefingCreateForm",
    "CommendForm",
    "ConsentForm",
    "DeedForm",
    "FactForm",
    "NominateForm",
    "PartyOrgForm",
    "PeriodForm",
    "PhotoForm",
    "PostForm",
    "add_service_errors",
]

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MAX_PERIOD_DAYS = 92


class PeriodForm(BootstrapForm):
    start = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("结束日期"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "结束日期不能早于开始日期。")
        elif start and end and (end - start).days >= MAX_PERIOD_DAYS:
            self.add_error("end", f"期间不超过 {MAX_PERIOD_DAYS} 天。")
        return data

    def period(self) -> tuple[date, date]:
        """The asked period, or today when the form is empty or wrong (its errors say why)."""
        today = timezone.localdate()
        if not self.is_bound or not self.is_valid():
            return today, today
        start = self.cleaned_data["start"] or self.cleaned_data["end"] or today
        end = self.cleaned_data["end"] or start
        return start, end


class PartyOrgForm(BootstrapForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    party_kind = forms.ChoiceField(label=_("类别"), choices=PartyOrgKind.choices)
    secretary = forms.TypedChoiceField(
        label=_("书记"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["secretary"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (m.pk, f"{m.person.name}（{m.unit.short_name or m.unit.name}）") for m in members
        ]


class PostForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("类别"), choices=PostKind.choices)
    title = forms.CharField(label=_("名称"), max_length=100)
    member = forms.TypedChoiceField(label=_("党员"), coerce=int)
    place = forms.ChoiceField(label=_("岗位或责任区"))
    building = forms.CharField(label=_("楼栋"), max_length=100, required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)

    def __init__(
        self, *args: Any, members: list[Any], checkpoints: list[Any], areas: list[Any], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["member"].choices = [  # type: ignore[attr-defined]
            (m.pk, f"{m.person.name}（{m.unit.short_name or m.unit.name}）") for m in members
        ]
        self.fields["place"].choices = [  # type: ignore[attr-defined]
            (f"c{c.pk}", f"{_('卡点')}：{c.unit.name}") for c in checkpoints
        ] + [(f"a{a.code}", f"{_('网格')}：{a.name}") for a in areas]
        self.fields["starts_on"].initial = timezone.localdate()


class DeedForm(BootstrapForm):
    title = forms.CharField(label=_("标题"), max_length=100)
    member = forms.TypedChoiceField(label=_("人物"), coerce=int, required=False, empty_value=None)
    team = forms.TypedChoiceField(label=_("队伍"), coerce=int, required=False, empty_value=None)
    happened_on = forms.DateField(label=_("日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    text = forms.CharField(
        label=_("事迹"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("从人物做了什么写起，不必写姓名：姓名按本人是否同意公开显示。"),
    )

    def __init__(self, *args: Any, members: list[Any], teams: list[Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["member"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (m.pk, f"{m.person.name}（{m.unit.short_name or m.unit.name}）") for m in members
        ]
        self.fields["team"].choices = [("", "—")] + [(t.pk, t.name) for t in teams]  # type: ignore[attr-defined]
        self.fields["happened_on"].initial = timezone.localdate()


class PhotoForm(BootstrapForm):
    image = forms.FileField(label=_("照片"))
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)


class FactForm(BootstrapForm):
    """A backing fact: one of the subject's work logs, assignments or checkpoint duties, or an
    observation they followed (by its number, from the observation page)."""

    fact = forms.ChoiceField(label=_("记录"), required=False)
    observation = forms.IntegerField(
        label=_("或：医学观察编号"), min_value=1, max_value=2**63 - 1, required=False
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fact"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("observation"):
            data["kind"], data["object_id"] = "observation", data["observation"]
        elif data.get("fact"):
            kind, _sep, pk = str(data["fact"]).partition(":")
            data["kind"], data["object_id"] = kind, int(pk)
        else:
            raise forms.ValidationError(_("请选择一条记录。"))
        return data


class ConsentForm(BootstrapForm):
    consent_note = forms.CharField(
        label=_("同意方式"), max_length=200, help_text=_("如：本人签字、电话确认。")
    )


class NominateForm(BootstrapForm):
    note = forms.CharField(label=_("推荐意见"), max_length=200, required=False)


class CommendForm(BootstrapForm):
    commendation = forms.CharField(label=_("表彰名称"), max_length=100)


class BriefingCreateForm(BootstrapForm):
    start = forms.DateField(label=_("开始日期"), widget=DATE)
    end = forms.DateField(label=_("结束日期"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["start"].initial = today - timedelta(days=today.weekday())
        self.fields["end"].initial = today
