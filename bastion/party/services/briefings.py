"""Writes of briefings (简报): a new draft keeps the author's structure; an edit changes the
words, never the figures (see bastion.party.briefing)."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Case, When

from bastion.core.errors import StaleVersion, ValidationError
from bastion.orgs.models import OrgUnit
from bastion.party import briefing
from bastion.party.figures import BriefFigure
from bastion.party.models import (
    Briefing,
    Deed,
    DeedStatus,
)

MAX_BRIEFING_DAYS = 92


# --- Briefings (简报) -------------------------------------------------------------------------


def _default_deeds(unit: OrgUnit, end: date) -> list[int]:
    """Up to three published deeds of the unit's subtree, commended ones first."""
    return list(
        Deed.objects.filter(
            unit_code__startswith=unit.scope_prefix,
            consented_at__isnull=False,
            happened_on__lte=end,
        )
        .order_by(
            Case(When(status=DeedStatus.COMMENDED, then=0), default=1),
            "-happened_on",
            "-pk",
        )
        .values_list("pk", flat=True)[:3]
    )


def _check_deeds(unit: OrgUnit, deed_ids: list[int]) -> list[int]:
    if len(deed_ids) > briefing.MAX_DEEDS:
        raise ValidationError({"deed_ids": f"每期简报最多选 {briefing.MAX_DEEDS} 条事迹。"})
    ids = list(dict.fromkeys(deed_ids))
    deeds = Deed.objects.filter(pk__in=ids, unit_code__startswith=unit.scope_prefix)
    found = {d.pk: d for d in deeds}
    if len(found) != len(ids):
        raise ValidationError({"deed_ids": "所选事迹不存在或不属于本单位。"})
    if any(not d.is_public for d in found.values()):
        raise ValidationError({"deed_ids": "本人尚未同意公开的事迹不能编入简报。"})
    return ids


@transaction.atomic
def briefing_create(
    *, actor: Any, unit: OrgUnit, start: date, end: date, source: Briefing | None = None
) -> Briefing:
    """A new draft for the unit and period. It keeps the author's structure: the paragraphs of
    `source`, or else of the unit's latest briefing, or else the default template."""
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    if (end - start).days + 1 > MAX_BRIEFING_DAYS:
        raise ValidationError({"end": f"简报期间不超过 {MAX_BRIEFING_DAYS} 天。"})
    if source is None:
        source = Briefing.objects.filter(unit_code=unit.code).order_by("-created_at", "-pk").first()
    return Briefing.objects.create(
        unit=unit,
        unit_code=unit.code,
        start=start,
        end=end,
        title=source.title if source else briefing.default_title(unit.name),
        paragraphs=source.paragraphs if source else briefing.default_paragraphs(),
        deed_ids=_default_deeds(unit, end),
        copied_from=source,
        created_by=actor,
    )


@transaction.atomic
def briefing_update(
    *,
    actor: Any,
    draft: Briefing,
    version: int,
    figures: dict[str, BriefFigure],
    title: str | None = None,
    paragraphs: list[dict[str, Any]] | None = None,
    deed_ids: list[int] | None = None,
) -> Briefing:
    """Edit the words of a draft (never its figures: see bastion.party.briefing). A stale
    `version` raises StaleVersion with the current copy."""
    current = Briefing.objects.select_for_update().get(pk=draft.pk)
    if current.version != version:
        raise StaleVersion(current)
    if title is not None:
        if not title.strip():
            raise ValidationError({"title": "请填写标题。"})
        if briefing.placeholders(title) or "{" in title:
            raise ValidationError({"title": "标题中不能有数据占位。"})
        current.title = title.strip()[:200]
    if paragraphs is not None:
        current.paragraphs = briefing.clean_paragraphs(paragraphs, current.paragraphs, figures)
    if deed_ids is not None:
        current.deed_ids = _check_deeds(current.unit, deed_ids)
    current.version += 1
    current.save()
    return current
