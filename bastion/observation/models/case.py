"""Referral, diagnosis and treatment (转诊、诊断、治疗): the rest of the five-early pipeline."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    REFERRED = "referred", _("已转诊")
    SUSPECTED = "suspected", _("疑似病例")
    CONFIRMED = "confirmed", _("确诊病例")
    EXCLUDED = "excluded", _("已排除")
    ADMITTED = "admitted", _("住院治疗")
    RECOVERED = "recovered", _("治愈")
    DIED = "died", _("死亡")
    RETURNED = "returned", _("返回观察")


CLOSED_CASE_STATUSES = (CaseStatus.RECOVERED, CaseStatus.DIED, CaseStatus.RETURNED)


class TestResult(models.TextChoices):
    PENDING = "pending", _("待出结果")
    NEGATIVE = "negative", _("阴性")
    POSITIVE = "positive", _("阳性")


class CaseStep(models.TextChoices):
    REFERRED = "referred", _("转诊发热门诊")
    TESTED = "tested", _("采样检测")
    CLASSIFIED = "classified", _("诊断分类")
    ISOLATED = "isolated", _("隔离")
    ADMITTED = "admitted", _("收治")
    OUTCOME = "outcome", _("转归")
    RETURNED = "returned", _("返回观察")


class Case(models.Model):
    """A person referred from observation to a fever clinic (发热门诊), and what followed.

    The five-early timestamps: `detected_at` (the alert was raised), `reported_at` (the alert
    was acknowledged), `isolated_at`, `diagnosed_at` (classified as confirmed or excluded; a
    confirmation also sets `confirmed_at`) and `treated_at` (admitted for treatment). Each
    is the time the step happened, entered by the actor who recorded it (see CaseEvent).
    """

    observation = models.ForeignKey(
        "observation.Observation", on_delete=models.PROTECT, related_name="cases"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit_code = models.CharField(max_length=40, db_index=True)
    alert = models.ForeignKey(
        "observation.Alert", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.REFERRED
    )
    detected_at = models.DateTimeField(_("发现时间"), db_index=True)
    reported_at = models.DateTimeField(_("报告时间"))
    referred_at = models.DateTimeField(_("转诊时间"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    referred_to = models.CharField(_("转诊至"), max_length=100)
    sampled_at = models.DateTimeField(_("采样时间"), null=True, blank=True)
    test_result = models.CharField(
        _("检测结果"), max_length=10, choices=TestResult.choices, blank=True
    )
    result_at = models.DateTimeField(_("出结果时间"), null=True, blank=True)
    suspected_at = models.DateTimeField(_("疑似时间"), null=True, blank=True)
    diagnosed_at = models.DateTimeField(_("诊断时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确诊时间"), null=True, blank=True, db_index=True)
    source_unclear = models.BooleanField(_("感染来源不明"), default=False)
    isolated_at = models.DateTimeField(_("隔离时间"), null=True, blank=True)
    isolation_place = models.CharField(_("隔离地点"), max_length=100, blank=True)
    treated_at = models.DateTimeField(_("收治时间"), null=True, blank=True)
    hospital = models.CharField(_("收治医院"), max_length=100, blank=True)
    outcome_at = models.DateTimeField(_("转归时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("返回观察时间"), null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-detected_at", "-id"]
        verbose_name = _("转诊病例")
        verbose_name_plural = _("转诊病例")
        constraints = [
            models.UniqueConstraint(
                fields=["observation"],
                condition=~models.Q(status__in=["recovered", "died", "returned"]),
                name="case_one_open_per_observation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_CASE_STATUSES

    def latencies(self) -> dict[str, timedelta | None]:
        """The four steps between the five timestamps (None while a step is missing)."""
        chain: list[tuple[str, datetime | None]] = [
            ("reported", self.reported_at),
            ("isolated", self.isolated_at),
            ("diagnosed", self.diagnosed_at),
            ("treated", self.treated_at),
        ]
        result: dict[str, timedelta | None] = {}
        previous: datetime | None = self.detected_at
        for name, at in chain:
            result[name] = at - previous if at is not None and previous is not None else None
            previous = at
        return result


class CaseEvent(models.Model):
    """One step of a case: what happened when (`at`), who recorded it and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(max_length=12, choices=CaseStep.choices)
    status = models.CharField(max_length=12, choices=CaseStatus.choices)
    at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step}"
