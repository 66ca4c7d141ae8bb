"""Medical observation (医学观察) of one person, its history, supplies and care visits."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ObservationKind(models.TextChoices):
    HOME = "home", _("居家医学观察")
    CENTRALISED = "centralised", _("集中医学观察")
    HOSPITAL = "hospital", _("医院观察")


class ObservationStatus(models.TextChoices):
    ACTIVE = "active", _("观察中")
    COMPLETED = "completed", _("期满解除")
    REFERRED = "referred", _("已转诊")
    LOST_TO_FOLLOW_UP = "lost_to_follow_up", _("失访")
    # Handed to another jurisdiction, which owns it from then on and takes it over (accept).
    MOVED = "moved", _("已转出，待接收")
    DIED = "died", _("死亡")


# An observation is "open" while someone must still act on it: one per person at a time.
OPEN_STATUSES = (ObservationStatus.ACTIVE, ObservationStatus.MOVED)


class Observation(models.Model):
    """One person's period of medical observation under the policy version it started with.

    Day 1 is `start_date` (the arrival or the last exposure, per the policy's start rule); the
    last day is `planned_end`, so a 14-day period starting on 1 Feb ends on 14 Feb.
    `last_checkin_at` is the latest measurement of a cooperative check-in (denormalised by
    `checkin_record`), which the missed-days buckets read without touching check-ins.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="observations"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单元")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    signal = models.ForeignKey(
        "screening.Signal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("线索"),
    )
    policy = models.ForeignKey(
        "observation.Policy", on_delete=models.PROTECT, related_name="+", verbose_name=_("策略")
    )
    kind = models.CharField(
        _("观察方式"), max_length=16, choices=ObservationKind.choices, default=ObservationKind.HOME
    )
    place = models.CharField(_("观察地点"), max_length=200, blank=True)
    start_date = models.DateField(_("起算日期"))
    planned_end = models.DateField(_("期满日期"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ObservationStatus.choices,
        default=ObservationStatus.ACTIVE,
    )
    grid_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任网格员"),
    )
    health_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任医务人员"),
    )
    started_at = models.DateTimeField(_("纳入时间"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_note = models.CharField(_("结束说明"), max_length=200, blank=True)
    transferred_from_code = models.CharField(_("转出单元"), max_length=40, blank=True)
    last_checkin_at = models.DateTimeField(null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("医学观察")
        verbose_name_plural = _("医学观察")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["active", "moved"]),
                name="observation_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("start_date")),
                name="observation_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["unit_code", "status"], name="observation_unit_status"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.start_date:%m-%d}–{self.planned_end:%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.status == ObservationStatus.ACTIVE

    @property
    def period_days(self) -> int:
        return (self.planned_end - self.start_date).days + 1

    def day_number(self, *, on: date) -> int:
        """1 on the start date, `period_days` on the last day."""
        return (on - self.start_date).days + 1

    def days(self) -> list[date]:
        return [self.start_date + timedelta(days=i) for i in range(self.period_days)]


class ObservationAction(models.TextChoices):
    STARTED = "started", _("纳入观察")
    PERIOD_CHANGED = "period_changed", _("调整观察期")
    COMPLETED = "completed", _("期满解除")
    REFERRED = "referred", _("转诊")
    LOST_TO_FOLLOW_UP = "lost_to_follow_up", _("失访")
    MOVED = "moved", _("转出")
    ACCEPTED = "accepted", _("接收")
    RETURNED = "returned", _("返回观察")
    DIED = "died", _("死亡")
    WORKERS_CHANGED = "workers_changed", _("更换责任人")


class ObservationEvent(models.Model):
    """The history of an observation: every transition and period change, who, when, why."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=ObservationAction.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.observation_id} {self.action}"


class SupplyItem(models.TextChoices):
    MASKS = "masks", _("口罩")
    THERMOMETER = "thermometer", _("体温计")
    DISINFECTANT = "disinfectant", _("消毒液")
    NECESSITIES = "necessities", _("生活物资")
    MEDICINE = "medicine", _("药品")
    OTHER = "other", _("其他")


class SupplyDelivery(models.Model):
    """Supplies handed to the household during observation (a simple record; the stock
    movements belong to the supplies app)."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="supplies")
    unit_code = models.CharField(max_length=40, db_index=True)
    item = models.CharField(_("物资"), max_length=16, choices=SupplyItem.choices)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    note = models.CharField(_("备注"), max_length=100, blank=True)
    delivered_on = models.DateField(_("送达日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    client_uuid = models.UUIDField(unique=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = _("物资送达")
        verbose_name_plural = _("物资送达")

    def __str__(self) -> str:
        return f"{self.get_item_display()} × {self.quantity}"


class CareKind(models.TextChoices):
    PRENATAL = "prenatal", _("上门产检")
    ELDERLY = "elderly", _("独居老人探视")
    MEDICINE = "medicine", _("送药")
    OTHER = "other", _("其他关爱")


class CareVisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待上门")
    DONE = "done", _("已上门")
    CANCELLED = "cancelled", _("已取消")


class CareVisit(models.Model):
    """A care need met by a visit (上门产检, 送药…): scheduled for a day, then recorded."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="care_visits"
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    kind = models.CharField(_("关爱事项"), max_length=16, choices=CareKind.choices)
    due_on = models.DateField(_("计划日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=CareVisitStatus.choices, default=CareVisitStatus.SCHEDULED
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(_("上门时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("上门情况"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    client_uuid = models.UUIDField(unique=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("关爱上门")
        verbose_name_plural = _("关爱上门")
        indexes = [models.Index(fields=["unit_code", "status", "due_on"], name="carevisit_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"
