"""The person registry (人员) and households (住户).

A person is entered once and referred to by every other domain. The ID number is unique among
live persons; a merged person keeps its row (and its id) with `merged_into` pointing at the
survivor, so references made before the merge still resolve.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bastion.orgs.models import Level


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")
    UNKNOWN = "U", _("未知")


class Household(models.Model):
    """An address where people live together (一户)."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="households", verbose_name=_("所属")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    address = models.CharField(_("地址"), max_length=200)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["unit_code", "address"]
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        constraints = [
            models.UniqueConstraint(fields=["unit", "address"], name="household_unique_address"),
        ]

    def __str__(self) -> str:
        return self.address


class Person(models.Model):
    # NULL, not "", means "no ID number": the unique constraint below must skip it.
    id_number = models.CharField(  # noqa: DJ001
        _("身份证号"), max_length=18, null=True, blank=True
    )
    name = models.CharField(_("姓名"), max_length=40)
    name_pinyin = models.CharField(max_length=160, blank=True)
    name_initials = models.CharField(max_length=40, blank=True, db_index=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True, db_index=True)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("住户"),
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="persons", verbose_name=_("所属")
    )
    unit_code = models.CharField(max_length=40, db_index=True)
    is_pregnant = models.BooleanField(_("孕产妇"), default=False)
    is_elderly_alone = models.BooleanField(_("独居老人"), default=False)
    is_chronic = models.BooleanField(_("慢性病"), default=False)
    is_disabled = models.BooleanField(_("残疾"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_code"

    class Meta:
        ordering = ["unit_code", "name", "id"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=models.Q(id_number__isnull=False, merged_into__isnull=True),
                name="person_unique_live_id_number",
            ),
        ]
        indexes = [
            models.Index(fields=["id_number"], name="person_id_number_idx"),
            models.Index(fields=["name", "birth_date"], name="person_name_birth_idx"),
            # The search box's pinyin prefix (`zhangs`): a LIKE 'x%' needs pattern_ops under
            # the C.UTF-8 collation. The GIN indexes of name and number fragments exist on
            # PostgreSQL only, outside the model state: migration 0002_search_indexes.
            models.Index(
                fields=["name_pinyin"],
                name="person_pinyin_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    CARE_TAGS = (
        ("is_pregnant", _("孕产妇")),
        ("is_elderly_alone", _("独居老人")),
        ("is_chronic", _("慢性病")),
        ("is_disabled", _("残疾")),
    )

    @property
    def care_tags(self) -> list[str]:
        return [field for field, _label in self.CARE_TAGS if getattr(self, field)]

    def age(self, on: date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        on = on or timezone.localdate()
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# The care-tag fields, and the levels a person may be registered at (村（社区）or 网格).
CARE_TAGS: tuple[str, ...] = tuple(field for field, _label in Person.CARE_TAGS)
ENTRY_LEVELS = (Level.VILLAGE, Level.GRID)
