"""Party API: briefings (简报): draft, read rendered, edit the words (409 when stale)."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from bastion.core.errors import StaleVersion
from bastion.core.idempotency import idempotent
from bastion.core.schemas import Day, UnitCode
from bastion.party import selectors, services
from bastion.party.api.common import ERRORS, Id, LongText, Text
from bastion.party.models import Briefing
from bastion.party.selectors import MANAGE

router = Router(tags=["party"])

# --- briefings -------------------------------------------------------------------------------


class ParagraphIO(Schema):
    id: str = Field("", max_length=20, pattern=r"^[a-z0-9]*$")
    kind: Literal["heading", "text", "deeds"] = "text"
    text: str = Field("", max_length=2000, pattern=LongText)


class RenderedOut(Schema):
    id: str
    kind: str
    template: str
    text: str


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    value: Any
    text: str


class BriefingOut(Schema):
    id: int
    unit_code: str
    start: date
    end: date
    title: str
    version: int
    paragraphs: list[RenderedOut]
    deeds: list[str]
    deed_ids: list[int]
    figures: list[FigureOut]

    @staticmethod
    def of(request: HttpRequest, b: Briefing) -> "BriefingOut":
        r = selectors.briefing_render(user=request.user, draft=b)
        return BriefingOut(
            id=b.pk,
            unit_code=b.unit_code,
            start=b.start,
            end=b.end,
            title=b.title,
            version=b.version,
            paragraphs=[
                RenderedOut(id=p.id, kind=p.kind, template=p.template, text=p.plain)
                for p in r.paragraphs
            ],
            deeds=[f"{d.title}　{d.text}" for d in r.deeds],
            deed_ids=list(b.deed_ids),
            figures=[
                FigureOut(key=f.key, label=f.label, unit=f.unit, value=f.value, text=f.text)
                for f in r.used
            ],
        )


class BriefingIn(Schema):
    unit: UnitCode
    start: Day
    end: Day
    copy_from: Id | None = None


class BriefingEdit(Schema):
    version: int = Field(ge=1, le=2**31 - 1)
    title: str | None = Field(None, max_length=200, pattern=Text)
    paragraphs: list[ParagraphIO] | None = Field(None, max_length=40)
    deed_ids: list[Id] | None = Field(None, max_length=8)


class ConflictOut(Schema):
    detail: str
    current: BriefingOut


class BriefingSummary(Schema):
    id: int
    unit_code: str
    start: date
    end: date
    title: str
    version: int


@router.get(
    "/party/briefings",
    response={200: list[BriefingSummary], **ERRORS},
    summary="A unit's briefings, newest first (open one for its figures)",
)
def briefing_list(request: HttpRequest, unit: UnitCode) -> Any:
    scope = selectors.unit_get(user=request.user, code=unit)
    return [
        BriefingSummary(
            id=b.pk,
            unit_code=b.unit_code,
            start=b.start,
            end=b.end,
            title=b.title,
            version=b.version,
        )
        for b in selectors.briefing_list(user=request.user, unit=scope)[:50]
    ]


@router.post(
    "/party/briefings",
    response={201: BriefingOut, **ERRORS},
    summary="Draft a briefing (简报) for a unit and period; keeps the latest draft's structure",
)
def briefing_create(request: HttpRequest, payload: BriefingIn) -> Any:
    def work() -> tuple[int, Any]:
        user = request.user
        unit = selectors.unit_get(user=user, code=payload.unit, capability=MANAGE)
        source = None
        if payload.copy_from is not None:
            source = selectors.briefing_get(user=user, briefing_id=payload.copy_from)
        draft = services.briefing_create(
            actor=user, unit=unit, start=payload.start, end=payload.end, source=source
        )
        return 201, BriefingOut.of(request, draft)

    return Status(*idempotent(request, work))


@router.get(
    "/party/briefings/{briefing_id}",
    response={200: BriefingOut, **ERRORS},
    summary="A briefing, rendered",
)
def briefing_get(request: HttpRequest, briefing_id: Id) -> Any:
    return BriefingOut.of(
        request, selectors.briefing_get(user=request.user, briefing_id=briefing_id)
    )


@router.patch(
    "/party/briefings/{briefing_id}",
    response={200: BriefingOut, 409: ConflictOut, **ERRORS},
    summary="Edit the words (never the figures); `version` must be the version read",
)
def briefing_edit(request: HttpRequest, briefing_id: Id, payload: BriefingEdit) -> Any:
    user = request.user
    draft = selectors.briefing_get(user=user, briefing_id=briefing_id, capability=MANAGE)
    figures = selectors.briefing_render(user=user, draft=draft).figures
    try:
        draft = services.briefing_update(
            actor=user,
            draft=draft,
            version=payload.version,
            figures=figures,
            title=payload.title,
            paragraphs=[p.model_dump() for p in payload.paragraphs]
            if payload.paragraphs is not None
            else None,
            deed_ids=list(payload.deed_ids) if payload.deed_ids is not None else None,
        )
    except StaleVersion as e:
        return Status(409, ConflictOut(detail=str(e), current=BriefingOut.of(request, e.current)))
    return BriefingOut.of(request, draft)
