"""Scoped reads of the Party app: units, organisations, posts and deeds.

Deeds and publication: a deed's text and the subject's name are shown in full to the recording
unit's chain (the recording unit and the units above it, which its code prefix puts in their
jurisdiction). Anywhere else (a public page, a briefing that leaves the chain) the name is
masked until the subject agreed to publication.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from bastion.accounts.jurisdiction import (
    code_in_scope,
    get_scoped_or_404,
    scoped,
)
from bastion.accounts.roles import Capability
from bastion.checkpoints.models import Checkpoint, DutyAssignment, Shift
from bastion.core.masking import mask_name
from bastion.mobilisation.models import Assignment, Member, Team, WorkLog
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.party.briefing import RenderedParagraph, render_paragraph
from bastion.party.figures import BriefFigure, briefing_figures
from bastion.party.models import Briefing, Deed, VanguardPost

VIEW = Capability.VIEW_PARTY
RECORD = Capability.RECORD_DEEDS
MANAGE = Capability.MANAGE_PARTY


def unit_get(*, user: Any, code: str, capability: Capability = VIEW) -> OrgUnit:
    return get_scoped_or_404(
        user,
        OrgUnit.objects.filter(is_active=True).select_related("parent"),
        capability,
        field="code",
        code=code,
    )


def party_orgs(*, user: Any, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """Party organisations under the unit, with their led unit and profile."""
    return (
        scoped(
            user,
            OrgUnit.objects.filter(
                kind=Kind.PARTY_BRANCH, is_active=True, code__startswith=unit.scope_prefix
            ),
            VIEW,
            field="code",
        )
        .select_related("parent", "party_org__secretary__person")
        .order_by("code")
    )


def org_member_counts(*, orgs: list[OrgUnit]) -> dict[str, int]:
    """Party members registered in each organisation's led unit (or in the organisation unit
    itself), keyed by the organisation's code. One grouped query."""
    led = {o.parent.code: o.code for o in orgs if o.parent is not None}
    own = {o.code: o.code for o in orgs}
    rows = (
        Member.objects.filter(is_party_member=True, unit_code__in=[*led, *own])
        .values("unit_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(own, 0)
    for row in rows:
        code = led.get(row["unit_code"]) or own.get(row["unit_code"])
        if code:
            counts[code] += row["n"]
    return counts


def member_for(*, user: Any, member_id: int | None, capability: Capability = VIEW) -> Member | None:
    if member_id is None:
        return None
    return (
        scoped(user, Member.objects.select_related("person", "unit"), capability)
        .filter(pk=member_id)
        .first()
    )


def party_members(*, user: Any, unit: OrgUnit, limit: int = 500) -> list[Member]:
    return list(
        scoped(
            user,
            Member.objects.filter(
                unit_code__startswith=unit.scope_prefix, is_party_member=True
            ).select_related("person", "unit"),
            VIEW,
        ).order_by("unit_code", "pk")[:limit]
    )


def team_for(*, user: Any, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    return scoped(user, Team.objects.all(), VIEW).filter(pk=team_id).first()


def checkpoint_for(*, user: Any, checkpoint_id: int | None) -> Checkpoint | None:
    if checkpoint_id is None:
        return None
    return (
        scoped(user, Checkpoint.objects.select_related("unit"), MANAGE)
        .filter(pk=checkpoint_id)
        .first()
    )


def shift_for(*, user: Any, shift_id: int | None) -> Shift | None:
    if shift_id is None:
        return None
    return (
        scoped(user, Shift.objects.select_related("checkpoint__unit"), MANAGE)
        .filter(pk=shift_id)
        .first()
    )


def area_for(*, user: Any, code: str | None) -> OrgUnit | None:
    if not code:
        return None
    return (
        scoped(
            user,
            OrgUnit.objects.filter(
                kind=Kind.TERRITORIAL, level__in=[Level.GRID, Level.VILLAGE], is_active=True
            ),
            MANAGE,
            field="code",
        )
        .filter(code=code)
        .first()
    )


def checkpoints_under(*, user: Any, unit: OrgUnit) -> list[Checkpoint]:
    return list(
        scoped(
            user,
            Checkpoint.objects.filter(unit_code__startswith=unit.scope_prefix).select_related(
                "unit"
            ),
            VIEW,
        ).order_by("unit_code")[:200]
    )


def grids_under(*, user: Any, unit: OrgUnit) -> list[OrgUnit]:
    return list(
        scoped(
            user,
            OrgUnit.objects.filter(
                code__startswith=unit.scope_prefix,
                kind=Kind.TERRITORIAL,
                level__in=[Level.GRID, Level.VILLAGE],
                is_active=True,
            ),
            VIEW,
            field="code",
        ).order_by("code")[:500]
    )


def post_list(*, user: Any, unit: OrgUnit, on: date | None = None) -> QuerySet[VanguardPost]:
    posts = scoped(
        user,
        VanguardPost.objects.filter(unit_code__startswith=unit.scope_prefix).select_related(
            "member__person", "checkpoint__unit", "shift", "area"
        ),
        VIEW,
    )
    if on is not None:
        posts = posts.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    return posts.order_by("unit_code", "pk")


def post_get(*, user: Any, post_id: int, capability: Capability = VIEW) -> VanguardPost:
    return get_scoped_or_404(
        user, VanguardPost.objects.select_related("member__person"), capability, pk=post_id
    )


# --- deeds ------------------------------------------------------------------------------------


def deed_list(
    *,
    user: Any,
    unit: OrgUnit,
    start: date | None = None,
    end: date | None = None,
    status: str = "",
) -> QuerySet[Deed]:
    """Deeds recorded by the unit or a unit inside it, in the period, newest first."""
    deeds = scoped(
        user,
        Deed.objects.filter(unit_code__startswith=unit.scope_prefix).select_related(
            "unit", "member__person", "team"
        ),
        VIEW,
    )
    if start is not None:
        deeds = deeds.filter(happened_on__gte=start)
    if end is not None:
        deeds = deeds.filter(happened_on__lte=end)
    if status:
        deeds = deeds.filter(status=status)
    return deeds.order_by("-happened_on", "-pk")


def deed_get(*, user: Any, deed_id: int, capability: Capability = VIEW) -> Deed:
    return get_scoped_or_404(
        user,
        Deed.objects.select_related("unit", "member__person", "member__unit", "team"),
        capability,
        pk=deed_id,
    )


def deed_for_holder(*, user: Any, deed_id: int, capability: Capability) -> Deed:
    """A deed whose current holder (the unit it was last nominated to) is inside the user's
    jurisdiction for `capability`: the one who may nominate it further or commend it."""
    deed = deed_get(user=user, deed_id=deed_id)
    if not code_in_scope(user, deed.holder_code, capability):
        raise Http404("未找到")
    return deed


def subject_name(deed: Deed, *, in_chain: bool) -> str:
    """The subject's name: in full when published or read inside the recording chain."""
    if deed.team_id is not None and deed.member_id is None:
        return deed.team.name if deed.team else ""
    name = deed.member.person.name if deed.member else ""
    return name if deed.is_public or in_chain else mask_name(name)


def deed_subject_for(*, user: Any, deed: Deed) -> str:
    return subject_name(deed, in_chain=code_in_scope(user, deed.unit_code, VIEW))


def public_deeds(*, limit: int = 50) -> QuerySet[Deed]:
    """Deeds whose subject agreed to publication: the only ones a page without login shows."""
    return (
        Deed.objects.filter(consented_at__isnull=False)
        .select_related("unit", "member__person", "team")
        .order_by("-happened_on", "-pk")[:limit]
    )


def unit_names(codes: list[str]) -> dict[str, str]:
    return dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "name"))


# --- briefings --------------------------------------------------------------------------------


def briefing_list(*, user: Any, unit: OrgUnit) -> QuerySet[Briefing]:
    return scoped(
        user, Briefing.objects.filter(unit_code=unit.code).select_related("unit"), VIEW
    ).order_by("-end", "-pk")


def briefing_get(*, user: Any, briefing_id: int, capability: Capability = VIEW) -> Briefing:
    return get_scoped_or_404(
        user, Briefing.objects.select_related("unit", "created_by"), capability, pk=briefing_id
    )


@dataclass
class DeedLine:
    deed_id: int
    title: str
    text: str


@dataclass
class RenderedBriefing:
    draft: Briefing
    title: str
    paragraphs: list[RenderedParagraph]
    deeds: list[DeedLine]
    figures: dict[str, BriefFigure]

    @property
    def used(self) -> list[BriefFigure]:
        """The figures the draft quotes, in order of first appearance."""
        seen: dict[str, BriefFigure] = {}
        for p in self.paragraphs:
            for part in p.parts:
                if part.figure is not None and part.figure.source != "meta":
                    seen.setdefault(part.figure.key, part.figure)
        return list(seen.values())


def deed_line(deed: Deed) -> DeedLine:
    """A published deed as the briefing tells it: who (unit, post, name), then what they did."""
    if deed.member is not None:
        who = f"{deed.member.unit.short_name or deed.member.unit.name}{deed.member.posts}"
        who += subject_name(deed, in_chain=False)
    else:
        who = deed.team.name if deed.team else ""
    return DeedLine(deed.pk, deed.title, f"{who}，{deed.text}")


def briefing_render(*, user: Any, draft: Briefing) -> RenderedBriefing:
    """The draft with its figures computed now, for its unit and period, and its deeds (only
    published ones: a briefing is a public text)."""
    figures = briefing_figures(user=user, unit=draft.unit, start=draft.start, end=draft.end)
    deeds = (
        Deed.objects.filter(
            pk__in=draft.deed_ids,
            consented_at__isnull=False,
            unit_code__startswith=draft.unit.scope_prefix,
        )
        .select_related("member__person", "member__unit", "team")
        .in_bulk()
    )
    lines = [deed_line(deeds[i]) for i in draft.deed_ids if i in deeds]
    paragraphs = [render_paragraph(p, figures) for p in draft.paragraphs]
    return RenderedBriefing(draft, draft.title, paragraphs, lines, figures)


def deed_choices(*, user: Any, unit: OrgUnit) -> list[Deed]:
    """Published deeds of the unit's subtree a briefing may select."""
    return list(
        scoped(
            user,
            Deed.objects.filter(
                unit_code__startswith=unit.scope_prefix, consented_at__isnull=False
            ).select_related("member__person", "member__unit", "team"),
            VIEW,
        ).order_by("-happened_on", "-pk")[:50]
    )


def fact_choices(*, user: Any, deed: Deed, limit: int = 30) -> list[tuple[str, str]]:
    """The subject member's recent work logs, assignments and checkpoint duties, as choices
    "kind:id" for linking a backing fact to the deed (no personal data in the labels)."""
    if deed.member_id is None:
        return []
    logs = scoped(
        user, WorkLog.objects.filter(member_id=deed.member_id), Capability.VIEW_MOBILISATION
    ).order_by("-day")[:limit]
    tasks = scoped(
        user, Assignment.objects.filter(member_id=deed.member_id), Capability.VIEW_MOBILISATION
    ).order_by("-starts_on")[:limit]
    duties = (
        scoped(
            user,
            DutyAssignment.objects.filter(member_id=deed.member_id),
            Capability.VIEW_CHECKPOINTS,
        )
        .select_related("shift__checkpoint__unit")
        .order_by("-shift__day")[:limit]
    )
    leave = "，取消休假"
    return (
        [
            (
                f"work_log:{w.pk}",
                f"{w.day:%Y-%m-%d} 工作 {w.hours} 小时{leave if w.cancelled_leave else ''}",
            )
            for w in logs
        ]
        + [
            (f"assignment:{t.pk}", f"{t.duty} {t.starts_on:%m-%d}至{t.ends_on:%m-%d}")
            for t in tasks
        ]
        + [
            (
                f"shift:{d.shift_id}",
                f"{d.shift.checkpoint.unit.name} {d.shift.day:%Y-%m-%d} {d.shift.label}",
            )
            for d in duties
        ]
    )
