"""Fixtures of the checkpoint tests: 株洲西收费站卡点 under 天元区 with its officer (the
`checkpoint` persona), a checkpoint in 荷塘区 for out-of-jurisdiction cases, fixed clocks."""

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bastion.accounts.models import User
from bastion.accounts.roles import Role
from bastion.checkpoints.models import Checkpoint
from bastion.checkpoints.services import OccupantIn, checkpoint_create, passage_register
from bastion.screening.models import HighRiskArea
from bastion.testing import Personas, Tree, person_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 1 February 2020, 10:00 Beijing time: the day shift (08–16).
NOW = datetime(2020, 2, 1, 10, 0, tzinfo=SHANGHAI)
DAY = date(2020, 2, 1)

# Synthetic valid ID numbers (DOMAIN.md).
ID_DRIVER = "430202199001010011"
ID_PASSENGER = "430281198503150023"
ID_THIRD = "43022319700708003X"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of February 2020, Beijing time."""
    return datetime(2020, 2, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def zhuzhou_west(tree: Tree, personas: Personas) -> Checkpoint:
    """株洲西收费站卡点 under 天元区 (code 430211000000K001, as in the demo)."""
    return checkpoint_create(
        actor=personas.county_officer,
        parent=tree.tianyuan,
        name="株洲西收费站卡点",
        kind="toll_station",
        place="沪昆高速株洲西收费站出口",
        person_in_charge="刘队长",
        phone="139 0733 0101",
        serving_kinds=["police", "health", "transport"],
    )


@pytest.fixture
def hetang_checkpoint(tree: Tree, personas: Personas) -> Checkpoint:
    """A checkpoint of 荷塘区: outside 天元区's jurisdiction."""
    return checkpoint_create(
        actor=personas.commander, parent=tree.hetang, name="荷塘高速出口卡点", kind="road"
    )


@pytest.fixture
def officer(zhuzhou_west: Checkpoint) -> User:
    """The `checkpoint` persona: a checkpoint officer of 株洲西收费站卡点."""
    return person_of("officer", Role.CHECKPOINT_OFFICER, zhuzhou_west.unit, display_name="卡点民警")


@pytest.fixture
def hetang_officer(hetang_checkpoint: Checkpoint) -> User:
    return person_of("hetang_officer", Role.CHECKPOINT_OFFICER, hetang_checkpoint.unit)


@pytest.fixture
def wuhan(db: Any) -> HighRiskArea:
    area, _ = HighRiskArea.objects.get_or_create(
        name="湖北省武汉市",
        defaults={"province": "湖北省", "city": "武汉市", "active_from": date(2020, 1, 23)},
    )
    return area


@pytest.fixture
def register(zhuzhou_west: Checkpoint, officer: User, tree: Tree) -> Any:
    """`register(occupants=[...], **fields)`: a passage at 株洲西 by its officer at NOW."""

    def make(**fields: Any) -> Any:
        fields.setdefault("occupants", [OccupantIn(name="司机", temperature="36.5")])
        fields.setdefault("plate", "湘B12345")
        fields.setdefault("client_uuid", uuid.uuid4())
        fields.setdefault("destination", tree.yuetang)
        fields.setdefault("now", NOW)
        passage, _created = passage_register(actor=officer, checkpoint=zhuzhou_west, **fields)
        return passage

    return make
