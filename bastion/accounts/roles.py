"""Roles (角色) and the capabilities (权限) they grant.

Views and API endpoints declare the capability they need (`require(Capability.X)`); services
never check roles with `if`s. A capability is held *in a unit*: it applies inside that unit's
jurisdiction only.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_COMMAND = "city_command", _("市指挥部")
    COUNTY_COMMAND = "county_command", _("县区指挥部")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇（街道）干部")
    VILLAGE_WORKER = "village_worker", _("村（社区）网格员")
    HEALTH_WORKER = "health_worker", _("卫生健康人员")
    CHECKPOINT_OFFICER = "checkpoint_officer", _("卡点执勤人员")
    VOLUNTEER = "volunteer", _("志愿者")
    AUDITOR = "auditor", _("审计员")
    ADMIN = "admin", _("系统管理员")


class Capability(StrEnum):
    VIEW_UNITS = "view_units"
    MANAGE_UNITS = "manage_units"
    VIEW_PERSONS = "view_persons"
    EDIT_PERSONS = "edit_persons"
    MERGE_PERSONS = "merge_persons"
    REVEAL_PERSONAL_DATA = "reveal_personal_data"
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_ACCESS_LOG = "view_access_log"
    # Supplies (物资) and donations (捐赠)
    VIEW_SUPPLIES = "view_supplies"
    RECORD_STOCK = "record_stock"
    RECORD_DONATIONS = "record_donations"
    # Community measures: gatherings (酒宴) and disinfection (消毒消杀)
    VIEW_GATHERINGS = "view_gatherings"
    RECORD_GATHERINGS = "record_gatherings"
    VIEW_SITES = "view_sites"
    RECORD_DISINFECTION = "record_disinfection"
    MANAGE_SITES = "manage_sites"


_C = Capability
_FIELD = {_C.VIEW_UNITS, _C.VIEW_PERSONS, _C.EDIT_PERSONS}
_SUPPLIES = {_C.VIEW_SUPPLIES, _C.RECORD_STOCK}
_GATHERINGS = {_C.VIEW_GATHERINGS, _C.RECORD_GATHERINGS}
# Whoever holds the sprayer records the run: grid workers, health staff, checkpoint staff and
# volunteers (sanitation crews are volunteers or grid workers of the unit they serve).
_DISINFECTION = {_C.VIEW_SITES, _C.RECORD_DISINFECTION}
_OFFICER = _FIELD | {
    _C.MERGE_PERSONS,
    _C.REVEAL_PERSONAL_DATA,
    _C.MANAGE_ACCOUNTS,
    _C.MANAGE_UNITS,
    *_SUPPLIES,
    _C.RECORD_DONATIONS,
    *_GATHERINGS,
    *_DISINFECTION,
    _C.MANAGE_SITES,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.CITY_COMMAND: frozenset(_OFFICER),
    Role.COUNTY_COMMAND: frozenset(_OFFICER),
    Role.TOWNSHIP_OFFICER: frozenset(_OFFICER),
    # The grid worker knocks on the doors: they may call a returnee, so they may reveal a phone.
    Role.VILLAGE_WORKER: frozenset(
        _FIELD
        | _SUPPLIES
        | _GATHERINGS
        | _DISINFECTION
        | {_C.REVEAL_PERSONAL_DATA, _C.MANAGE_SITES}
    ),
    Role.HEALTH_WORKER: frozenset(
        _FIELD | _SUPPLIES | _DISINFECTION | {_C.REVEAL_PERSONAL_DATA, _C.VIEW_GATHERINGS}
    ),
    Role.CHECKPOINT_OFFICER: frozenset(
        {_C.VIEW_UNITS, _C.VIEW_PERSONS, _C.EDIT_PERSONS} | _SUPPLIES | _DISINFECTION
    ),
    Role.VOLUNTEER: frozenset({_C.VIEW_UNITS} | _DISINFECTION),
    Role.AUDITOR: frozenset(
        {
            _C.VIEW_UNITS,
            _C.VIEW_PERSONS,
            _C.VIEW_ACCESS_LOG,
            _C.VIEW_SUPPLIES,
            _C.VIEW_GATHERINGS,
            _C.VIEW_SITES,
        }
    ),
    Role.ADMIN: frozenset(set(Capability)),
}

# Which roles an account manager may hand out: never one above their own.
ASSIGNABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.CITY_COMMAND: tuple(r for r in Role.values if r != Role.ADMIN),
    Role.COUNTY_COMMAND: (
        Role.COUNTY_COMMAND,
        Role.TOWNSHIP_OFFICER,
        Role.VILLAGE_WORKER,
        Role.HEALTH_WORKER,
        Role.CHECKPOINT_OFFICER,
        Role.VOLUNTEER,
    ),
    Role.TOWNSHIP_OFFICER: (
        Role.VILLAGE_WORKER,
        Role.HEALTH_WORKER,
        Role.CHECKPOINT_OFFICER,
        Role.VOLUNTEER,
    ),
    Role.ADMIN: tuple(Role.values),
}
