"""Forms of the mobilisation pages: short, phone-first, choices from the user's jurisdiction."""

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm, add_service_errors
from bastion.core.masking import mask_name
from bastion.mobilisation.models import Member, Skill
from bastion.people.models import Person

__all__ = [
    "AccountLinkForm",
    "CallForm",
    "MemberForm",
    "PledgeForm",
    "TeamForm",
    "WorkLogForm",
    "add_service_errors",
]

DATE = forms.DateInput(attrs={"type": "date"})


def member_label(m: Member) -> str:
    party = _("党员") if m.is_party_member else _("群众")
    return f"{mask_name(m.person.name)} · {party} · {m.unit.short_name or m.unit.name}"


def _member_choices(members: Iterable[Member]) -> list[tuple[str, str]]:
    return [(str(m.pk), member_label(m)) for m in members]


class MemberForm(BootstrapForm):
    person = forms.TypedChoiceField(label=_("人员（从人员库选择）"), coerce=int)
    is_party_member = forms.BooleanField(label=_("中共党员"), required=False)
    party_since_year = forms.IntegerField(
        label=_("入党年份"), required=False, min_value=1900, max_value=2100
    )
    skills = forms.MultipleChoiceField(
        label=_("特长"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.CharField(label=_("可服务时间"), max_length=200, required=False)
    posts = forms.CharField(label=_("现任职务"), max_length=200, required=False)

    def __init__(self, *args: Any, persons: Iterable[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(p.pk), f"{mask_name(p.name)} · {p.unit.short_name or p.unit.name}")
            for p in persons
        ]


class CallForm(BootstrapForm):
    title = forms.CharField(label=_("征集名称"), max_length=100)
    people_needed = forms.IntegerField(label=_("需要人数"), min_value=1, max_value=10_000)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PledgeForm(BootstrapForm):
    member = forms.TypedChoiceField(label=_("队员"), coerce=int)
    statement = forms.CharField(
        label=_("请战内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    experience = forms.CharField(label=_("相关经历"), max_length=500, required=False)
    applies_to_join_party = forms.BooleanField(label=_("同时递交入党申请书"), required=False)

    def __init__(self, *args: Any, members: Iterable[Member] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—"), *_member_choices(members)]  # type: ignore[attr-defined]


class TeamForm(BootstrapForm):
    name = forms.CharField(label=_("队名"), max_length=100)
    destination = forms.CharField(label=_("去向"), max_length=100, required=False)
    members = forms.TypedMultipleChoiceField(
        label=_("队员"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    leader = forms.TypedChoiceField(label=_("队长"), coerce=int, required=False, empty_value=None)
    branch_name = forms.CharField(
        label=_("临时党支部名称"),
        max_length=100,
        required=False,
        help_text=_("填写后在派出单位下成立临时党支部。"),
    )

    def __init__(self, *args: Any, members: Iterable[Member] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _member_choices(members)
        self.fields["members"].choices = choices  # type: ignore[attr-defined]
        self.fields["leader"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]


class WorkLogForm(BootstrapForm):
    member = forms.TypedChoiceField(label=_("队员"), coerce=int)
    day = forms.DateField(label=_("日期"), widget=DATE)
    hours = forms.DecimalField(
        label=_("工作时长（小时）"),
        min_value=Decimal("0.5"),
        max_value=Decimal(24),
        decimal_places=1,
        max_digits=3,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    cancelled_leave = forms.BooleanField(label=_("取消休假"), required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, members: Iterable[Member] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—"), *_member_choices(members)]  # type: ignore[attr-defined]


class AssignmentForm(BootstrapForm):
    """派遣: a member on a duty other than a checkpoint shift, with a place and dates."""

    member = forms.TypedChoiceField(label=_("队员"), coerce=int)
    duty = forms.CharField(label=_("任务"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)

    def __init__(self, *args: Any, members: Iterable[Member] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—"), *_member_choices(members)]  # type: ignore[attr-defined]


def account_label(user: Any) -> str:
    """An account as an officer recognises it: the name it shows and its login name."""
    name = getattr(user, "display_name", "") or ""
    return f"{name} · {user.username}" if name else str(user.username)


class AccountLinkForm(BootstrapForm):
    """关联登录账号: choose among the accounts the officer may link, or none to unlink."""

    account = forms.TypedChoiceField(
        label=_("登录账号"),
        coerce=int,
        required=False,
        empty_value=None,
        # The same words as the service's: an account that is not offered is out of reach.
        error_messages={"invalid_choice": _("账号不存在，或不在该队员所在辖区任职。")},
    )

    def __init__(self, *args: Any, accounts: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", _("（不关联）"))] + [  # type: ignore[attr-defined]
            (str(a.pk), account_label(a)) for a in accounts
        ]
