"""Org units (组织单元): the city's territorial tree and the units attached to it.

The code is the jurisdiction (DESIGN.md §1.2). Territorial units carry the 12-digit NBS code;
their *scope prefix* is the significant part of it (4 digits for the city, 6 for a county, 9 for
a township, 12 for a village). Every other unit (a grid, a department, a checkpoint, a Party
branch) gets a code that extends its parent's code with a kind letter and a sequence number,
and its scope prefix is its whole code. "Inside my jurisdiction" is then one prefix test.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县（市、区）")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")
    GRID = "grid", _("网格")


class Kind(models.TextChoices):
    TERRITORIAL = "territorial", _("行政区划")
    DEPARTMENT = "department", _("部门")
    HOSPITAL = "hospital", _("医疗机构")
    CHECKPOINT = "checkpoint", _("卡点")
    ISOLATION_SITE = "isolation_site", _("集中隔离点")
    ENTERPRISE = "enterprise", _("企业")
    PARTY_BRANCH = "party_branch", _("党组织")


class PartyOrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    WORKING_COMMITTEE = "working_committee", _("党工委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    TEMPORARY_BRANCH = "temporary_branch", _("临时党支部")


class RiskState(models.TextChoices):
    """Community risk state (社区疫情风险状态) of DOMAIN.md."""

    NO_CASE = "no_case", _("未发现病例")
    CASE_OR_OUTBREAK = "case_or_outbreak", _("出现病例或暴发疫情")
    TRANSMISSION = "transmission", _("传播疫情")


# How many leading digits of a territorial code are significant, per level.
SCOPE_DIGITS = {Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}

# The letter a non-territorial code carries after its parent's code.
KIND_LETTERS = {
    Kind.DEPARTMENT: "D",
    Kind.HOSPITAL: "H",
    Kind.CHECKPOINT: "K",
    Kind.ISOLATION_SITE: "S",
    Kind.ENTERPRISE: "E",
    Kind.PARTY_BRANCH: "P",
}
GRID_LETTER = "G"


class OrgUnit(models.Model):
    code = models.CharField(_("代码"), max_length=40, unique=True)
    scope_prefix = models.CharField(_("辖区前缀"), max_length=40, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    party_kind = models.CharField(
        _("党组织类别"), max_length=20, choices=PartyOrgKind.choices, blank=True
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    # Lower-case "name aliases pinyin initials" for lookup by name, alias or pinyin.
    search_text = models.CharField(max_length=400, blank=True, db_index=True)
    aliases = models.CharField(_("别名"), max_length=200, blank=True)
    risk_state = models.CharField(
        _("风险状态"), max_length=20, choices=RiskState.choices, default=RiskState.NO_CASE
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "code"

    class Meta:
        ordering = ["code"]
        verbose_name = _("组织单元")
        verbose_name_plural = _("组织单元")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__startswith=models.F("scope_prefix")),
                name="orgunit_code_extends_scope_prefix",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_territorial(self) -> bool:
        return self.kind == Kind.TERRITORIAL and self.level != Level.GRID

    def contains(self, code: str) -> bool:
        """True when `code` lies inside this unit's jurisdiction."""
        return code.startswith(self.scope_prefix)
