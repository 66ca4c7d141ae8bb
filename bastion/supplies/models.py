"""Supplies (物资) and donations (捐赠).

The stock ledger (台账) is a list of immutable movements (出入库记录); stock on hand (库存) is
their sum per unit and item, never a stored counter. A mistake is corrected by a new
movement (an adjustment after a count, 盘点调整), never by editing or deleting one.
A donation of goods is recorded once: its goods are the receipt movements that point at it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    MASK = "mask", _("口罩")
    THERMOMETER = "thermometer", _("测温设备")
    DISINFECTANT = "disinfectant", _("消毒用品")
    PROTECTIVE = "protective", _("防护用品")
    DAILY = "daily", _("生活物资")
    OTHER = "other", _("其他")


class Measure(models.TextChoices):
    """Unit of measure (计量单位): what one counted piece of an item is."""

    PIECE = "piece", _("个")
    STICK = "stick", _("支")
    BOX = "box", _("盒")
    BOTTLE = "bottle", _("瓶")
    BARREL = "barrel", _("桶")
    SET = "set", _("套")
    PAIR = "pair", _("副")
    PACK = "pack", _("包")


class Item(models.Model):
    """An item of supplies (物资品类): masks, thermometers, 84 disinfectant, protective suits…

    Quantities of an item are always counted in its `measure`; `pieces_per_box` lets a form
    take whole boxes of an item counted by the piece.
    """

    name = models.CharField(_("名称"), max_length=40, unique=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    measure = models.CharField(_("计量单位"), max_length=8, choices=Measure.choices)
    pieces_per_box = models.PositiveIntegerField(_("每盒数量"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("物资")
        verbose_name_plural = _("物资")
        constraints = [
            models.CheckConstraint(
                condition=Q(pieces_per_box__isnull=True) | Q(pieces_per_box__gte=2),
                name="item_pieces_per_box_at_least_two",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("入库")
    ISSUE = "issue", _("发放")
    TRANSFER_OUT = "transfer_out", _("调出")
    TRANSFER_IN = "transfer_in", _("调入")
    ADJUST = "adjust", _("盘点调整")


INCOMING = (MovementKind.RECEIPT, MovementKind.TRANSFER_IN)
OUTGOING = (MovementKind.ISSUE, MovementKind.TRANSFER_OUT)


class ReceiptSource(models.TextChoices):
    PURCHASE = "purchase", _("采购")
    ALLOCATION = "allocation", _("上级调拨")
    DONATION = "donation", _("捐赠")


class CounterpartyKind(models.TextChoices):
    """Whom an issue went to, or where a receipt came from."""

    HOUSEHOLD = "household", _("住户")
    OBSERVATION = "observation", _("居家观察对象")
    CHECKPOINT = "checkpoint", _("卡点")
    TEAM = "team", _("工作队")
    PERSON = "person", _("个人")
    UNIT = "unit", _("单位")
    SUPPLIER = "supplier", _("供应商")
    DONOR = "donor", _("捐赠方")
    OTHER = "other", _("其他")


# Counterparties that name private persons: masked in exports.
PRIVATE_COUNTERPARTIES = (
    CounterpartyKind.HOUSEHOLD,
    CounterpartyKind.OBSERVATION,
    CounterpartyKind.PERSON,
)


class StockMovement(models.Model):
    """One movement of the ledger (出入库记录). Immutable once written.

    `quantity` is always positive; `delta` is the signed change of stock on hand (negative for
    an issue or a transfer out, either sign for an adjustment), so on hand is `Sum("delta")`.
    A transfer is two movements written together: `transfer_out` at the sender and
    `transfer_in` at the receiver, the latter pointing at the former through `transfer`.
    """

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="movements", verbose_name=_("物资")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=MovementKind.choices)
    quantity = models.PositiveIntegerField(_("数量"))
    delta = models.IntegerField(_("库存变化"))
    source = models.CharField(_("来源"), max_length=16, choices=ReceiptSource.choices, blank=True)
    counterparty = models.CharField(_("对象"), max_length=100, blank=True)
    counterparty_kind = models.CharField(
        _("对象类别"), max_length=16, choices=CounterpartyKind.choices, blank=True
    )
    counterparty_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("对方单位"),
    )
    household = models.ForeignKey(
        "people.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("住户"),
    )
    transfer = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_in",
        verbose_name=_("对应调出"),
    )
    donation = models.ForeignKey(
        "supplies.Donation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name=_("捐赠"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("经办人"),
    )
    occurred_at = models.DateTimeField(_("发生时间"))
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    client_uuid = models.UUIDField(unique=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("出入库记录")
        verbose_name_plural = _("出入库记录")
        indexes = [
            models.Index(fields=["unit_code", "item", "occurred_at"], name="movement_unit_item_at"),
            models.Index(fields=["unit_code", "occurred_at"], name="movement_unit_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="movement_quantity_positive"),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=INCOMING, delta=F("quantity"))
                    | Q(kind__in=OUTGOING, delta=-F("quantity"))
                    | Q(kind=MovementKind.ADJUST, delta=F("quantity"))
                    | Q(kind=MovementKind.ADJUST, delta=-F("quantity"))
                ),
                name="movement_delta_signed_by_kind",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=MovementKind.RECEIPT, source__in=ReceiptSource.values)
                    | (~Q(kind=MovementKind.RECEIPT) & Q(source=""))
                ),
                name="movement_source_only_for_receipts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id} {self.delta:+d} @ {self.unit_code}"


class Stock(models.Model):
    """A unit's stock of one item (库存): its per-unit minimum, and the row that writes lock.

    On hand is not stored here; it is the ledger's sum. Writers that take stock out lock this
    row first (SELECT … FOR UPDATE), so two issues cannot both pass the "enough stock" check.
    """

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    minimum = models.PositiveIntegerField(_("最低库存"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = _("库存")
        constraints = [
            models.UniqueConstraint(fields=["unit", "item"], name="stock_unique_unit_item"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.item_id}"


class DonorKind(models.TextChoices):
    SOE = "soe", _("国有企业")
    PRIVATE_ENTERPRISE = "private_enterprise", _("民营企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    INDIVIDUAL = "individual", _("个人")


ANONYMOUS_DONOR = _("爱心人士")


class Donation(models.Model):
    """A donation (捐赠) of money, goods or both to a recipient unit.

    Goods are not stored here: they are the receipt movements (`receipts`) written with the
    donation. `public_consent` is the donor's agreement to be named on the public page (公示);
    organisations are named anyway, individuals only with it.
    """

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("受赠单位")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    donor_name = models.CharField(_("捐赠方"), max_length=100)
    donor_kind = models.CharField(_("捐赠方类别"), max_length=20, choices=DonorKind.choices)
    money = models.DecimalField(
        _("捐款金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    donated_on = models.DateField(_("捐赠日期"), db_index=True)
    receipt_no = models.CharField(_("收据编号"), max_length=40, blank=True)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    public_consent = models.BooleanField(_("同意公开姓名"), default=False)
    usage_notes = models.CharField(_("使用情况"), max_length=500, blank=True)
    client_uuid = models.UUIDField(unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记人"),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-donated_on", "-id"]
        verbose_name = _("捐赠")
        verbose_name_plural = _("捐赠")
        constraints = [
            models.CheckConstraint(condition=Q(money__gte=0), name="donation_money_not_negative"),
            models.UniqueConstraint(
                fields=["unit", "receipt_no"],
                condition=~Q(receipt_no=""),
                name="donation_unique_receipt_no",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor_name} → {self.unit_code}"

    @property
    def is_organisation(self) -> bool:
        return self.donor_kind != DonorKind.INDIVIDUAL

    @property
    def public_donor_name(self) -> str:
        """The name the public page shows: individuals who did not agree stay anonymous."""
        if self.is_organisation or self.public_consent:
            return self.donor_name
        return str(ANONYMOUS_DONOR)
