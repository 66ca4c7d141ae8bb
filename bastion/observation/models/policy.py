"""The Policy (防控策略): the versioned settings every domain reads (DOMAIN.md *setting*)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def default_slots() -> list[dict[str, str]]:
    return [
        {"code": "morning", "label": "早", "opens": "06:00", "closes": "12:00"},
        {"code": "evening", "label": "晚", "opens": "16:00", "closes": "22:00"},
    ]


def default_symptoms() -> list[dict[str, str]]:
    return [
        {"code": "fever", "label": "发热"},
        {"code": "cough", "label": "咳嗽"},
        {"code": "dyspnoea", "label": "气促"},
        {"code": "fatigue", "label": "乏力"},
        {"code": "sore_throat", "label": "咽痛"},
        {"code": "smell_taste", "label": "嗅（味）觉减退"},
        {"code": "diarrhoea", "label": "腹泻"},
    ]


class StartRule(models.TextChoices):
    LAST_EXPOSURE = "last_exposure", _("末次暴露")
    ARRIVAL = "arrival", _("抵达")


class Policy(models.Model):
    """A versioned set of the rules DOMAIN.md marks *setting*.

    A row is never edited once in use: a change is a new version. `county` empty means the
    deployment's default; a county may override it. An observation keeps the version it
    started under.
    """

    version = models.PositiveIntegerField(_("版本"))
    county = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("适用县区"),
    )
    name = models.CharField(_("名称"), max_length=80)
    effective_from = models.DateField(_("生效日期"))
    period_days = models.PositiveSmallIntegerField(_("观察期（天）"), default=14)
    start_rule = models.CharField(
        _("起算"), max_length=16, choices=StartRule.choices, default=StartRule.ARRIVAL
    )
    slots = models.JSONField(_("每日测温时段"), default=default_slots)
    fever_threshold = models.DecimalField(
        _("发热阈值（°C）"), max_digits=3, decimal_places=1, default=Decimal("37.3")
    )
    temperature_min = models.DecimalField(
        _("体温下限"), max_digits=3, decimal_places=1, default=Decimal("34.0")
    )
    temperature_max = models.DecimalField(
        _("体温上限"), max_digits=3, decimal_places=1, default=Decimal("43.0")
    )
    symptoms = models.JSONField(_("症状清单"), default=default_symptoms)
    arrival_window_days = models.PositiveSmallIntegerField(_("返乡登记回溯（天）"), default=14)
    banquet_max_guests = models.PositiveSmallIntegerField(_("宴席人数上限"), default=50)
    family_gathering_max = models.PositiveSmallIntegerField(_("家庭聚会人数上限"), default=10)
    escalate_after_minutes = models.PositiveIntegerField(_("未确认预警上报（分钟）"), default=120)
    retention_days = models.PositiveIntegerField(_("个人信息保存期（天）"), default=180)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-effective_from", "-version"]
        verbose_name = _("防控策略")
        verbose_name_plural = _("防控策略")
        constraints = [
            models.UniqueConstraint(fields=["county", "version"], name="policy_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def checkins_per_day(self) -> int:
        return len(self.slots)
