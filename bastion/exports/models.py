"""Export jobs (导出任务): one requested Excel export of a list, with its purpose, masking,
progress and expiry.

The file lives under MEDIA_ROOT (the var directory), never under static files, and is served
only to its requester until `expires_at` (bastion.exports.views.job_download).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导出中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


RUNNING_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class ExportJob(models.Model):
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs"
    )
    dataset = models.CharField(_("数据集"), max_length=40)
    # The list's filter as the user chose it: unit codes, dates, statuses; never personal data.
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    # The unit whose jurisdiction the export covers; empty means the requester's whole scope.
    unit_code = models.CharField(_("单元代码"), max_length=40, blank=True, db_index=True)
    purpose = models.CharField(_("用途"), max_length=200)
    masked = models.BooleanField(_("脱敏"), default=True)
    reveal_reason = models.CharField(_("显示完整信息的理由"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    row_count = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    message = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=8, default="web")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(masked=True) | ~models.Q(reveal_reason=""),
                name="export_reveal_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES
