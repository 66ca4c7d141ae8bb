"""The import upload form."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm
from bastion.orgs.models import OrgUnit
from bastion.screening.forms.signals import unit_label
from bastion.screening.forms.verification import check_size, excel_file_field


class ImportForm(BootstrapForm):
    unit = forms.ChoiceField(
        label=_("导入到"),
        help_text=_("选乡镇（街道）或区县时，每一行按身份证号、手机号或住址分派到所在村（社区）。"),
        error_messages={"required": "请选择导入单元。"},
    )
    file = excel_file_field(_("返乡人员名单（Excel）"))

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            *((u.code, unit_label(u)) for u in units)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_size(self)
        return data
