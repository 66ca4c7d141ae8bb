"""Alerts (预警, 早报告) and the notification outbox (通知发件箱)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    FEVER = "fever", _("发热")
    SYMPTOM = "symptom", _("症状")
    MISSED = "missed", _("漏报")
    REFUSED = "refused", _("拒绝配合")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待确认")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    RESOLVED = "resolved", _("已处置")


# An alert that nobody has closed yet.
UNRESOLVED = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class AlertLevel(models.TextChoices):
    """Who must act: the village first; unacknowledged, it rises to the township, then the
    county (early reporting, 早报告)."""

    VILLAGE = "village", _("村（社区）")
    TOWNSHIP = "township", _("乡镇（街道）")
    COUNTY = "county", _("县（市、区）")


class Resolution(models.TextChoices):
    REFERRED = "referred", _("已转诊")
    RECHECKED_NORMAL = "rechecked_normal", _("复测正常")
    CORRECTED = "corrected", _("录入更正")
    LATE_CHECKIN = "late_checkin", _("已补报")
    CONTACTED = "contacted", _("已联系处置")
    OBSERVATION_ENDED = "observation_ended", _("观察已结束")


class Alert(models.Model):
    """Something a worker must act on: a fever, a symptom, a missed check-in, a refusal.

    A fever, symptom or refusal alert is raised inside the check-in's transaction; a missed
    alert when a slot's window closes. At most one unresolved fever (symptom, refusal) alert
    per observation, and one missed alert per observation, day and slot.
    """

    observation = models.ForeignKey(
        "observation.Observation", on_delete=models.PROTECT, related_name="alerts"
    )
    unit_code = models.CharField(max_length=40)
    kind = models.CharField(_("类别"), max_length=10, choices=AlertKind.choices)
    status = models.CharField(
        _("状态"), max_length=14, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    level = models.CharField(
        _("层级"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.VILLAGE
    )
    checkin = models.ForeignKey(
        "observation.CheckIn", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    day = models.DateField(null=True, blank=True)
    slot = models.CharField(max_length=16, blank=True)
    temperature = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    symptoms = models.JSONField(default=list, blank=True)
    raised_at = models.DateTimeField(_("发出时间"))
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(
        _("处置结果"), max_length=20, choices=Resolution.choices, blank=True
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "day", "slot"],
                condition=models.Q(kind="missed"),
                name="alert_one_missed_per_slot",
            ),
            models.UniqueConstraint(
                fields=["observation", "kind"],
                condition=models.Q(
                    status__in=["open", "acknowledged"], kind__in=["fever", "symptom", "refused"]
                ),
                name="alert_one_unresolved_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["unit_code", "status"], name="alert_unit_status"),
            models.Index(fields=["status", "level", "raised_at"], name="alert_escalation"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.observation_id}"

    @property
    def is_unresolved(self) -> bool:
        return self.status in UNRESOLVED


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Notification(models.Model):
    """The outbox: a message to one person, written in the transaction that caused it and
    delivered afterwards by the configured sender (console, log, an SMS gateway)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    status = models.CharField(
        max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sender = models.CharField(max_length=40, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_pending")]

    def __str__(self) -> str:
        return f"→ {self.recipient_id}: {self.text[:30]}"
