"""What the writes of mobilisation share: messages, limits and the scope checks."""

import re
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.mobilisation.models import (
    Member,
)
from bastion.orgs.models import OrgUnit

VIEW = Capability.VIEW_MOBILISATION
MANAGE = Capability.MANAGE_MOBILISATION
FIRST_PARTY_YEAR = 1921
MAX_PEOPLE = 10_000
MAX_TEAM = 500

UNIT_NOT_IN_SCOPE = "所属单位不存在或不在您的辖区内。"
PERSON_NOT_IN_SCOPE = "人员不存在或不在您辖区的人员库中。"
PERSON_NOT_UNDER_UNIT = "该人员不属于所选单位。"
MEMBER_EXISTS = "该人员已是本单位的队员。"
SKILL_INVALID = "请从列表中选择特长。"
YEAR_REQUIRED = "请填写入党年份。"
YEAR_FOR_NON_MEMBER = "非党员不填入党年份。"
JOIN_PARTY_FOR_MEMBER = "党员不需要递交入党申请。"
TITLE_REQUIRED = "请填写征集名称。"
PEOPLE_OUT_OF_RANGE = f"需要人数须在 1 到 {MAX_PEOPLE} 之间。"
ENDS_BEFORE_STARTS = "结束日期不能早于开始日期。"
CALL_CLOSED = "该征集已截止。"
MEMBER_NOT_IN_SCOPE = "队员不存在或不在您的辖区内。"
MEMBER_NOT_UNDER_UNIT = "该队员不属于发布单位的辖区。"
ALREADY_APPLIED = "该队员已经报名。"
TARGET_REQUIRED = "请选择征集或队伍。"
STATEMENT_REQUIRED = "请填写请战内容。"
APPLICATION_DECIDED = "该报名已处理。"
TEAM_NAME_REQUIRED = "请填写队名。"
BRANCH_NAME_REQUIRED = "请填写临时党支部名称。"
LEADER_NOT_IN_TEAM = "队长须为本队队员。"
TEAM_TOO_BIG = f"一支队伍最多 {MAX_TEAM} 人。"
DUTY_REQUIRED = "请填写任务。"
HOURS_INVALID = "工作时长须大于 0、不超过 24 小时，以半小时计。"
DAY_IN_FUTURE = "日期不能晚于今天。"
DAY_TOO_OLD = "只能登记近 30 天的工作记录。"
LOG_EXISTS = "该队员当天已有工作记录。"
UUID_TAKEN = "该 client_uuid 已用于另一条记录。"
ACCOUNT_NOT_IN_SCOPE = "账号不存在，或不在该队员所在辖区任职。"
ACCOUNT_TAKEN = "该账号已关联其他队员。"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    errors: dict[str, str],
    required: str = "",
    multiline: bool = False,
) -> str:
    text = _CONTROL.sub("", value or "")
    text = text.strip() if multiline else " ".join(text.split())
    if not text and required:
        errors[field] = required
    elif len(text) > max_length:
        errors[field] = f"不能超过 {max_length} 个字。"
    return text


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _today(now: datetime | None) -> date:
    return timezone.localdate(_now(now))


def _unit_ok(actor: Any, unit: OrgUnit | None, capability: Capability) -> OrgUnit:
    if unit is None or not unit.is_active or not code_in_scope(actor, unit.code, capability):
        raise ValidationError({"unit": UNIT_NOT_IN_SCOPE})
    return unit


def _member_ok(actor: Any, member: Member | None, capability: Capability) -> Member:
    if member is None or not code_in_scope(actor, member.unit_code, capability):
        raise ValidationError({"member": MEMBER_NOT_IN_SCOPE})
    return member
