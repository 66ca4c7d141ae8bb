"""Fixtures of the export tests: persons in 月塘 (the village worker's), 栗雨 (the neighbour's)
and 文化路 (another county), and a throwaway media directory for the files."""

from pathlib import Path
from typing import Any

import pytest

from bastion.accounts.models import Membership
from bastion.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from bastion.people.models import Person
from bastion.people.services import person_create
from bastion.testing import Personas, Tree, person_of

ID_ZHANGSAN = "430202199001010011"
ID_LISI = "430281198503150023"
ID_WANGWU = "43022319700708003X"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def people(tree: Tree, personas: Personas) -> dict[str, Person]:
    make = person_create
    return {
        "zhangsan": make(
            actor=personas.commander,
            unit=tree.yuetang,
            name="张三",
            id_number=ID_ZHANGSAN,
            mobile="13800138000",
            address="月塘路 1 号",
        ),
        "lisi": make(
            actor=personas.commander,
            unit=tree.liyujuwei,
            name="李四",
            id_number=ID_LISI,
            mobile="13900139000",
            address="栗雨路 8 号",
        ),
        "wangwu": make(
            actor=personas.commander,
            unit=tree.wenhualu,
            name="王五",
            id_number=ID_WANGWU,
            address="文化路 3 号",
        ),
    }


@pytest.fixture
def no_reveal_worker(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A health worker of 月塘 whose role, in this deployment, may export but not reveal."""
    caps = ROLE_CAPABILITIES[Role.HEALTH_WORKER] - {Capability.REVEAL_PERSONAL_DATA}
    monkeypatch.setitem(ROLE_CAPABILITIES, Role.HEALTH_WORKER, caps)
    user = person_of("nurse", Role.HEALTH_WORKER, tree.yuetang)
    assert Membership.objects.filter(user=user).count() == 1
    return user
