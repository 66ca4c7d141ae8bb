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
