"""Signals (线索): the first step of the five-early pipeline (早发现), something a village
must act on. A signal becomes a medical observation, or it is cleared, forwarded or not found.
Its `found_at` and `handled_at` give the first latency (detect → handled).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalSource(models.TextChoices):
    SWEEP = "sweep", _("入户排查")
    SELF_REGISTRATION = "self_registration", _("自主登记")
    VERIFICATION_LIST = "verification_list", _("核查名单")
    HOTLINE = "hotline", _("热线电话")
    CHECKPOINT = "checkpoint", _("卡点移交")
    IMPORT = "import", _("Excel 导入")
    STAFF = "staff", _("工作人员登记")
    OTHER = "other", _("其他")


class SignalStatus(models.TextChoices):
    NEW = "new", _("新线索")
    VERIFYING = "verifying", _("核实中")
    UNDER_OBSERVATION = "under_observation", _("已纳入医学观察")
    CLEARED = "cleared", _("已排除")
    FORWARDED = "forwarded", _("已转其他辖区")
    NOT_FOUND = "not_found", _("查无此人")


# A signal is open until one of these; the time it reached one is its handling time.
CLOSED_STATUSES = (
    SignalStatus.UNDER_OBSERVATION,
    SignalStatus.CLEARED,
    SignalStatus.FORWARDED,
    SignalStatus.NOT_FOUND,
)

OPEN_STATUSES = (SignalStatus.NEW, SignalStatus.VERIFYING)

# The state machine (状态流转): new → verifying → one of the closed statuses. A closed status is
# final. A new signal may be closed at once; it then passes through "verifying" on the way.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    SignalStatus.NEW: (SignalStatus.VERIFYING, *CLOSED_STATUSES),
    SignalStatus.VERIFYING: CLOSED_STATUSES,
}


class Signal(models.Model):
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="signals", verbose_name=_("责任单元")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("人员"),
    )
    # What is known before the person is identified in the registry (never trusted data).
    subject_name = models.CharField(_("姓名"), max_length=40, blank=True)
    subject_id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    subject_mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    subject_address = models.CharField(_("住址"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=SignalSource.choices)
    reason = models.CharField(_("事由"), max_length=300)
    # What the source supplied beyond the subject (origin, dates, transport, the list row):
    # shown to the worker who confirms it, never copied into the registry unchecked.
    details = models.JSONField(_("登记内容"), default=dict, blank=True)
    found_at = models.DateTimeField(_("发现时间"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.NEW
    )
    forwarded_to = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转至"),
    )
    forwarded_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="forwards"
    )
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    # found → handled in seconds: the first five-early latency, stored so that averages per
    # unit are one grouped query on any database.
    handling_seconds = models.PositiveIntegerField(_("处置用时（秒）"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(default=1)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        indexes = [
            models.Index(fields=["unit_code", "status"], name="signal_unit_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.subject_name or self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class SignalEvent(models.Model):
    """One step in a signal's history: who moved it to which status, when, and why."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=SignalStatus.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.signal_id} → {self.status}"
