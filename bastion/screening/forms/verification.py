"""Forms of the verification list pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm
from bastion.orgs.models import OrgUnit
from bastion.screening.forms.signals import unit_label
from bastion.screening.models import RowStatus
from bastion.screening.services.verification import VERIFY_STATUSES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def excel_file_field(label: Any) -> forms.FileField:
    return forms.FileField(
        label=label,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods"}),
        error_messages={"required": "请选择 Excel 文件。", "empty": "文件是空的。"},
    )


def check_size(form: forms.Form, name: str = "file") -> None:
    upload = form.cleaned_data.get(name)
    if upload is not None and upload.size > MAX_UPLOAD_BYTES:
        form.add_error(name, "文件不能超过 20 MB。")


class VListUploadForm(BootstrapForm):
    unit = forms.ChoiceField(label=_("下发单位"), error_messages={"required": "请选择下发单位。"})
    title = forms.CharField(
        label=_("名单名称"),
        max_length=100,
        error_messages={"required": "请填写名单名称。"},
        widget=forms.TextInput(
            attrs={"placeholder": _("例如 省指挥部推送：1月20日后自湖北来株人员")}
        ),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    file = excel_file_field(_("名单文件（Excel）"))

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


class VRowVerifyForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("核查结果"),
        choices=[(s.value, s.label) for s in map(RowStatus, VERIFY_STATUSES)],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择核查结果。"},
    )
    corrected_name = forms.CharField(label=_("更正姓名"), max_length=40, required=False)
    corrected_id_number = forms.CharField(label=_("更正身份证号"), max_length=40, required=False)
    corrected_mobile = forms.CharField(
        label=_("更正手机号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    corrected_address = forms.CharField(label=_("更正住址"), max_length=200, required=False)
    note = forms.CharField(label=_("核查经过"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs["class"] = "btn-check"


class VRowRouteForm(BootstrapForm):
    unit = forms.CharField(
        label=_("分派给（村/社区名称或代码）"),
        max_length=60,
        error_messages={"required": "请填写村（社区）。"},
    )


class ExportForm(BootstrapForm):
    reason = forms.CharField(
        label=_("导出事由"),
        max_length=200,
        error_messages={"required": "请填写导出事由。"},
        widget=forms.TextInput(attrs={"placeholder": _("例如 报送县指挥部核查结果")}),
    )
    reveal = forms.BooleanField(label=_("导出完整身份证号和手机号"), required=False)
