"""Party organisations at the front (党建引领): the profile of a Party organisation (党组织),
vanguard posts and responsibility areas (党员先锋岗、党员责任区), deeds (先进事迹) with their
photos, backing facts and nominations, and the briefing (简报) drafts.

A Party organisation is an org unit of kind `party_branch` (bastion.orgs): its code extends the
code of the unit it leads, so the jurisdiction rule holds for it unchanged. `PartyOrg` only adds
what the tree does not hold: the secretary (a mobilisation member) and the led unit.
Engagement is never stored: it is computed from work logs, assignments and duty rosters.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PartyOrg(models.Model):
    """The profile of a Party organisation unit (党组织): whom it leads, who is its secretary."""

    unit = models.OneToOneField(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="party_org", verbose_name=_("党组织")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    led_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所领导单位")
    )
    secretary = models.ForeignKey(
        "mobilisation.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("书记"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ("unit_code",)

    def __str__(self) -> str:
        return self.unit.name


class PostKind(models.TextChoices):
    POST = "post", _("党员先锋岗")
    AREA = "area", _("党员责任区")


class PostPlace(models.TextChoices):
    CHECKPOINT = "checkpoint", _("卡点")
    SHIFT = "shift", _("卡点班次")
    GRID = "grid", _("网格")
    BUILDING = "building", _("楼栋")


class VanguardPost(models.Model):
    """A post (先锋岗) or an area (责任区) given to a Party member. `unit_code` is the code of the
    place (the checkpoint unit, the grid, the building's village), so coverage groups by it."""

    kind = models.CharField(_("类别"), max_length=10, choices=PostKind.choices)
    place_kind = models.CharField(_("岗位"), max_length=12, choices=PostPlace.choices)
    title = models.CharField(_("名称"), max_length=100)
    member = models.ForeignKey(
        "mobilisation.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("党员")
    )
    checkpoint = models.ForeignKey(
        "checkpoints.Checkpoint", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shift = models.ForeignKey(
        "checkpoints.Shift", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("网格或村"),
    )
    building = models.CharField(_("楼栋"), max_length=100, blank=True)
    unit_code = models.CharField(max_length=40, db_index=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("党员先锋岗")
        verbose_name_plural = _("党员先锋岗")
        ordering = ("unit_code", "pk")

    def __str__(self) -> str:
        return self.title


class DeedStatus(models.TextChoices):
    RECORDED = "recorded", _("已记录")
    NOMINATED = "nominated", _("已推荐")
    COMMENDED = "commended", _("已表彰")


class Deed(models.Model):
    """先进事迹: what a member or a team did, recorded by a unit. The text is public only once the
    subject agreed (`consented_at`); until then the subject's name is masked outside the
    recording unit's chain. `holder_code` is the unit the deed currently sits with (the
    recording unit, then each unit it was nominated to)."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("记录单位")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    member = models.ForeignKey(
        "mobilisation.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人物"),
    )
    team = models.ForeignKey(
        "mobilisation.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("队伍"),
    )
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("事迹"), max_length=2000)
    happened_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=DeedStatus.choices, default=DeedStatus.RECORDED
    )
    holder_code = models.CharField(max_length=40, db_index=True)
    commendation = models.CharField(_("表彰"), max_length=100, blank=True)
    commended_at = models.DateTimeField(null=True, blank=True)
    consented_at = models.DateTimeField(_("同意公开时间"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_note = models.CharField(_("同意方式"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("先进事迹")
        verbose_name_plural = _("先进事迹")
        ordering = ("-happened_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | models.Q(team__isnull=False),
                name="deed_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.consented_at is not None


class DeedPhoto(models.Model):
    deed = models.ForeignKey(Deed, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="party/deeds/%Y/%m/")
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.deed_id}:{self.pk}"


class FactKind(models.TextChoices):
    SHIFT = "shift", _("卡点排班")
    WORK_LOG = "work_log", _("工作记录")
    OBSERVATION = "observation", _("医学观察")
    ASSIGNMENT = "assignment", _("任务")


class DeedFact(models.Model):
    """A fact that backs a deed: a duty on a shift, a day's work log, an observation followed."""

    deed = models.ForeignKey(Deed, on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(max_length=12, choices=FactKind.choices)
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ("kind", "object_id")
        constraints = [
            models.UniqueConstraint(fields=("deed", "kind", "object_id"), name="deed_fact_once"),
        ]

    def __str__(self) -> str:
        return self.label


class Nomination(models.Model):
    """A step of a deed upward: from the unit holding it to the unit above (逐级推荐)."""

    deed = models.ForeignKey(Deed, on_delete=models.CASCADE, related_name="nominations")
    from_code = models.CharField(max_length=40)
    to_code = models.CharField(max_length=40)
    note = models.CharField(_("推荐意见"), max_length=200, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("nominated_at", "pk")

    def __str__(self) -> str:
        return f"{self.from_code} → {self.to_code}"


class Briefing(models.Model):
    """简报: a draft for a unit and a period. `paragraphs` is the author's template: a list of
    {"kind": "heading"|"text"|"deeds", "text": "... {observation.active} ..."}. Figures are
    never stored: they render from the live report each time. `version` guards edits (409)."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    title = models.CharField(_("标题"), max_length=200)
    paragraphs = models.JSONField(default=list)
    deed_ids = models.JSONField(default=list)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_code"

    class Meta:
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        ordering = ("-end", "-pk")

    def __str__(self) -> str:
        return self.title
