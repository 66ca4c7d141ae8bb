"""Writes of disinfection (消毒消杀): sites and their schedules, and the runs recorded on phones.

A schedule is a list of deadlines ("HH:MM"): by each one, one more run is due that day. "N runs
a day" becomes N deadlines spread evenly over the working day (06:00–22:00), each the end of
its share of the day.
"""

import re
import uuid
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.community.checklists import AGENT_UNITS, CONCENTRATION_RANGES, checklist_of
from bastion.community.models import (
    Agent,
    ConcentrationUnit,
    DisinfectionRun,
    Site,
    SiteKind,
)
from bastion.community.services.common import clean_text, now_or
from bastion.core.errors import ValidationError
from bastion.orgs.models import OrgUnit

MAX_RUNS_PER_DAY = 24
WORKDAY_START = 6 * 60  # minutes after midnight
WORKDAY_END = 22 * 60
BACKFILL_DAYS = 7
CLOCK_SKEW = timedelta(minutes=5)

UNIT_REQUIRED = "请选择点位所属单元。"
UNIT_NOT_IN_SCOPE = "所属单元不存在或不在您的辖区内。"
NAME_REQUIRED = "请填写点位名称。"
NAME_TAKEN = "该单元已有同名点位。"
KIND_INVALID = "请选择点位类别。"
RESPONSIBLE_NOT_IN_SCOPE = "责任单位不存在或不在您的辖区内。"
SCHEDULE_REQUIRED = f"请填写每天消杀次数（1–{MAX_RUNS_PER_DAY}）或指定完成时限。"
TIME_FORMAT = "时间应为 24 小时制，如 08:00、14:30。"
TIME_REPEATED = "同一时间不能重复。"
TOO_MANY_TIMES = f"每天最多 {MAX_RUNS_PER_DAY} 次。"
SITE_NOT_IN_SCOPE = "点位不存在或不在您的辖区内。"
SITE_INACTIVE = "该点位已停用，不能再记录消杀。"
AGENT_INVALID = "请选择消毒剂。"
UNIT_INVALID = "浓度单位只能是 mg/L 或 %。"
CONCENTRATION_REQUIRED = "请填写浓度。"
DONE_AT_IN_FUTURE = "消杀时间不能晚于现在。"
DONE_AT_TOO_OLD = f"只能补录 {BACKFILL_DAYS} 天内的消杀。"
OPERATOR_REQUIRED = "请填写消杀人员。"
CHECKLIST_NOT_A_LIST = "检查清单格式不对：每一项应为 是/否。"
CHECKLIST_NOTHING_DONE = "请至少勾选一项已消杀的内容。"
UUID_TAKEN = "该 client_uuid 已用于另一条记录。"

_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def spread_times(runs_per_day: int) -> list[str]:
    """N deadlines over the working day: 1 → 22:00; 2 → 14:00, 22:00; 4 → 10:00 … 22:00."""
    span = WORKDAY_END - WORKDAY_START
    minutes = [WORKDAY_START + span * k // runs_per_day for k in range(1, runs_per_day + 1)]
    return [f"{m // 60:02d}:{m % 60:02d}" for m in minutes]


def parse_times(values: list[str], errors: dict[str, str]) -> list[str]:
    """'8:00', '14：30' (a full-width colon from a Chinese keyboard) → sorted 'HH:MM' list."""
    parsed: list[str] = []
    for raw in values:
        match = _TIME.match(str(raw).strip())
        if match is None:
            errors["times"] = TIME_FORMAT
            return []
        parsed.append(f"{int(match[1]):02d}:{match[2]}")
    if len(set(parsed)) != len(parsed):
        errors["times"] = TIME_REPEATED
    elif len(parsed) > MAX_RUNS_PER_DAY:
        errors["times"] = TOO_MANY_TIMES
    return sorted(parsed)


def _schedule(
    runs_per_day: int | None, times: list[str] | None, errors: dict[str, str]
) -> list[str]:
    if times:
        return parse_times(times, errors)
    if runs_per_day is None or not 1 <= runs_per_day <= MAX_RUNS_PER_DAY:
        errors["runs_per_day"] = SCHEDULE_REQUIRED
    else:
        return spread_times(runs_per_day)
    return []


def _check_site_values(
    actor: Any,
    *,
    unit: OrgUnit | None,
    name: str,
    kind: str,
    address: str,
    responsible_unit: OrgUnit | None,
    responsible_team: str,
    runs_per_day: int | None,
    times: list[str] | None,
    exclude_pk: int | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if unit is None:
        errors["unit"] = UNIT_REQUIRED
    elif not unit.is_active or not code_in_scope(actor, unit.code, Capability.MANAGE_SITES):
        errors["unit"] = UNIT_NOT_IN_SCOPE
    clean_name = clean_text(
        name, field="name", max_length=60, errors=errors, required=NAME_REQUIRED
    )
    if kind not in SiteKind.values:
        errors["kind"] = KIND_INVALID
    clean_address = clean_text(address, field="address", max_length=200, errors=errors)
    team = clean_text(responsible_team, field="responsible_team", max_length=60, errors=errors)
    if responsible_unit is not None and (
        not responsible_unit.is_active
        or not code_in_scope(actor, responsible_unit.code, Capability.VIEW_UNITS)
    ):
        errors["responsible_unit"] = RESPONSIBLE_NOT_IN_SCOPE
    schedule = _schedule(runs_per_day, times, errors)
    if unit is not None and clean_name and "unit" not in errors:
        same = Site.objects.filter(unit=unit, name=clean_name)
        if exclude_pk is not None:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            errors["name"] = NAME_TAKEN
    if errors or unit is None:
        raise ValidationError(errors or {"unit": UNIT_REQUIRED})
    return {
        "unit": unit,
        "unit_code": unit.code,
        "name": clean_name,
        "kind": kind,
        "address": clean_address,
        "responsible_unit": responsible_unit,
        "responsible_unit_code": responsible_unit.code if responsible_unit else "",
        "responsible_team": team,
        "runs_per_day": len(schedule),
        "times": schedule,
    }


def site_create(
    *,
    actor: Any,
    unit: OrgUnit | None,
    name: str,
    kind: str,
    address: str = "",
    responsible_unit: OrgUnit | None = None,
    responsible_team: str = "",
    runs_per_day: int | None = None,
    times: list[str] | None = None,
    now: datetime | None = None,
) -> Site:
    """Add a site to disinfect (新增消杀点位) with its schedule: `times` (deadlines) when given,
    else `runs_per_day` spread over the working day. It is due from today on."""
    values = _check_site_values(
        actor,
        unit=unit,
        name=name,
        kind=kind,
        address=address,
        responsible_unit=responsible_unit,
        responsible_team=responsible_team,
        runs_per_day=runs_per_day,
        times=times,
    )
    try:
        with transaction.atomic():
            return Site.objects.create(
                **values, active_from=timezone.localdate(now_or(now)), created_by=actor
            )
    except IntegrityError:
        raise ValidationError({"name": NAME_TAKEN}) from None


SITE_UPDATABLE = frozenset(
    {
        "name",
        "kind",
        "address",
        "responsible_unit",
        "responsible_team",
        "runs_per_day",
        "times",
        "is_active",
    }
)


def site_update(*, actor: Any, site: Site, **changes: Any) -> Site:
    """Change a site's data or schedule, or stop it (停用). A new schedule counts from today's
    runs on, as the old one did: past days keep the runs they had."""
    unknown = set(changes) - SITE_UPDATABLE
    if unknown:
        raise TypeError(f"site_update() got unexpected fields: {sorted(unknown)}")
    schedule_changed = "runs_per_day" in changes or "times" in changes
    values = _check_site_values(
        actor,
        unit=site.unit,
        name=changes.get("name", site.name),
        kind=changes.get("kind", site.kind),
        address=changes.get("address", site.address),
        responsible_unit=changes.get("responsible_unit", site.responsible_unit),
        responsible_team=changes.get("responsible_team", site.responsible_team),
        runs_per_day=changes.get("runs_per_day") if schedule_changed else site.runs_per_day,
        times=changes.get("times") if schedule_changed else site.times,
        exclude_pk=site.pk,
    )
    if "kind" in changes and changes["kind"] != site.kind and site.runs.exists():
        raise ValidationError({"kind": "已有消杀记录的点位不能更改类别。"})
    for field, value in values.items():
        setattr(site, field, value)
    if "is_active" in changes:
        site.is_active = bool(changes["is_active"])
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError:
        raise ValidationError({"name": NAME_TAKEN}) from None
    return site


def site_in_scope(actor: Any, site: Site, capability: Capability) -> bool:
    """The site lies in the actor's jurisdiction for `capability`, as a place or as a duty of
    the responsible unit."""
    codes = [site.unit_code, site.responsible_unit_code]
    return any(code and code_in_scope(actor, code, capability) for code in codes)


def _clean_checklist(kind: str, checklist: Any, errors: dict[str, str]) -> dict[str, bool]:
    items = checklist_of(kind)
    if not isinstance(checklist, dict) or not all(isinstance(v, bool) for v in checklist.values()):
        errors["checklist"] = CHECKLIST_NOT_A_LIST
        return {}
    codes = [item.code for item in items]
    unknown = [str(k)[:40] for k in checklist if k not in codes]
    missing = [str(item.label) for item in items if item.code not in checklist]
    if unknown:
        errors["checklist"] = f"检查清单中没有这一项：{'、'.join(unknown[:5])}。"
    elif missing:
        errors["checklist"] = f"请逐项填写检查清单（缺少：{'、'.join(missing)}）。"
    elif not any(checklist.values()):
        errors["checklist"] = CHECKLIST_NOTHING_DONE
    return {code: bool(checklist.get(code)) for code in codes}


def _clean_concentration(value: Any, unit: str, errors: dict[str, str]) -> Decimal:
    try:
        amount = Decimal(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        errors["concentration"] = CONCENTRATION_REQUIRED
        return Decimal(0)
    if unit in CONCENTRATION_RANGES:
        low, high = CONCENTRATION_RANGES[ConcentrationUnit(unit)]
        if not Decimal(str(low)) <= amount <= Decimal(str(high)):
            errors["concentration"] = f"浓度应在 {low}–{high} {unit} 之间。"
            return Decimal(0)
    return amount.quantize(Decimal("0.01"))


def _clean_done_at(done_at: datetime | None, now: datetime, errors: dict[str, str]) -> datetime:
    if done_at is None:
        return now
    # Far-off years are typos; rejecting them first also keeps the arithmetic below in range.
    if done_at.year > now.year + 1:
        errors["done_at"] = DONE_AT_IN_FUTURE
        return now
    if done_at.year < now.year - 1:
        errors["done_at"] = DONE_AT_TOO_OLD
        return now
    if timezone.is_naive(done_at):
        done_at = timezone.make_aware(done_at)
    if done_at > now + CLOCK_SKEW:
        errors["done_at"] = DONE_AT_IN_FUTURE
    elif done_at < now - timedelta(days=BACKFILL_DAYS):
        errors["done_at"] = DONE_AT_TOO_OLD
    return done_at


def _replay(actor: Any, client_uuid: uuid.UUID) -> DisinfectionRun | None:
    existing = (
        DisinfectionRun.objects.select_related("site").filter(client_uuid=client_uuid).first()
    )
    if existing is None:
        return None
    if not site_in_scope(actor, existing.site, Capability.RECORD_DISINFECTION):
        raise ValidationError({"client_uuid": UUID_TAKEN})
    return existing


def run_record(
    *,
    actor: Any,
    site: Site,
    agent: str,
    concentration: Decimal | str | float | None,
    checklist: dict[str, bool],
    client_uuid: uuid.UUID,
    done_at: datetime | None = None,
    concentration_unit: str = "",
    operator: str = "",
    note: str = "",
    now: datetime | None = None,
) -> tuple[DisinfectionRun, bool]:
    """Record one disinfection run (记录消杀) at a site of the actor's jurisdiction.

    Returns (run, created): the `client_uuid` of a run seen before returns that run and False,
    so a phone that retries on a bad network never records a run twice. `done_at` defaults to
    now; a run may be recorded afterwards, within BACKFILL_DAYS.
    """
    if (existing := _replay(actor, client_uuid)) is not None:
        return existing, False
    current = now_or(now)
    errors: dict[str, str] = {}
    if not site_in_scope(actor, site, Capability.RECORD_DISINFECTION):
        errors["site"] = SITE_NOT_IN_SCOPE
    elif not site.is_active:
        errors["site"] = SITE_INACTIVE
    if agent not in Agent.values:
        errors["agent"] = AGENT_INVALID
    unit = concentration_unit or AGENT_UNITS.get(agent, ConcentrationUnit.MG_PER_L)
    if unit not in ConcentrationUnit.values:
        errors["concentration_unit"] = UNIT_INVALID
    amount = _clean_concentration(concentration, unit, errors)
    when = _clean_done_at(done_at, current, errors)
    who = clean_text(
        operator or str(actor),
        field="operator",
        max_length=40,
        errors=errors,
        required=OPERATOR_REQUIRED,
    )
    clean_note = clean_text(note, field="note", max_length=200, errors=errors)
    items = _clean_checklist(site.kind, checklist, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            run = DisinfectionRun.objects.create(
                site=site,
                unit_code=site.unit_code,
                responsible_unit_code=site.responsible_unit_code,
                done_at=when,
                done_on=timezone.localdate(when),
                agent=agent,
                concentration=amount,
                concentration_unit=unit,
                operator=who,
                checklist=items,
                note=clean_note,
                client_uuid=client_uuid,
                recorded_by=actor,
            )
    except IntegrityError:
        if (existing := _replay(actor, client_uuid)) is not None:
            return existing, False
        raise
    return run, True
