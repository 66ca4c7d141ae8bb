"""Writes of the policy (防控策略): a change is always a new version, never an edit."""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope, scope_prefixes
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.observation.models import Policy, StartRule
from bastion.observation.selectors.policy import policy_for
from bastion.orgs.models import Kind, Level, OrgUnit

# The stored default stands in for "no policy yet" from this date on; any real version wins.
DEFAULT_SINCE = date(2000, 1, 1)
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def policy_in_force(*, unit_code: str, on: date) -> Policy:
    """The policy in force for a unit on a day, stored: an observation must point at a row.

    With nothing stored yet, the DOMAIN.md defaults are saved once as version 0.
    """
    policy = policy_for(unit_code=unit_code, on=on)
    if policy.pk is not None:
        return policy
    stored, _created = Policy.objects.get_or_create(
        county=None, version=0, defaults={"name": "默认策略", "effective_from": DEFAULT_SINCE}
    )
    return stored


def may_set_default(actor: Any) -> bool:
    """Only a city-level command (or an administrator of the whole deployment) sets the
    deployment's default; counties override it for themselves."""
    return any(len(p) <= 4 for p in scope_prefixes(actor, Capability.MANAGE_POLICY))


def _check_slots(slots: list[dict[str, str]], errors: dict[str, str]) -> None:
    if not slots:
        errors["slots"] = "至少需要一个测温时段。"
        return
    if len(slots) > 6:
        errors["slots"] = "每天最多 6 个测温时段。"
        return
    previous_close = ""
    codes: set[str] = set()
    for slot in slots:
        code, opens, closes = slot.get("code", ""), slot.get("opens", ""), slot.get("closes", "")
        label = slot.get("label", "")
        if not _CODE.match(code) or code in codes:
            errors["slots"] = "时段代码无效或重复。"
            return
        codes.add(code)
        if not label or len(label) > 10:
            errors["slots"] = "每个时段需要一个不超过 10 个字的名称，例如“早”。"
            return
        if not (_CLOCK.match(opens) and _CLOCK.match(closes)):
            errors["slots"] = "时段的时间应写成 06:00 这样的格式。"
            return
        if opens >= closes:
            errors["slots"] = f"时段“{label}”的结束时间应晚于开始时间。"
            return
        if previous_close and opens < previous_close:
            errors["slots"] = "时段应按时间先后排列，且不能重叠。"
            return
        previous_close = closes


def _check_symptoms(symptoms: list[dict[str, str]], errors: dict[str, str]) -> None:
    if not symptoms:
        errors["symptoms"] = "至少需要一个症状。"
        return
    codes = [s.get("code", "") for s in symptoms]
    if len(set(codes)) != len(codes) or not all(_CODE.match(c) for c in codes):
        errors["symptoms"] = "症状代码无效或重复。"
    elif not all(0 < len(s.get("label", "")) <= 20 for s in symptoms):
        errors["symptoms"] = "症状名称不能为空，且不超过 20 个字。"


def policy_create_version(
    *,
    actor: Any,
    county: OrgUnit | None,
    name: str,
    effective_from: date,
    period_days: int,
    start_rule: str,
    slots: list[dict[str, str]],
    fever_threshold: Decimal,
    temperature_min: Decimal,
    temperature_max: Decimal,
    symptoms: list[dict[str, str]],
    arrival_window_days: int,
    banquet_max_guests: int,
    family_gathering_max: int,
    escalate_after_minutes: int,
    retention_days: int,
    now: datetime | None = None,
) -> Policy:
    """Store a new policy version (新版本) for a county, or the deployment default.

    The version number is the next for that county. Observations keep the version they
    started under, so nothing already running changes. A version takes effect today or later:
    the past is never rewritten.
    """
    today = timezone.localdate(now or timezone.now())
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name or len(name) > 80:
        errors["name"] = "请填写名称（不超过 80 个字）。"
    if county is None:
        if not may_set_default(actor):
            errors["county"] = "只有市级指挥部可以修改全市默认策略，请选择县（市、区）。"
    elif (
        county.level != Level.COUNTY
        or county.kind != Kind.TERRITORIAL
        or not code_in_scope(actor, county.code, Capability.MANAGE_POLICY)
    ):
        errors["county"] = "只能为本辖区内的县（市、区）制定策略。"
    if effective_from < today:
        errors["effective_from"] = "生效日期不能早于今天：已经过去的日子按原策略计算。"
    if not 1 <= period_days <= 60:
        errors["period_days"] = "观察期应在 1–60 天之间。"
    if start_rule not in StartRule.values:
        errors["start_rule"] = "请选择起算方式。"
    _check_slots(slots, errors)
    _check_symptoms(symptoms, errors)
    if not Decimal("30.0") <= temperature_min < temperature_max <= Decimal("45.0"):
        errors["temperature_max"] = "体温合理范围应在 30.0–45.0 °C 之间，且下限低于上限。"
    elif not temperature_min < fever_threshold < temperature_max:
        errors["fever_threshold"] = "发热阈值应在体温合理范围之内。"
    if not 5 <= escalate_after_minutes <= 24 * 60:
        errors["escalate_after_minutes"] = "上报时限应在 5 分钟到 24 小时之间。"
    if not 1 <= banquet_max_guests <= 1000 or not 1 <= family_gathering_max <= 1000:
        errors["banquet_max_guests"] = "人数上限应在 1–1000 之间。"
    if not 1 <= arrival_window_days <= 60:
        errors["arrival_window_days"] = "返乡登记回溯应在 1–60 天之间。"
    if not 30 <= retention_days <= 3650:
        errors["retention_days"] = "个人信息保存期应在 30–3650 天之间。"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            latest = Policy.objects.filter(county=county).aggregate(v=Max("version"))["v"]
            return Policy.objects.create(
                version=(latest or 0) + 1,
                county=county,
                name=name,
                effective_from=effective_from,
                period_days=period_days,
                start_rule=start_rule,
                slots=slots,
                fever_threshold=fever_threshold,
                temperature_min=temperature_min,
                temperature_max=temperature_max,
                symptoms=symptoms,
                arrival_window_days=arrival_window_days,
                banquet_max_guests=banquet_max_guests,
                family_gathering_max=family_gathering_max,
                escalate_after_minutes=escalate_after_minutes,
                retention_days=retention_days,
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"name": "另一位同事刚刚保存了新版本，请刷新后重试。"}) from None
