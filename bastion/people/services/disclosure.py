"""Disclosure of personal data: reveals and the access log of views and lists."""

from typing import Any

from bastion.accounts.jurisdiction import active_memberships
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import ValidationError
from bastion.people.models import Person
from bastion.people.services.persons import _log
from bastion.people.services.validation import (
    _CONTROL,
    REASON_REQUIRED,
    REVEALABLE_FIELDS,
    _clean_text,
)


def person_reveal(
    *, actor: Any, person: Person, field: str, reason: str, channel: str = "web"
) -> str:
    """The full ID number or mobile of a person (显示完整信息), logged with its reason.

    The caller has checked REVEAL_PERSONAL_DATA over the person's unit.
    """
    errors: dict[str, str] = {}
    if field not in REVEALABLE_FIELDS:
        errors["field"] = "只能查看身份证号或手机号。"
    clean_reason = _CONTROL.sub("", _clean_text(reason))
    if not clean_reason:
        errors["reason"] = REASON_REQUIRED
    elif len(clean_reason) > 200:
        errors["reason"] = "事由不能超过 200 个字。"
    if errors:
        raise ValidationError(errors)
    access_log_write(
        user=actor,
        action=Action.REVEAL,
        object_type="person",
        object_id=person.pk,
        unit_code=person.unit_code,
        field=field,
        reason=clean_reason,
        channel=channel,
    )
    return str(getattr(person, field) or "")


def person_view_log(*, actor: Any, person: Person, channel: str = "web") -> None:
    """Record that `actor` opened a person's page or record (查看)."""
    _log(actor, Action.VIEW, person, channel)


def person_list_log(
    *,
    actor: Any,
    action: Action,
    count: int,
    unit_code: str = "",
    channel: str = "web",
    **detail: Any,
) -> None:
    """Record a list or search of persons: filters, the kind of query and the count only —
    never the typed ID number or phone."""
    if not unit_code:
        memberships = active_memberships(actor)
        unit_code = memberships[0].unit.code if memberships else ""
    access_log_write(
        user=actor,
        action=action,
        object_type="person",
        unit_code=unit_code,
        detail={"count": count, **{k: v for k, v in detail.items() if v not in (None, "")}},
        channel=channel,
    )
