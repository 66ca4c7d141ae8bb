"""Party API: deeds (先进事迹), their consent, nomination, commendation, facts and photos;
the public list of consented deeds."""

from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from bastion.accounts.jurisdiction import has_capability
from bastion.core.idempotency import idempotent
from bastion.core.schemas import Day, Page, UnitCode, page_bounds
from bastion.party import selectors, services
from bastion.party.api.common import ERRORS, Id, LongText, Text
from bastion.party.models import Deed
from bastion.party.selectors import MANAGE, RECORD, VIEW

router = Router(tags=["party"])

# --- deeds -----------------------------------------------------------------------------------


class DeedOut(Schema):
    id: int
    unit_code: str
    title: str
    subject: str = Field(description="人物或队伍（未同意公开时，在本单位及上级以外脱敏）")
    member_id: int | None
    team_id: int | None
    text: str
    happened_on: date
    place: str
    status: str
    holder_code: str
    commendation: str
    is_public: bool
    consented_at: Any
    facts: list[str]
    photos: list[int]

    @staticmethod
    def of(request: HttpRequest, d: Deed, *, full: bool = False) -> "DeedOut":
        return DeedOut(
            id=d.pk,
            unit_code=d.unit_code,
            title=d.title,
            subject=selectors.deed_subject_for(user=request.user, deed=d),
            member_id=d.member_id,
            team_id=d.team_id,
            text=d.text,
            happened_on=d.happened_on,
            place=d.place,
            status=d.status,
            holder_code=d.holder_code,
            commendation=d.commendation,
            is_public=d.is_public,
            consented_at=d.consented_at,
            facts=[f.label for f in d.facts.all()] if full else [],
            photos=[p.pk for p in d.photos.all()] if full else [],
        )


class DeedPage(Page):
    items: list[DeedOut]


class DeedQuery(Schema):
    unit: UnitCode
    start: Day | None = None
    end: Day | None = None
    status: Literal["", "recorded", "nominated", "commended"] = ""
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class DeedIn(Schema):
    unit: UnitCode
    title: str = Field(min_length=1, max_length=100, pattern=Text)
    text: str = Field(min_length=1, max_length=2000, pattern=LongText)
    happened_on: Day
    place: str = Field("", max_length=200, pattern=Text)
    member_id: Id | None = None
    team_id: Id | None = None


@router.get("/party/deeds", response={200: DeedPage, **ERRORS}, summary="Deeds of a unit")
def deed_list(request: HttpRequest, q: Query[DeedQuery]) -> Any:
    unit = selectors.unit_get(user=request.user, code=q.unit)
    deeds = selectors.deed_list(
        user=request.user, unit=unit, start=q.start, end=q.end, status=q.status
    )
    count = deeds.count()
    start, end = page_bounds(q.page, q.page_size)
    items = [DeedOut.of(request, d) for d in deeds[start:end]]
    return DeedPage(items=items, count=count, page=q.page, page_size=q.page_size)


@router.post("/party/deeds", response={201: DeedOut, **ERRORS}, summary="Record a deed (先进事迹)")
def deed_create(request: HttpRequest, payload: DeedIn) -> Any:
    def work() -> tuple[int, Any]:
        user = request.user
        unit = selectors.unit_get(user=user, code=payload.unit, capability=RECORD)
        member = selectors.member_for(user=user, member_id=payload.member_id)
        team = selectors.team_for(user=user, team_id=payload.team_id)
        if (payload.member_id and member is None) or (payload.team_id and team is None):
            raise Http404("未找到")
        deed = services.deed_record(
            actor=user,
            unit=unit,
            title=payload.title,
            text=payload.text,
            happened_on=payload.happened_on,
            place=payload.place,
            member=member,
            team=team,
        )
        return 201, DeedOut.of(request, deed)

    return Status(*idempotent(request, work))


class PublicDeedOut(Schema):
    id: int
    unit_name: str
    title: str
    subject: str
    text: str
    happened_on: date
    place: str
    status: str
    commendation: str


@router.get(
    "/party/public-deeds",
    response={200: list[PublicDeedOut], **ERRORS},
    summary="Deeds whose subject agreed to publication, across the city (公开的先进事迹)",
)
def public_deed_list(request: HttpRequest) -> Any:
    if not has_capability(request.user, VIEW):
        raise Http404("未找到")
    return [
        PublicDeedOut(
            id=d.pk,
            unit_name=d.unit.name,
            title=d.title,
            subject=selectors.subject_name(d, in_chain=False),
            text=d.text,
            happened_on=d.happened_on,
            place=d.place,
            status=d.status,
            commendation=d.commendation,
        )
        for d in selectors.public_deeds()
    ]


@router.get("/party/deeds/{deed_id}", response={200: DeedOut, **ERRORS}, summary="One deed")
def deed_get(request: HttpRequest, deed_id: Id) -> Any:
    return DeedOut.of(request, selectors.deed_get(user=request.user, deed_id=deed_id), full=True)


class ConsentIn(Schema):
    given: bool = True
    note: str = Field("", max_length=200, pattern=Text, description="同意方式")


@router.post(
    "/party/deeds/{deed_id}/consent",
    response={200: DeedOut, **ERRORS},
    summary="Record that the subject agreed to publication (or withdrew)",
)
def deed_consent(request: HttpRequest, deed_id: Id, payload: ConsentIn) -> Any:
    deed = selectors.deed_get(user=request.user, deed_id=deed_id, capability=RECORD)
    deed = services.deed_consent(
        actor=request.user, deed=deed, note=payload.note, given=payload.given
    )
    return DeedOut.of(request, deed, full=True)


class NominateIn(Schema):
    note: str = Field("", max_length=200, pattern=Text)


@router.post(
    "/party/deeds/{deed_id}/nominate",
    response={200: DeedOut, **ERRORS},
    summary="Nominate the deed to the unit above its holder (逐级推荐)",
)
def deed_nominate(request: HttpRequest, deed_id: Id, payload: NominateIn) -> Any:
    deed = selectors.deed_for_holder(user=request.user, deed_id=deed_id, capability=RECORD)
    services.deed_nominate(actor=request.user, deed=deed, note=payload.note)
    return DeedOut.of(request, selectors.deed_get(user=request.user, deed_id=deed_id), full=True)


class CommendIn(Schema):
    commendation: str = Field(min_length=1, max_length=100, pattern=Text)


@router.post(
    "/party/deeds/{deed_id}/commend",
    response={200: DeedOut, **ERRORS},
    summary="Commend the deed (表彰), by the unit holding it",
)
def deed_commend(request: HttpRequest, deed_id: Id, payload: CommendIn) -> Any:
    deed = selectors.deed_for_holder(user=request.user, deed_id=deed_id, capability=MANAGE)
    deed = services.deed_commend(actor=request.user, deed=deed, commendation=payload.commendation)
    return DeedOut.of(request, deed, full=True)


class FactIn(Schema):
    kind: Literal["shift", "work_log", "observation", "assignment"]
    object_id: Id


@router.post(
    "/party/deeds/{deed_id}/facts",
    response={200: DeedOut, **ERRORS},
    summary="Link a backing fact (a shift, a work log, an assignment, an observation)",
)
def deed_fact(request: HttpRequest, deed_id: Id, payload: FactIn) -> Any:
    deed = selectors.deed_get(user=request.user, deed_id=deed_id, capability=RECORD)
    services.deed_fact_link(
        actor=request.user, deed=deed, kind=payload.kind, object_id=payload.object_id
    )
    return DeedOut.of(request, deed, full=True)


@router.post(
    "/party/deeds/{deed_id}/photos",
    response={201: DeedOut, **ERRORS},
    summary="Add a photo (JPEG, PNG or WebP, at most 5 MB)",
)
def deed_photo(
    request: HttpRequest,
    deed_id: Id,
    image: File[UploadedFile],
    caption: Form[str] = "",
) -> Any:
    deed = selectors.deed_get(user=request.user, deed_id=deed_id, capability=RECORD)
    services.deed_photo_add(actor=request.user, deed=deed, upload=image, caption=caption[:100])
    return Status(201, DeedOut.of(request, deed, full=True))
