"""Forms of the supplies pages: short, with large targets, remembering the last values."""

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm, add_service_errors
from bastion.orgs.models import OrgUnit
from bastion.supplies.models import CounterpartyKind, DonorKind, Item, MovementKind, ReceiptSource
from bastion.supplies.selectors import items_active
from bastion.supplies.services import MAX_QUANTITY

__all__ = [
    "DonationForm",
    "ExportForm",
    "IssueForm",
    "LedgerFilterForm",
    "MinimumForm",
    "MovementForm",
    "UsageForm",
    "add_service_errors",
]

NOT_BY_BOX = _("该物资不按盒计数，请按件填写。")
ISSUE_TO = [
    (k.value, k.label)
    for k in (
        CounterpartyKind.HOUSEHOLD,
        CounterpartyKind.OBSERVATION,
        CounterpartyKind.CHECKPOINT,
        CounterpartyKind.TEAM,
        CounterpartyKind.PERSON,
        CounterpartyKind.OTHER,
    )
]
GOODS_LINES = 3


def _as_buttons(form: forms.Form) -> None:
    """Radio choices render as rows of large toggle buttons (Bootstrap's btn-check)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "btn-check"


def _unit_choices(units: list[OrgUnit]) -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in units]


def _quantity(label: Any, minimum: int = 1) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=MAX_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class _ClientUUID(forms.UUIDField):
    """A hidden client UUID: a double tap or a retry posts the same one, and is not doubled."""

    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, initial=uuid.uuid4)


def _by_box(form: forms.Form) -> None:
    """With "by the box" ticked, multiply the quantity by the item's pieces per box."""
    data = form.cleaned_data
    item: Item | None = data.get("item")
    quantity = data.get("quantity")
    if not data.get("in_boxes") or item is None or quantity is None:
        return
    if not item.pieces_per_box:
        form.add_error("in_boxes", NOT_BY_BOX)
        return
    data["quantity"] = quantity * item.pieces_per_box


class IssueForm(BootstrapForm):
    """发放物资: unit, item, quantity, to whom. Four taps and a number."""

    unit = forms.ChoiceField(label=_("发放单位"))
    item = forms.ModelChoiceField(
        label=_("物资"), queryset=Item.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    quantity = _quantity(_("数量"))
    in_boxes = forms.BooleanField(label=_("按盒计（口罩等）"), required=False)
    counterparty_kind = forms.ChoiceField(
        label=_("发给"), choices=ISSUE_TO, widget=forms.RadioSelect
    )
    counterparty = forms.CharField(
        label=_("发放对象"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("如：月塘路 1 号张家、株洲西卡点")}),
    )
    client_uuid = _ClientUUID()

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)  # type: ignore[attr-defined]
        self.fields["item"].queryset = items_active()  # type: ignore[attr-defined]
        _as_buttons(self)

    def clean(self) -> dict[str, Any]:
        super().clean()
        _by_box(self)
        return self.cleaned_data


class MovementForm(BootstrapForm):
    """入库、调出、盘点 at one unit (an officer's form)."""

    KINDS = [
        (MovementKind.RECEIPT.value, _("入库")),
        (MovementKind.TRANSFER_OUT.value, _("调出")),
        (MovementKind.ADJUST.value, _("盘点")),
    ]
    kind = forms.ChoiceField(label=_("类型"), choices=KINDS, widget=forms.RadioSelect)
    item = forms.ModelChoiceField(label=_("物资"), queryset=Item.objects.none())
    quantity = _quantity(_("数量（盘点时填清点出的实有数）"), minimum=0)
    in_boxes = forms.BooleanField(label=_("按盒计"), required=False)
    source = forms.ChoiceField(
        label=_("来源（入库时）"),
        required=False,
        choices=[
            ("", "—"),
            (ReceiptSource.PURCHASE.value, ReceiptSource.PURCHASE.label),
            (ReceiptSource.ALLOCATION.value, ReceiptSource.ALLOCATION.label),
        ],
    )
    counterparty = forms.CharField(
        label=_("供货方或调拨单位（入库时）"), max_length=100, required=False
    )
    to_unit = forms.ChoiceField(label=_("调入单位（调出时）"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    client_uuid = _ClientUUID()

    def __init__(self, *args: Any, destinations: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items_active()  # type: ignore[attr-defined]
        self.fields["to_unit"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *_unit_choices(destinations),
        ]
        _as_buttons(self)

    def clean(self) -> dict[str, Any]:
        super().clean()
        _by_box(self)
        return self.cleaned_data


class MinimumForm(BootstrapForm):
    item = forms.ModelChoiceField(
        label=_("物资"), queryset=Item.objects.none(), empty_label=_("选择物资")
    )
    minimum = forms.IntegerField(label=_("最低库存"), min_value=0, max_value=MAX_QUANTITY)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items_active()  # type: ignore[attr-defined]


class LedgerFilterForm(BootstrapForm):
    item = forms.ModelChoiceField(
        label=_("物资"), queryset=Item.objects.none(), required=False, empty_label=_("全部物资")
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部")), *MovementKind.choices], required=False
    )
    since = forms.DateField(
        label=_("起"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("止"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    all = forms.BooleanField(label=_("含下级单位"), required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.all()  # type: ignore[attr-defined]


class ExportForm(BootstrapForm):
    reason = forms.CharField(
        label=_("导出事由"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：报送区指挥部物资日报")}),
    )


class DonationForm(BootstrapForm):
    """捐赠登记: who gave what to which unit, and whether they may be named in public."""

    unit = forms.ChoiceField(label=_("受赠单位"))
    donor_name = forms.CharField(label=_("捐赠方"), max_length=100)
    donor_kind = forms.ChoiceField(
        label=_("捐赠方类别"), choices=DonorKind.choices, widget=forms.RadioSelect
    )
    money = forms.DecimalField(
        label=_("捐款金额（元）"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    donated_on = forms.DateField(
        label=_("捐赠日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    receipt_no = forms.CharField(label=_("收据编号"), max_length=40, required=False)
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)
    public_consent = forms.BooleanField(
        label=_("个人捐赠者同意公开姓名（单位捐赠总是公开名称）"), required=False
    )
    usage_notes = forms.CharField(
        label=_("使用情况（将公示，请勿填写个人信息）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    client_uuid = _ClientUUID()

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)  # type: ignore[attr-defined]
        self.fields["donated_on"].initial = timezone.localdate()
        _as_buttons(self)
        for n in range(1, GOODS_LINES + 1):
            self.fields[f"item_{n}"] = forms.ModelChoiceField(
                label=_("捐赠物资"),
                queryset=items_active(),
                required=False,
                empty_label=_("选择物资"),
            )
            self.fields[f"quantity_{n}"] = forms.IntegerField(
                label=_("数量"), min_value=1, max_value=MAX_QUANTITY, required=False
            )
            for name in (f"item_{n}", f"quantity_{n}"):
                widget = self.fields[name].widget
                css = "form-select" if name.startswith("item") else "form-control"
                widget.attrs["class"] = css

    def goods_rows(self) -> list[tuple[Any, Any]]:
        """The bound fields of each goods line, for the template."""
        return [(self[f"item_{n}"], self[f"quantity_{n}"]) for n in range(1, GOODS_LINES + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        goods = []
        for n in range(1, GOODS_LINES + 1):
            item, quantity = data.get(f"item_{n}"), data.get(f"quantity_{n}")
            if item is not None and quantity is None:
                self.add_error(f"quantity_{n}", _("请填写数量。"))
            elif item is None and quantity is not None:
                self.add_error(f"item_{n}", _("请选择物资。"))
            elif item is not None:
                goods.append((item, quantity))
        data["goods"] = goods
        return data


class UsageForm(BootstrapForm):
    usage_notes = forms.CharField(
        label=_("使用情况（将公示，请勿填写个人信息）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
