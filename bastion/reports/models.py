"""Sign-offs (日报签发) of the daily situation report.

The report itself is never stored: it is computed from the facts. A sign-off records that a
unit head signed a day's report (who, when, a note) together with the figures as they stood,
so that any later change to that day's facts shows as a change since sign-off, never silently.
Signing again is allowed: every sign-off is kept (the latest is the one compared against).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportSignOff(models.Model):
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    day = models.DateField(_("日期"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("签发人"),
    )
    signed_at = models.DateTimeField(_("签发时间"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    # {"own": {figure: value}, "rows": {code: {figure: value}}} as computed when signed.
    figures = models.JSONField(_("签发时的数据"), default=dict)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("日报签发")
        verbose_name_plural = _("日报签发")
        indexes = [models.Index(fields=["unit_code", "day"], name="signoff_unit_day")]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.day} {self.signed_at:%H:%M}"


class CheckpointDay(models.Model):
    """The checkpoint facts of one local day at one unit code (卡点日汇总): a derived cache,
    computed from VehiclePassage and PassengerCheck by `bastion.reports.rollups`, never typed
    and rebuildable at any time (decision 0006). Only closed days are rolled up; today is
    always counted over its own rows."""

    day = models.DateField()
    unit_code = models.CharField(max_length=40)
    # The passage's shift (a plain id: a cache must not hold the shift's row in place).
    shift_id = models.BigIntegerField(null=True, blank=True)
    vehicles = models.PositiveIntegerField(default=0)
    high_risk = models.PositiveIntegerField(default=0)
    turned_back = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    fevers = models.PositiveIntegerField(default=0)
    hand_overs = models.PositiveIntegerField(default=0)
    referred = models.PositiveIntegerField(default=0)

    scope_field = "unit_code"

    class Meta:
        indexes = [
            models.Index(fields=["day", "unit_code"], name="checkpointday_day_unit"),
            models.Index(fields=["unit_code", "day"], name="checkpointday_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.day}"


class CheckinDay(models.Model):
    """The check-ins of one local day at one unit code that no correction superseded:
    cooperative ones and fevers. Derived like `CheckpointDay` (decision 0006)."""

    day = models.DateField()
    unit_code = models.CharField(max_length=40)
    done = models.PositiveIntegerField(default=0)
    fevers = models.PositiveIntegerField(default=0)

    scope_field = "unit_code"

    class Meta:
        indexes = [
            models.Index(fields=["day", "unit_code"], name="checkinday_day_unit"),
            models.Index(fields=["unit_code", "day"], name="checkinday_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.day}"


class RollupDay(models.Model):
    """Whether a day's roll-up still matches its facts. Every write of a fact of a closed day
    gives the day a new `stamp`; the roll-up records the stamp it was computed at (`rolled`),
    so a roll-up is valid only while the two are equal."""

    source = models.CharField(max_length=20)
    day = models.DateField()
    stamp = models.CharField(max_length=32)
    rolled = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "day"], name="rollupday_unique")]

    def __str__(self) -> str:
        return f"{self.source} {self.day}"
