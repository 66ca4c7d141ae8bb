"""Forms of the person pages. They only parse input: the services validate the data, and their
field-level messages are put back on these forms (`add_service_errors`)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import FastSelect
from bastion.core.masking import mask_id_number, mask_mobile
from bastion.orgs.models import OrgUnit
from bastion.people.models import CARE_TAGS, Person, Sex

CARE_TAG_LABELS = dict(Person.CARE_TAGS)


def _unit_label(unit: OrgUnit) -> str:
    return f"{unit.name}（{unit.code}）"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's {field: message} errors on the matching form fields; the rest on top."""
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class _Bootstrap:
    """Bootstrap 5 classes on every widget, so templates can render fields plainly."""

    fields: dict[str, forms.Field]

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class PersonForm(_Bootstrap, forms.Form):
    """Create or edit a person. On edit the ID number and mobile start empty (the page never
    holds the full values); left empty they stay as they are."""

    name = forms.CharField(
        label=_("姓名"), max_length=40, error_messages={"required": "请填写姓名。"}
    )
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    sex = forms.ChoiceField(
        label=_("性别"),
        choices=[("", _("按身份证号")), *Sex.choices],
        required=False,
    )
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请填写正确的日期，例如 1990-01-01。"},
    )
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    unit = forms.ChoiceField(
        label=_("所属村（社区）或网格"), error_messages={"required": "请选择所属村（社区）或网格。"}
    )
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    care_tags = forms.MultipleChoiceField(
        label=_("关爱标签"),
        choices=list(Person.CARE_TAGS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_not_duplicate = forms.BooleanField(label=_("确认不是同一人"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        units: list[OrgUnit],
        person: Person | None = None,
        **kwargs: Any,
    ) -> None:
        self.units = {u.code: u for u in units}
        self.person = person
        if person is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(person)
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)  # noqa: S101 - declared above
        unit_field.choices = [("", "—")] + [(u.code, _unit_label(u)) for u in units]
        if len(units) == 1 and not self.is_bound:
            self.initial.setdefault("unit", units[0].code)
        if person is not None:
            self.fields["id_number"].help_text = _("留空则不修改。")
            self.fields["id_number"].widget.attrs["placeholder"] = mask_id_number(person.id_number)
            self.fields["mobile"].help_text = _("留空则不修改。")
            self.fields["mobile"].widget.attrs["placeholder"] = mask_mobile(person.mobile)
        self._style()

    @staticmethod
    def initial_of(person: Person) -> dict[str, Any]:
        return {
            "name": person.name,
            "sex": person.sex if person.sex != Sex.UNKNOWN else "",
            "birth_date": person.birth_date,
            "unit": person.unit_code,
            "address": person.household.address if person.household else "",
            "care_tags": person.care_tags,
            "version": person.version,
        }

    @property
    def selected_unit(self) -> OrgUnit | None:
        return self.units.get(self.cleaned_data.get("unit") or "")

    def create_arguments(self) -> dict[str, Any]:
        """Keyword arguments for `person_create`."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "id_number": data["id_number"] or None,
            "sex": data["sex"] or None,
            "birth_date": data["birth_date"],
            "mobile": data["mobile"],
            "unit": self.selected_unit,
            "address": data["address"],
            "care_tags": data["care_tags"],
        }

    def changes(self) -> dict[str, Any]:
        """Keyword arguments for `person_update`: what differs from the person as shown."""
        assert self.person is not None  # noqa: S101 - only edit forms have a person
        data = self.cleaned_data
        before = self.initial_of(self.person)
        changes: dict[str, Any] = {}
        for field in ("name", "birth_date", "care_tags"):
            if data[field] != before[field]:
                changes[field] = data[field]
        if (data["sex"] or "") != before["sex"]:
            changes["sex"] = data["sex"] or None
        if data["unit"] != before["unit"]:
            changes["unit"] = self.selected_unit
        if data["address"].strip() != before["address"]:
            changes["address"] = data["address"]
        for field in ("id_number", "mobile"):
            if data[field].strip():
                changes[field] = data[field]
        return changes

    def clean_care_tags(self) -> list[str]:
        return [t for t in CARE_TAGS if t in self.cleaned_data["care_tags"]]


class SearchForm(forms.Form):
    """The search box. It is POSTed, so that ID numbers and phones never reach a URL."""

    q = forms.CharField(
        label=_("姓名、拼音首字母、身份证号或手机号"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "placeholder": _("姓名 / 拼音首字母 / 身份证号 / 手机号"),
                "autocomplete": "off",
                "type": "search",
            }
        ),
    )


class ListFilterForm(_Bootstrap, forms.Form):
    """Filters of the person list: they go in the URL, and hold no personal data."""

    # Not a ChoiceField: a code outside the user's jurisdiction must answer 404, not a form error.
    unit = forms.CharField(label=_("单元"), required=False, max_length=40, widget=FastSelect)
    tag = forms.ChoiceField(
        label=_("关爱标签"), required=False, choices=[("", _("全部")), *Person.CARE_TAGS]
    )
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def __init__(self, *args: Any, units: list[tuple[str, str, int]], **kwargs: Any) -> None:
        """`units`: (code, name, depth) of the units offered, in code order."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = [("", _("全部辖区"))] + [
            (code, "　" * max(depth - 1, 0) + name) for code, name, depth in units
        ]
        self._style()


class RevealForm(_Bootstrap, forms.Form):
    field = forms.ChoiceField(choices=[("id_number", _("身份证号")), ("mobile", _("手机号"))])
    reason = forms.CharField(
        label=_("查看事由"),
        max_length=200,
        error_messages={"required": "请填写查看事由。"},
        widget=forms.TextInput(attrs={"placeholder": _("例如：电话随访")}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class MergeForm(forms.Form):
    merge_id = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    confirm = forms.BooleanField(
        label=_("我已核对，两条记录是同一人"),
        error_messages={"required": "请先确认两条记录是同一人。"},
    )
