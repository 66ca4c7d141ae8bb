"""Sweeps (排查轮次) and household visits (入户走访): "不漏一户", not one household missed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sweep(models.Model):
    """A round of door-to-door screening of a township or village between two dates.

    `scope_prefix` is the unit's: the sweep covers every household whose unit code starts
    with it, and every worker of a unit inside it sees the sweep.
    """

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("排查范围")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    scope_prefix = models.CharField(max_length=40, db_index=True)
    name = models.CharField(_("名称"), max_length=80)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("排查轮次")
        verbose_name_plural = _("排查轮次")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="sweep_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VisitResult(models.TextChoices):
    VISITED = "visited", _("已走访")
    NOT_HOME = "not_home", _("无人在家")
    REFUSED = "refused", _("拒绝配合")
    MOVED_OUT = "moved_out", _("已搬离")


# A household is done for a sweep once one visit met someone there or found it moved out;
# "not home" asks for a revisit, "refused" for the township's help.
DONE_RESULTS = (VisitResult.VISITED, VisitResult.MOVED_OUT)


class HouseholdVisit(models.Model):
    """One knock on one door during a sweep. The household's latest visit decides its state."""

    sweep = models.ForeignKey(Sweep, on_delete=models.PROTECT, related_name="visits")
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("住户")
    )
    # The household's unit (village or grid), copied so that coverage needs no join.
    unit_code = models.CharField(max_length=40, db_index=True)
    result = models.CharField(_("走访结果"), max_length=12, choices=VisitResult.choices)
    residents = models.PositiveSmallIntegerField(_("在住人数"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    visited_at = models.DateTimeField(_("走访时间"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = _("入户走访")
        verbose_name_plural = _("入户走访")
        indexes = [
            models.Index(fields=["sweep", "household", "visited_at"], name="visit_sweep_household"),
            models.Index(fields=["unit_code", "visited_at"], name="visit_unit_time"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.get_result_display()}"

    @property
    def is_done(self) -> bool:
        return self.result in DONE_RESULTS


class Relation(models.TextChoices):
    """与户主关系: as the household register (户口簿) writes it."""

    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    GRANDPARENT = "grandparent", _("祖父母")
    SIBLING = "sibling", _("兄弟姐妹")
    RELATIVE = "relative", _("其他亲属")
    TENANT = "tenant", _("租住人员")
    OTHER = "other", _("其他")


class VisitMember(models.Model):
    """Who lives there (在住人员), as met on one visit: the register of the household at that
    time, each line linked to the person registry. The latest visit's lines pre-fill the next."""

    visit = models.ForeignKey(HouseholdVisit, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices)
    # Arrived from elsewhere within the policy's window (近期外地返回) when the door was knocked.
    arrived_recently = models.BooleanField(_("近期外地返回"), default=False)

    scope_field = "unit_code"

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("在住人员")
        verbose_name_plural = _("在住人员")
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="visit_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.person_id} {self.relation}"
