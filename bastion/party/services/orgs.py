"""Writes of Party organisations (党组织) and of vanguard posts and responsibility areas
(党员先锋岗、党员责任区)."""

from datetime import date
from typing import Any

from django.db import transaction

from bastion.checkpoints.models import Checkpoint, Shift
from bastion.core.errors import ValidationError
from bastion.mobilisation.models import Member
from bastion.orgs.models import Kind, Level, OrgUnit, PartyOrgKind
from bastion.orgs.services import unit_create
from bastion.party.models import (
    PartyOrg,
    PostKind,
    PostPlace,
    VanguardPost,
)

# --- Party organisations ---------------------------------------------------------------------


@transaction.atomic
def party_org_create(
    *, led_unit: OrgUnit, name: str, party_kind: str, secretary: Member | None = None
) -> PartyOrg:
    """Add a Party organisation (党组织) as a unit below the unit it leads, with its profile."""
    if led_unit.kind == Kind.PARTY_BRANCH:
        raise ValidationError({"led_unit": "党组织应建在所领导的单位之下。"})
    unit = unit_create(parent=led_unit, name=name, kind=Kind.PARTY_BRANCH, party_kind=party_kind)
    return party_org_profile(unit=unit, secretary=secretary)


@transaction.atomic
def party_org_profile(*, unit: OrgUnit, secretary: Member | None) -> PartyOrg:
    """Create or update the profile of an existing Party organisation unit."""
    if unit.kind != Kind.PARTY_BRANCH or unit.parent is None:
        raise ValidationError({"unit": "该单元不是党组织。"})
    if secretary is not None and not secretary.is_party_member:
        raise ValidationError({"secretary": "书记应为中共党员。"})
    if secretary is not None and not secretary.unit_code.startswith(unit.parent.scope_prefix):
        raise ValidationError({"secretary": "书记应为本单位的队员。"})
    profile, _ = PartyOrg.objects.update_or_create(
        unit=unit,
        defaults={"unit_code": unit.code, "led_unit": unit.parent, "secretary": secretary},
    )
    return profile


def party_kind_label(kind: str) -> str:
    return str(PartyOrgKind(kind).label) if kind in PartyOrgKind.values else ""


# --- Vanguard posts and responsibility areas -------------------------------------------------


@transaction.atomic
def post_assign(
    *,
    actor: Any,
    member: Member,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date | None = None,
    checkpoint: Checkpoint | None = None,
    shift: Shift | None = None,
    area: OrgUnit | None = None,
    building: str = "",
) -> VanguardPost:
    """Give a post (先锋岗: a checkpoint or one of its shifts) or an area (责任区: a grid, or a
    building of a village or grid) to a Party member."""
    errors: dict[str, str] = {}
    if kind not in PostKind.values:
        errors["kind"] = "请选择先锋岗或责任区。"
    if not member.is_party_member:
        errors["member"] = "党员先锋岗、责任区只能由中共党员承担。"
    if not title.strip():
        errors["title"] = "请填写名称。"
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    if shift is not None:
        checkpoint = shift.checkpoint
    places = [checkpoint is not None, area is not None]
    if sum(places) != 1:
        errors["place"] = "请选择一个卡点（或班次），或一个网格（村、社区）。"
    if building and area is None:
        errors["building"] = "楼栋应属于一个网格或村（社区）。"
    if area is not None and (
        area.kind != Kind.TERRITORIAL or area.level not in (Level.GRID, Level.VILLAGE)
    ):
        errors["place"] = "责任区应为网格或村（社区）。"
    if area is not None and area.level == Level.VILLAGE and not building:
        errors["building"] = "以村（社区）为责任区时请填写楼栋。"
    if errors:
        raise ValidationError(errors)
    if checkpoint is not None:
        place_kind = PostPlace.SHIFT if shift is not None else PostPlace.CHECKPOINT
        code = checkpoint.unit_code
    else:
        assert area is not None  # noqa: S101 - checked above
        place_kind = PostPlace.BUILDING if building else PostPlace.GRID
        code = area.code
    return VanguardPost.objects.create(
        kind=kind,
        place_kind=place_kind,
        title=title.strip(),
        member=member,
        checkpoint=checkpoint,
        shift=shift,
        area=area,
        building=building.strip(),
        unit_code=code,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )


@transaction.atomic
def post_end(*, post: VanguardPost, on: date) -> VanguardPost:
    if on < post.starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
    post.ends_on = on
    post.save(update_fields=["ends_on"])
    return post
