"""Supplies (物资): the stock ledger (台账) and donations (捐赠)."""

from django.utils.translation import gettext_lazy as _

from bastion.accounts.roles import Capability
from bastion.exports.datasets.base import Column, Dataset, Mask, choice, labels, since_until
from bastion.supplies.models import (
    CounterpartyKind,
    Donation,
    DonorKind,
    MovementKind,
    ReceiptSource,
    StockMovement,
)

movements = Dataset(
    name="stock_movements",
    label=_("物资台账"),
    capability=Capability.VIEW_SUPPLIES,
    base=lambda: StockMovement.objects.all(),
    object_type="stock_movement",
    order_by=("-occurred_at", "-pk"),
    filters=(choice("kind", _("类型"), "kind", MovementKind.choices), *since_until("occurred_at")),
    columns=(
        Column(_("编号"), "pk"),
        Column(_("发生时间"), "occurred_at"),
        Column(_("单元"), "unit__name"),
        Column(_("物资"), "item__name"),
        Column(_("类型"), "kind", choices=labels(MovementKind.choices)),
        Column(_("数量"), "quantity"),
        Column(_("库存变化"), "delta"),
        Column(_("来源"), "source", choices=labels(ReceiptSource.choices)),
        # A household or a person may be the counterparty: masked like a name.
        Column(_("对象"), "counterparty", Mask.NAME),
        Column(_("对象类别"), "counterparty_kind", choices=labels(CounterpartyKind.choices)),
        Column(_("备注"), "note", Mask.TEXT),
    ),
    datetime_fields=frozenset({"occurred_at"}),
)

donations = Dataset(
    name="donations",
    label=_("捐赠登记"),
    capability=Capability.VIEW_SUPPLIES,
    base=lambda: Donation.objects.all(),
    object_type="donation",
    order_by=("-donated_on", "-pk"),
    filters=(
        choice("donor_kind", _("捐赠方类别"), "donor_kind", DonorKind.choices),
        *since_until("donated_on"),
    ),
    columns=(
        Column(_("编号"), "pk"),
        Column(_("捐赠日期"), "donated_on"),
        Column(_("受赠单元"), "unit__name"),
        Column(_("捐赠方"), "donor_name", Mask.NAME),
        Column(_("捐赠方类别"), "donor_kind", choices=labels(DonorKind.choices)),
        Column(_("金额（元）"), "money"),
        Column(_("收据编号"), "receipt_no"),
        Column(_("用途"), "purpose"),
        Column(_("同意公开姓名"), "public_consent"),
        Column(_("使用情况"), "usage_notes"),
    ),
)
