"""Excel import jobs (导入): an uploaded returnee list, its preview, and its application."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    PREVIEWING = "previewing", _("正在检查")
    PREVIEWED = "previewed", _("待确认")
    APPLYING = "applying", _("正在导入")
    APPLIED = "applied", _("已导入")
    FAILED = "failed", _("无法读取")


class ImportJob(models.Model):
    """Who imported which file into which unit, when, with what result (导入记录)."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("导入单元")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    file = models.FileField(upload_to="screening/imports/%Y/%m/")
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField(_("默认年份"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # {"created": N, "updated": N, "unchanged": N, "rejected": N, "errors": [...]}
    result = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=300, blank=True)
    # While applying (正在导入): the step under way and how far the whole job is, 0–100.
    stage = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.APPLYING:
            return min(100, self.progress)
        if not self.rows_total:
            return 100 if self.status in (ImportStatus.PREVIEWED, ImportStatus.APPLIED) else 0
        return min(100, round(100 * self.rows_done / self.rows_total))
