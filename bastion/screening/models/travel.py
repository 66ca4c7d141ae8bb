"""Returnees (返乡人员): travel records, the high-risk area list, and the public
self-registration point (自主登记) of each village."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HighRiskArea(models.Model):
    """An origin that flags a traveller (高风险地区), in force between two dates.

    Matched by region code prefix when the record carries one, else by names: an area with an
    empty city covers the whole province, one with an empty county the whole city.
    """

    code = models.CharField(_("区划代码"), max_length=12, blank=True)
    name = models.CharField(_("名称"), max_length=60)
    province = models.CharField(_("省"), max_length=20)
    city = models.CharField(_("市"), max_length=30, blank=True)
    county = models.CharField(_("县（区）"), max_length=30, blank=True)
    active_from = models.DateField(_("起始日期"))
    active_to = models.DateField(_("截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["province", "city", "county", "-active_from"]
        verbose_name = _("高风险地区")
        verbose_name_plural = _("高风险地区")

    def __str__(self) -> str:
        return self.name


class Transport(models.TextChoices):
    TRAIN = "train", _("火车")
    PLANE = "plane", _("飞机")
    COACH = "coach", _("客车")
    SELF_DRIVE = "self_drive", _("自驾")
    OTHER = "other", _("其他")


class TravelSource(models.TextChoices):
    VISIT = "visit", _("入户排查")
    MANUAL = "manual", _("工作人员登记")
    SELF_REGISTRATION = "self_registration", _("自主登记（已核实）")
    IMPORT = "import", _("Excel 导入")


class TravelRecord(models.Model):
    """A person's journey here (行程): where from, when, how, with whom, and where they stay."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="travel_records"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在村（社区）")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    household = models.ForeignKey(
        "people.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("居住户"),
    )
    origin_province = models.CharField(_("出发地（省）"), max_length=20)
    origin_city = models.CharField(_("出发地（市）"), max_length=30, blank=True)
    origin_county = models.CharField(_("出发地（县区）"), max_length=30, blank=True)
    origin_code = models.CharField(_("出发地区划代码"), max_length=12, blank=True)
    risk_area = models.ForeignKey(
        HighRiskArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_high_risk = models.BooleanField(_("来自高风险地区"), default=False, db_index=True)
    departed_on = models.DateField(_("出发日期"), null=True, blank=True)
    arrived_on = models.DateField(_("抵达日期"), db_index=True)
    transport = models.CharField(_("交通方式"), max_length=12, choices=Transport.choices)
    transport_no = models.CharField(_("车次/航班/车牌"), max_length=20, blank=True)
    companions = models.ManyToManyField(
        "people.Person", blank=True, related_name="+", verbose_name=_("同行人员")
    )
    companions_note = models.CharField(_("其他同行人"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=TravelSource.choices)
    visit = models.ForeignKey(
        "screening.HouseholdVisit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="travel_records",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(default=1)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-arrived_on", "-id"]
        verbose_name = _("行程记录")
        verbose_name_plural = _("行程记录")
        constraints = [
            # One arrival per person and day: what makes a re-import update instead of add.
            models.UniqueConstraint(fields=["person", "arrived_on"], name="travel_one_arrival"),
        ]
        indexes = [models.Index(fields=["unit_code", "arrived_on"], name="travel_unit_arrival")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.origin} → {self.arrived_on}"

    @property
    def origin(self) -> str:
        return "".join(p for p in (self.origin_province, self.origin_city, self.origin_county))


class RegistrationPoint(models.Model):
    """A village's public self-registration page (自主登记): its URL carries `token`, printed
    on a QR poster. What arrives there is a signal, never trusted data."""

    unit = models.OneToOneField(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("村（社区）")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    token = models.CharField(max_length=40, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("自主登记点")
        verbose_name_plural = _("自主登记点")

    def __str__(self) -> str:
        return str(self.unit_code)
