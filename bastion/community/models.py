"""Community measures (社区防控): gatherings (酒宴) and disinfection (消毒消杀).

A village records every planned banquet it learns of and what it did about it (喜事缓办、丧事简办、
宴会不办); the counts "劝延或取消各类酒宴 143 起" are queries over these rows. Places that must
be disinfected several times a day are Sites (消杀点位); each run is one DisinfectionRun, recorded
on a phone with the checklist of the site's kind. Rows carry their unit's code (`unit_code`) so
that scoping and roll-ups need no join.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GatheringKind(models.TextChoices):
    WEDDING = "wedding", _("婚宴")
    BIRTHDAY = "birthday", _("寿宴、生日宴")
    FUNERAL = "funeral", _("丧事")
    HOUSE_WARMING = "house_warming", _("乔迁宴")
    OTHER = "other", _("其他宴席")


class GatheringAction(models.TextChoices):
    VISIT = "visit", _("上门劝导")
    CALL = "call", _("电话劝导")


class GatheringOutcome(models.TextChoices):
    POSTPONED = "postponed", _("延期举办")
    CANCELLED = "cancelled", _("取消")
    DOWNSIZED = "downsized", _("缩小规模")
    HELD_WITH_PLAN = "held_with_plan", _("按防控方案举办（已审批）")
    HELD_AGAINST_ADVICE = "held_against_advice", _("劝阻无效仍举办")


# "劝延或取消" (the article's 143): the gathering did not take place as planned.
PERSUADED_OUTCOMES = frozenset({GatheringOutcome.POSTPONED, GatheringOutcome.CANCELLED})
# The gathering took place, so guests met and attendees can be registered.
HELD_OUTCOMES = frozenset(
    {
        GatheringOutcome.DOWNSIZED,
        GatheringOutcome.HELD_WITH_PLAN,
        GatheringOutcome.HELD_AGAINST_ADVICE,
    }
)


class Gathering(models.Model):
    """A planned gathering (酒宴) in a village or grid, and what was done about it.

    `guest_limit` is the policy limit in force for the gathering's county and date when it was
    last written (宴席 or 家庭聚会): the check is kept with the record, like an observation keeps
    its policy version.
    """

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    host_name = models.CharField(_("办宴人"), max_length=40)
    host = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办宴人（人员库）"),
    )
    kind = models.CharField(_("类别"), max_length=16, choices=GatheringKind.choices)
    planned_date = models.DateField(_("计划日期"), db_index=True)
    expected_guests = models.PositiveIntegerField(_("预计人数"))
    family_only = models.BooleanField(_("仅家庭成员聚会"), default=False)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    action = models.CharField(
        _("劝导方式"), max_length=8, choices=GatheringAction.choices, blank=True
    )
    acted_on = models.DateField(_("劝导日期"), null=True, blank=True)
    persuaded_by = models.CharField(_("劝导人"), max_length=40, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=20, choices=GatheringOutcome.choices, blank=True, db_index=True
    )
    actual_guests = models.PositiveIntegerField(_("实际人数"), null=True, blank=True)
    has_prevention_plan = models.BooleanField(_("有防控方案"), default=False)
    approved_by = models.CharField(_("审批单位"), max_length=60, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    guest_limit = models.PositiveIntegerField(_("人数上限"))
    attendees = models.ManyToManyField(
        "people.Person", blank=True, related_name="gatherings_attended", verbose_name=_("参加人员")
    )
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-planned_date", "-id"]
        verbose_name = _("酒宴")
        verbose_name_plural = _("酒宴")
        indexes = [models.Index(fields=["unit_code", "planned_date"], name="gathering_unit_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_guests__gte=1), name="gathering_guests_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host_name} {self.get_kind_display()} {self.planned_date}"

    @property
    def guests(self) -> int:
        """The number that counts against the limit: the actual one once known."""
        return self.actual_guests if self.actual_guests is not None else self.expected_guests

    @property
    def over_limit(self) -> bool:
        return self.guests > self.guest_limit

    @property
    def is_held(self) -> bool:
        return self.outcome in HELD_OUTCOMES

    @property
    def is_pending(self) -> bool:
        return not self.outcome


class SiteKind(models.TextChoices):
    GARBAGE_STATION = "garbage_station", _("垃圾中转站")
    BIN_CLUSTER = "bin_cluster", _("垃圾桶（收集点）")
    GARBAGE_VEHICLE = "garbage_vehicle", _("垃圾运输车")
    PUBLIC_TOILET = "public_toilet", _("公厕")
    STATION = "station", _("车站")
    TOLL_GATE = "toll_gate", _("收费站")
    MARKET = "market", _("农贸市场")
    MASK_WASTE_BIN = "mask_waste_bin", _("废弃口罩收集桶")
    RESIDENTIAL_ENTRANCE = "residential_entrance", _("小区出入口")


class Site(models.Model):
    """A place disinfected on a schedule (消杀点位).

    The schedule is a list of deadlines ("HH:MM", local time): by each of them one more run is
    due that day. "N runs a day" is stored as N deadlines spread over the working day. The
    responsible team is an org unit (e.g. 市城管局) when there is one, and a name otherwise;
    the site is visible to both its territorial unit and the responsible unit.
    """

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=24, choices=SiteKind.choices)
    address = models.CharField(_("位置"), max_length=200, blank=True)
    responsible_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任单位"),
    )
    responsible_unit_code = models.CharField(max_length=40, blank=True, db_index=True)
    responsible_team = models.CharField(_("责任班组"), max_length=60, blank=True)
    runs_per_day = models.PositiveSmallIntegerField(_("每日次数"))
    times = models.JSONField(_("完成时限"), default=list)
    active_from = models.DateField(_("启用日期"))
    is_active = models.BooleanField(_("在用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_code"
    # Also visible under the responsible unit's jurisdiction (see selectors.site_scope).
    team_scope_field = "responsible_unit_code"

    class Meta:
        ordering = ["unit_code", "kind", "name"]
        verbose_name = _("消杀点位")
        verbose_name_plural = _("消杀点位")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="site_unique_name_in_unit"),
            models.CheckConstraint(
                condition=models.Q(runs_per_day__gte=1, runs_per_day__lte=24),
                name="site_runs_per_day_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def due_by(self, at: time) -> int:
        """How many runs are due by `at` (local time of day) on a day the site is active."""
        stamp = f"{at:%H:%M}"
        return sum(1 for t in self.times if t <= stamp)

    def next_deadline(self, done: int) -> str:
        """The deadline of the next run after `done` runs today, or "" when the day is done."""
        return self.times[done] if done < len(self.times) else ""


class Agent(models.TextChoices):
    CHLORINE_84 = "chlorine_84", _("84消毒液")
    ALCOHOL = "alcohol", _("酒精")
    CHLORINE_DIOXIDE = "chlorine_dioxide", _("二氧化氯")
    CHLORINE_TABLETS = "chlorine_tablets", _("含氯消毒片")
    PERACETIC_ACID = "peracetic_acid", _("过氧乙酸")
    OTHER = "other", _("其他")


class ConcentrationUnit(models.TextChoices):
    MG_PER_L = "mg/L", _("mg/L（有效成分）")
    PERCENT = "%", _("%")


class DisinfectionRun(models.Model):
    """One run of disinfection at a site (一次消杀), recorded on a phone.

    An immutable event: it is never edited. `done_on` is the local date of `done_at`, kept so
    that "runs done per site and day" is a grouped query on indexed columns.
    """

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="runs")
    unit_code = models.CharField(max_length=40, db_index=True)
    responsible_unit_code = models.CharField(max_length=40, blank=True, db_index=True)
    done_at = models.DateTimeField(_("消杀时间"))
    done_on = models.DateField(_("日期"))
    agent = models.CharField(_("消毒剂"), max_length=20, choices=Agent.choices)
    concentration = models.DecimalField(_("浓度"), max_digits=8, decimal_places=2)
    concentration_unit = models.CharField(
        _("浓度单位"), max_length=4, choices=ConcentrationUnit.choices
    )
    operator = models.CharField(_("消杀人员"), max_length=40)
    checklist = models.JSONField(_("检查清单"), default=dict)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    client_uuid = models.UUIDField(unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit_code"
    team_scope_field = "responsible_unit_code"

    class Meta:
        ordering = ["-done_at", "-id"]
        verbose_name = _("消杀记录")
        verbose_name_plural = _("消杀记录")
        indexes = [
            models.Index(fields=["site", "done_on"], name="run_site_day"),
            models.Index(fields=["unit_code", "done_on"], name="run_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {timezone.localtime(self.done_at):%Y-%m-%d %H:%M}"

    @property
    def complete(self) -> bool:
        """Every item of the checklist was done."""
        return bool(self.checklist) and all(self.checklist.values())
