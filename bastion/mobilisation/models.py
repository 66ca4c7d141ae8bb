"""Mobilisation (动员): members and their skills, calls for volunteers (征集), applications and
pledges to serve (请战书), teams with their temporary Party branch, assignments, work logs.

Rows carry the code of the unit they belong to (`unit_code`) so that scoping and roll-ups need no
join. An application carries the code of the unit that selects (the call's or the team's unit).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Skill(models.TextChoices):
    MEDICAL = "medical", _("医疗")
    NURSING = "nursing", _("护理")
    DRIVING = "driving", _("驾驶")
    POLICE = "police", _("治安")
    LANGUAGE = "language", _("外语、方言")
    LOGISTICS = "logistics", _("后勤保障")
    OTHER = "other", _("其他")


class CallStatus(models.TextChoices):
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已截止")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报名")
    SELECTED = "selected", _("已选派")
    DECLINED = "declined", _("未选派")


class Member(models.Model):
    """A person who serves (党员、干部、志愿者) in a unit."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    is_party_member = models.BooleanField(_("中共党员"), default=False)
    party_since_year = models.PositiveSmallIntegerField(_("入党年份"), null=True, blank=True)
    skills = models.JSONField(_("特长"), default=list, blank=True)
    availability = models.CharField(_("可服务时间"), max_length=200, blank=True)
    posts = models.CharField(_("现任职务"), max_length=200, blank=True)
    # The account the member signs in with (登录账号): the sweeps, check-ins, disinfection runs
    # and deliveries that account records count as the member's service. One account serves
    # one member; set by an officer (services.member_link_account), never guessed silently.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mobilisation_member",
        verbose_name=_("登录账号"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        ordering = ("unit_code", "pk")
        constraints = [
            models.UniqueConstraint(fields=("person", "unit"), name="member_once_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.unit.name}）"


class Call(models.Model):
    """征集: a unit's need for people (e.g. 疫情防控监测工作人员, 20 people, 24-hour rotation)."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("发布单位")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), max_length=1000, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    people_needed = models.PositiveIntegerField(_("需要人数"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CallStatus.choices, default=CallStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("征集")
        verbose_name_plural = _("征集")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title


class Team(models.Model):
    """A team sent by a unit (e.g. the medical support team sent to Hubei)."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("派出单位")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    name = models.CharField(_("队名"), max_length=100)
    destination = models.CharField(_("去向"), max_length=100, blank=True)
    leader = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("队长"),
    )
    party_branch = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("临时党支部"),
    )
    members = models.ManyToManyField(Member, through="TeamMembership", related_name="teams")
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("队伍")
        verbose_name_plural = _("队伍")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("team", "member"), name="team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.member_id}"


class Application(models.Model):
    """A member's application to a call, or a pledge to serve (请战书) for a call or a team.

    `applies_to_join_party` records that a non-member handed in an application to join the Party
    alongside: a fact, nothing more.
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="applications")
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    is_pledge = models.BooleanField(_("请战书"), default=False)
    statement = models.TextField(_("请战内容"), max_length=2000, blank=True)
    experience = models.CharField(_("相关经历"), max_length=500, blank=True)
    applies_to_join_party = models.BooleanField(_("同时递交入党申请"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("member", "call"),
                condition=models.Q(call__isnull=False),
                name="application_once_per_call",
            ),
            models.UniqueConstraint(
                fields=("member", "team"),
                condition=models.Q(team__isnull=False),
                name="application_once_per_team",
            ),
            models.CheckConstraint(
                condition=models.Q(call__isnull=False) | models.Q(team__isnull=False),
                name="application_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.call_id or self.team_id}"


class Assignment(models.Model):
    """A selected member put on a duty with a place and a time."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="assignments")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, null=True, blank=True)
    unit_code = models.CharField(max_length=40, db_index=True)
    duty = models.CharField(_("任务"), max_length=100)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "unit_code"

    class Meta:
        ordering = ("starts_on", "pk")

    def __str__(self) -> str:
        return self.duty


class WorkLog(models.Model):
    """Hours a member worked on a day, and whether they cancelled their leave (取消休假)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="work_logs")
    unit_code = models.CharField(max_length=40, db_index=True)
    day = models.DateField(_("日期"))
    hours = models.DecimalField(_("工作时长（小时）"), max_digits=3, decimal_places=1)
    cancelled_leave = models.BooleanField(_("取消休假"), default=False)
    client_uuid = models.UUIDField(unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("工作记录")
        verbose_name_plural = _("工作记录")
        ordering = ("-day", "pk")
        constraints = [
            models.UniqueConstraint(fields=("member", "day"), name="work_log_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.hours}"
