"""The export request form (申请导出): a purpose, and full values only with a reason."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm


class ExportRequestForm(BootstrapForm):
    purpose = forms.CharField(
        label=_("用途"),
        min_length=4,
        max_length=200,
        help_text=_("说明这份名单用来做什么，例如：向县指挥部报送返乡人员名单。"),
        error_messages={
            "required": _("请填写用途。"),
            "min_length": _("用途应为 4–200 个字。"),
            "max_length": _("用途应为 4–200 个字。"),
        },
    )
    reveal = forms.BooleanField(
        label=_("完整信息（不脱敏）"),
        required=False,
        help_text=_("导出完整的姓名、身份证号和手机号。会记入访问日志。"),
    )
    reveal_reason = forms.CharField(
        label=_("显示完整信息的理由"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("理由应为 4–200 个字。")},
    )

    def __init__(self, *args: Any, may_reveal: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_reveal:
            del self.fields["reveal"]
            del self.fields["reveal_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reveal") and len((data.get("reveal_reason") or "").strip()) < 4:
            self.add_error("reveal_reason", _("选择完整信息时，请填写理由（至少 4 个字）。"))
        return data
