"""Access log (访问日志): who saw, listed, exported or revealed which personal data, and why.

Append-only: rows are only ever created (bastion.audit.services.access_log_write); the admin
shows them read-only, and nothing in the code updates or deletes them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    LIST = "list", _("列表")
    SEARCH = "search", _("查询")
    EXPORT = "export", _("导出")
    REVEAL = "reveal", _("显示完整信息")
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    MERGE = "merge", _("合并")
    # `bastion purge`: personal data past the retention period anonymised (保存期清理).
    PURGE = "purge", _("保存期清理")


class AccessLog(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_logs"
    )
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=40)
    object_id = models.CharField(_("对象"), max_length=40, blank=True, db_index=True)
    unit_code = models.CharField(_("单元代码"), max_length=40, blank=True, db_index=True)
    field = models.CharField(_("字段"), max_length=40, blank=True)
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    # Filters and counts for lists and exports; never a full ID number or phone.
    detail = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=8, default="web")  # web / api / cli

    scope_field = "unit_code"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("访问日志")
        verbose_name_plural = _("访问日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}"
