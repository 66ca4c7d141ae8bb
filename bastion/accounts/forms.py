from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("用户名（手机号）或密码不对。连续错误 5 次将暂时锁定。"),
        "inactive": _("该账号已停用，请联系上级。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-lg"


class AccountCreateForm(BootstrapForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=40)
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False)
    unit = forms.ChoiceField(label=_("所属单元"))
    role = forms.ChoiceField(label=_("角色"))
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, min_length=8)

    def __init__(
        self, *args: Any, units: list[tuple[str, str]], roles: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class TokenCreateForm(BootstrapForm):
    name = forms.CharField(label=_("用途"), max_length=60)
