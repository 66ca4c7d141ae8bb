"""Party API: engagement, coverage, organisations and vanguard posts."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from bastion.core.idempotency import idempotent
from bastion.core.schemas import Day, UnitCode
from bastion.party import selectors, services
from bastion.party.api.common import ERRORS, Id, PeriodQuery, Text, period
from bastion.party.engagement import EngagementRow, coverage, engagement
from bastion.party.models import VanguardPost
from bastion.party.selectors import MANAGE

router = Router(tags=["party"])

# --- engagement and coverage ------------------------------------------------------------------


class RowOut(Schema):
    code: str
    name: str
    level: str
    values: dict[str, int | Decimal]

    @staticmethod
    def of(r: EngagementRow) -> "RowOut":
        return RowOut(code=r.code, name=r.name, level=r.level, values=r.values)


class EngagementOut(Schema):
    unit: str
    start: date
    end: date
    own: RowOut
    children: list[RowOut]


@router.get(
    "/party/engagement",
    response={200: EngagementOut, **ERRORS},
    summary="Party organisations and members on duty (党组织和党员在岗), per child unit",
)
def engagement_get(request: HttpRequest, q: Query[PeriodQuery]) -> Any:
    unit = selectors.unit_get(user=request.user, code=q.unit)
    start, end = period(q)
    e = engagement(user=request.user, unit=unit, start=start, end=end)
    return EngagementOut(
        unit=unit.code,
        start=start,
        end=end,
        own=RowOut.of(e.own),
        children=[RowOut.of(r) for r in e.children],
    )


class CoverageOut(Schema):
    code: str
    name: str
    checkpoints: int
    checkpoints_covered: int
    checkpoint_share: float | None
    grids: int
    grids_covered: int
    grid_share: float | None


@router.get(
    "/party/coverage",
    response={200: list[CoverageOut], **ERRORS},
    summary="Share of checkpoints and grids with a vanguard post or area (unit first)",
)
def coverage_get(request: HttpRequest, unit: UnitCode, on: Day | None = None) -> Any:
    scope = selectors.unit_get(user=request.user, code=unit)
    rows = coverage(user=request.user, unit=scope, on=on or timezone.localdate())
    return [
        CoverageOut(
            code=r.code,
            name=r.name,
            checkpoints=r.checkpoints,
            checkpoints_covered=r.checkpoints_covered,
            checkpoint_share=r.checkpoint_share,
            grids=r.grids,
            grids_covered=r.grids_covered,
            grid_share=r.grid_share,
        )
        for r in rows
    ]


# --- organisations ---------------------------------------------------------------------------


class OrgOut(Schema):
    code: str
    name: str
    party_kind: str
    led_unit: str
    secretary_id: int | None


class OrgIn(Schema):
    led_unit: UnitCode
    name: str = Field(min_length=1, max_length=100, pattern=Text)
    party_kind: Literal[
        "committee", "working_committee", "general_branch", "branch", "temporary_branch"
    ]
    secretary_id: Id | None = None


@router.get("/party/orgs", response={200: list[OrgOut], **ERRORS}, summary="Party organisations")
def org_list(request: HttpRequest, unit: UnitCode) -> Any:
    scope = selectors.unit_get(user=request.user, code=unit)
    out = []
    for org in selectors.party_orgs(user=request.user, unit=scope)[:500]:
        profile = getattr(org, "party_org", None)
        out.append(
            OrgOut(
                code=org.code,
                name=org.name,
                party_kind=org.party_kind,
                led_unit=org.parent.code if org.parent else "",
                secretary_id=profile.secretary_id if profile else None,
            )
        )
    return out


@router.post("/party/orgs", response={201: OrgOut, **ERRORS}, summary="Add a Party organisation")
def org_create(request: HttpRequest, payload: OrgIn) -> Any:
    def work() -> tuple[int, Any]:
        led = selectors.unit_get(user=request.user, code=payload.led_unit, capability=MANAGE)
        secretary = None
        if payload.secretary_id is not None:
            secretary = selectors.member_for(user=request.user, member_id=payload.secretary_id)
            if secretary is None:
                raise Http404("未找到")
        org = services.party_org_create(
            led_unit=led, name=payload.name, party_kind=payload.party_kind, secretary=secretary
        )
        return 201, OrgOut(
            code=org.unit_code,
            name=org.unit.name,
            party_kind=org.unit.party_kind,
            led_unit=led.code,
            secretary_id=org.secretary_id,
        )

    return Status(*idempotent(request, work))


# --- posts -----------------------------------------------------------------------------------


class PostOut(Schema):
    id: int
    kind: str
    place_kind: str
    title: str
    member_id: int
    unit_code: str
    checkpoint_id: int | None
    shift_id: int | None
    area: str | None
    building: str
    starts_on: date
    ends_on: date | None

    @staticmethod
    def of(p: VanguardPost) -> "PostOut":
        return PostOut(
            id=p.pk,
            kind=p.kind,
            place_kind=p.place_kind,
            title=p.title,
            member_id=p.member_id,
            unit_code=p.unit_code,
            checkpoint_id=p.checkpoint_id,
            shift_id=p.shift_id,
            area=p.area.code if p.area else None,
            building=p.building,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
        )


class PostIn(Schema):
    kind: Literal["post", "area"]
    title: str = Field(min_length=1, max_length=100, pattern=Text)
    member_id: Id
    checkpoint_id: Id | None = None
    shift_id: Id | None = None
    area: UnitCode | None = None
    building: str = Field("", max_length=100, pattern=Text)
    starts_on: Day
    ends_on: Day | None = None


@router.get("/party/posts", response={200: list[PostOut], **ERRORS}, summary="Vanguard posts")
def post_list(request: HttpRequest, unit: UnitCode, on: Day | None = None) -> Any:
    scope = selectors.unit_get(user=request.user, code=unit)
    return [PostOut.of(p) for p in selectors.post_list(user=request.user, unit=scope, on=on)[:500]]


@router.post("/party/posts", response={201: PostOut, **ERRORS}, summary="Assign a post or area")
def post_create(request: HttpRequest, payload: PostIn) -> Any:
    def work() -> tuple[int, Any]:
        user = request.user
        member = selectors.member_for(user=user, member_id=payload.member_id, capability=MANAGE)
        shift = selectors.shift_for(user=user, shift_id=payload.shift_id)
        checkpoint = selectors.checkpoint_for(user=user, checkpoint_id=payload.checkpoint_id)
        area = selectors.area_for(user=user, code=payload.area)
        wanted = (payload.shift_id, payload.checkpoint_id, payload.area)
        found = (shift, checkpoint, area)
        if member is None or any(
            w is not None and f is None for w, f in zip(wanted, found, strict=True)
        ):
            raise Http404("未找到")
        post = services.post_assign(
            actor=user,
            member=member,
            kind=payload.kind,
            title=payload.title,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            checkpoint=checkpoint,
            shift=shift,
            area=area,
            building=payload.building,
        )
        return 201, PostOut.of(post)

    return Status(*idempotent(request, work))


class EndIn(Schema):
    ends_on: Day


@router.post("/party/posts/{post_id}/end", response={200: PostOut, **ERRORS}, summary="End a post")
def post_end(request: HttpRequest, post_id: Id, payload: EndIn) -> Any:
    post = selectors.post_get(user=request.user, post_id=post_id, capability=MANAGE)
    return PostOut.of(services.post_end(post=post, on=payload.ends_on))
