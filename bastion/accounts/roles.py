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
    # Screening (排查): signals (线索), sweeps, travel records, verification lists, imports
    VIEW_SIGNALS = "view_signals"
    HANDLE_SIGNALS = "handle_signals"
    VIEW_SCREENING = "view_screening"
    RECORD_SCREENING = "record_screening"
    MANAGE_SCREENING = "manage_screening"
    MANAGE_RISK_AREAS = "manage_risk_areas"
    # Checkpoints (卡点): the roadside log (登记) and duty rosters (勤务)
    VIEW_CHECKPOINTS = "view_checkpoints"
    RECORD_PASSAGES = "record_passages"
    MANAGE_CHECKPOINTS = "manage_checkpoints"
    # Medical observation (医学观察) and the five-early pipeline (五早): observations and their
    # check-ins and alerts; referral, diagnosis and treatment (RECORD_CASES); the policy
    # versions (MANAGE_POLICY).
    VIEW_OBSERVATIONS = "view_observations"
    RECORD_CHECKINS = "record_checkins"
    MANAGE_OBSERVATIONS = "manage_observations"
    RECORD_CASES = "record_cases"
    MANAGE_POLICY = "manage_policy"
    # Mobilisation (动员): members, calls, pledges, teams, work logs. Field staff view, apply
    # members to calls and record work logs; officers add members, post calls, select, form teams.
    VIEW_MOBILISATION = "view_mobilisation"
    MANAGE_MOBILISATION = "manage_mobilisation"
    # Command and reporting (指挥与报表): the situation report and the dashboard (aggregates,
    # no personal data), the head's sign-off of a unit's day, and list exports (masked unless
    # the requester also holds REVEAL_PERSONAL_DATA and gives a reason).
    VIEW_REPORTS = "view_reports"
    SIGN_REPORTS = "sign_reports"
    EXPORT_LISTS = "export_lists"
    # Party organisations at the front (党建引领): engagement and vanguard posts are read by
    # VIEW_PARTY; deeds (先进事迹) are recorded by RECORD_DEEDS; posts, nominations,
    # commendations and the briefing (简报) need MANAGE_PARTY.
    VIEW_PARTY = "view_party"
    RECORD_DEEDS = "record_deeds"
    MANAGE_PARTY = "manage_party"


_C = Capability
_FIELD = {_C.VIEW_UNITS, _C.VIEW_PERSONS, _C.EDIT_PERSONS}
_SUPPLIES = {_C.VIEW_SUPPLIES, _C.RECORD_STOCK}
_GATHERINGS = {_C.VIEW_GATHERINGS, _C.RECORD_GATHERINGS}
# Whoever holds the sprayer records the run: grid workers, health staff, checkpoint staff and
# volunteers (sanitation crews are volunteers or grid workers of the unit they serve).
_DISINFECTION = {_C.VIEW_SITES, _C.RECORD_DISINFECTION}
# Police, health and township staff register vehicles side by side at a checkpoint; officers
# above the checkpoint plan its rosters.
_CHECKPOINTS = {_C.VIEW_CHECKPOINTS, _C.RECORD_PASSAGES}
# Field screening: file and handle signals, record visits and travel records, start a sweep of
# one's own units, verify list rows, import a village's Excel lists.
_SCREENING = {
    _C.VIEW_SIGNALS,
    _C.HANDLE_SIGNALS,
    _C.VIEW_SCREENING,
    _C.RECORD_SCREENING,
    _C.MANAGE_SCREENING,
}
# Grid and health workers start observations, take temperatures, answer alerts and refer.
_OBSERVATION = {_C.VIEW_OBSERVATIONS, _C.RECORD_CHECKINS, _C.MANAGE_OBSERVATIONS}
_OFFICER = _FIELD | {
    *_SCREENING,
    *_OBSERVATION,
    _C.RECORD_CASES,
    _C.MERGE_PERSONS,
    _C.REVEAL_PERSONAL_DATA,
    _C.MANAGE_ACCOUNTS,
    _C.MANAGE_UNITS,
    *_SUPPLIES,
    _C.RECORD_DONATIONS,
    *_GATHERINGS,
    *_DISINFECTION,
    _C.MANAGE_SITES,
    *_CHECKPOINTS,
    _C.MANAGE_CHECKPOINTS,
    _C.VIEW_MOBILISATION,
    _C.MANAGE_MOBILISATION,
    _C.VIEW_REPORTS,
    _C.SIGN_REPORTS,
    _C.EXPORT_LISTS,
    _C.VIEW_PARTY,
    _C.RECORD_DEEDS,
    _C.MANAGE_PARTY,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    # The high-risk area list (高风险地区) and the policy versions (防控策略) are kept by the
    # city and county commands.
    Role.CITY_COMMAND: frozenset(_OFFICER | {_C.MANAGE_RISK_AREAS, _C.MANAGE_POLICY}),
    Role.COUNTY_COMMAND: frozenset(_OFFICER | {_C.MANAGE_RISK_AREAS, _C.MANAGE_POLICY}),
    Role.TOWNSHIP_OFFICER: frozenset(_OFFICER),
    # The grid worker knocks on the doors: they may call a returnee, so they may reveal a phone.
    Role.VILLAGE_WORKER: frozenset(
        _FIELD
        | _SUPPLIES
        | _GATHERINGS
        | _DISINFECTION
        | _SCREENING
        | _OBSERVATION
        | {_C.REVEAL_PERSONAL_DATA, _C.MANAGE_SITES, _C.VIEW_MOBILISATION}
        # The village's own report is signed in the village (村支书/主任 hold this role too).
        | {_C.VIEW_REPORTS, _C.SIGN_REPORTS, _C.EXPORT_LISTS, _C.VIEW_PARTY, _C.RECORD_DEEDS}
    ),
    Role.HEALTH_WORKER: frozenset(
        _FIELD
        | _SUPPLIES
        | _DISINFECTION
        | _CHECKPOINTS
        | {_C.REVEAL_PERSONAL_DATA, _C.VIEW_GATHERINGS}
        | {_C.VIEW_SIGNALS, _C.HANDLE_SIGNALS, _C.VIEW_SCREENING}
        | _OBSERVATION
        | {_C.RECORD_CASES, _C.VIEW_REPORTS, _C.EXPORT_LISTS, _C.VIEW_PARTY}
    ),
    Role.CHECKPOINT_OFFICER: frozenset(
        {_C.VIEW_UNITS, _C.VIEW_PERSONS, _C.EDIT_PERSONS} | _SUPPLIES | _DISINFECTION | _CHECKPOINTS
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
            _C.VIEW_SIGNALS,
            _C.VIEW_SCREENING,
            _C.VIEW_CHECKPOINTS,
            _C.VIEW_OBSERVATIONS,
            _C.VIEW_MOBILISATION,
            _C.VIEW_REPORTS,
            _C.VIEW_PARTY,
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
