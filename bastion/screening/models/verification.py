"""Verification lists (核查名单): a list pushed down from above, row by row routed to the
village that must check it. Corrections sit beside the original values, never over them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VerificationList(models.Model):
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("下发单位")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    title = models.CharField(_("名单名称"), max_length=100)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("核查名单")
        verbose_name_plural = _("核查名单")

    def __str__(self) -> str:
        return self.title


class RowStatus(models.TextChoices):
    PENDING = "pending", _("待核查")
    FOUND_CORRECT = "found_correct", _("已找到，信息无误")
    FOUND_CORRECTED = "found_corrected", _("已找到，信息有误已更正")
    NOT_HERE = "not_here", _("查无此人")
    UNREACHABLE = "unreachable", _("无法联系")


class RoutedBy(models.TextChoices):
    ID_NUMBER = "id_number", _("身份证号")
    MOBILE = "mobile", _("手机号")
    ADDRESS = "address", _("地址")
    NONE = "", _("未能分派")


CORRECTABLE = ("name", "id_number", "mobile", "address")


class VerificationRow(models.Model):
    vlist = models.ForeignKey(VerificationList, on_delete=models.CASCADE, related_name="rows")
    sheet = models.CharField(max_length=60)
    row_number = models.PositiveIntegerField()
    # The values as the list gave them (normalised when they were valid).
    name = models.CharField(_("姓名"), max_length=40, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=40, blank=True)
    mobile = models.CharField(_("手机号"), max_length=30, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # Routed to a village: its code; unroutable rows keep the uploader's code and stay there.
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    routed_by = models.CharField(max_length=12, choices=RoutedBy.choices, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signal = models.ForeignKey(
        "screening.Signal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("核查结果"), max_length=16, choices=RowStatus.choices, default=RowStatus.PENDING
    )
    corrected_name = models.CharField(_("更正姓名"), max_length=40, blank=True)
    corrected_id_number = models.CharField(_("更正身份证号"), max_length=18, blank=True)
    corrected_mobile = models.CharField(_("更正手机号"), max_length=11, blank=True)
    corrected_address = models.CharField(_("更正住址"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    scope_field = "unit_code"

    class Meta:
        ordering = ["vlist", "sheet", "row_number"]
        verbose_name = _("核查名单行")
        verbose_name_plural = _("核查名单行")
        indexes = [models.Index(fields=["unit_code", "status"], name="vrow_unit_status")]

    def __str__(self) -> str:
        return f"{self.sheet}!{self.row_number}"
