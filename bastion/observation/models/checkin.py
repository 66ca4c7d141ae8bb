"""Check-ins (体温监测) and the personal links for self check-in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckinSource(models.TextChoices):
    SELF = "self", _("本人自报")
    PHONE = "phone", _("电话询问")
    VISIT = "visit", _("上门测温")


class MeasureSite(models.TextChoices):
    FOREHEAD = "forehead", _("额温")
    ARMPIT = "armpit", _("腋温")
    EAR = "ear", _("耳温")
    MOUTH = "mouth", _("口温")


class VisitOutcome(models.TextChoices):
    COOPERATIVE = "cooperative", _("配合")
    UNAVAILABLE = "unavailable", _("未联系上")
    UNCOOPERATIVE = "uncooperative", _("不配合")


class CheckIn(models.Model):
    """One temperature check: an immutable event, keyed by the client's UUID.

    Nothing is ever updated. A correction is a new check-in whose `corrects` points at the one
    it replaces; the replaced one is then superseded (it has a correction) and no longer counts.
    `is_fever` is decided once, at write time, under the observation's policy.
    """

    observation = models.ForeignKey(
        "observation.Observation", on_delete=models.PROTECT, related_name="checkins"
    )
    unit_code = models.CharField(max_length=40)
    day = models.DateField(_("日期"))
    slot = models.CharField(_("时段"), max_length=16)
    measured_at = models.DateTimeField(_("测量时间"))
    temperature = models.DecimalField(
        _("体温（°C）"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    site = models.CharField(_("测量部位"), max_length=10, choices=MeasureSite.choices, blank=True)
    symptoms = models.JSONField(_("症状"), default=list, blank=True)
    source = models.CharField(_("方式"), max_length=8, choices=CheckinSource.choices)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=VisitOutcome.choices, default=VisitOutcome.COOPERATIVE
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_fever = models.BooleanField(default=False)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("更正"),
    )
    client_uuid = models.UUIDField(unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["measured_at", "id"]
        verbose_name = _("体温监测")
        verbose_name_plural = _("体温监测")
        indexes = [
            models.Index(fields=["observation", "day", "slot"], name="checkin_obs_day_slot"),
            models.Index(fields=["unit_code", "day"], name="checkin_unit_day"),
            # The city's daily report filters the whole city by day (a unit_code prefix that
            # matches every row cannot use checkin_unit_day).
            models.Index(fields=["day"], name="checkin_day"),
            # Corrections are few: "not superseded" probes this small index, not the table.
            models.Index(
                fields=["corrects"],
                condition=models.Q(corrects__isnull=False),
                name="checkin_corrections",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.slot} {self.temperature}"

    @property
    def is_seen(self) -> bool:
        """The person was reached and measured (or at least answered)."""
        return self.outcome == VisitOutcome.COOPERATIVE

    @property
    def is_ok(self) -> bool:
        return self.is_seen and not self.is_fever and not self.symptoms


class CheckinToken(models.Model):
    """A personal self check-in link (扫码自报). Only the SHA-256 of the token is stored;
    the raw token is in the printed QR code and the link sent to the person, nowhere else.

    `window_started_at` and `window_hits` count submissions for the rate limit.
    """

    observation = models.ForeignKey(
        "observation.Observation", on_delete=models.CASCADE, related_name="tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_hits = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token {self.pk} of observation {self.observation_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
