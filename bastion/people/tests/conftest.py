"""Fixtures of the person registry tests: a few registered persons in the shared small tree."""

from typing import Any

import pytest

from bastion.people.models import Person
from bastion.people.services import person_create
from bastion.testing import Personas, Tree

# Synthetic valid ID numbers (DOMAIN.md): a man born 1990-01-01, a woman born 1985-03-15 and
# a man born 1970-07-08 whose check character is X.
ID_ZHANGSAN = "430202199001010011"
ID_LISI = "430281198503150023"
ID_WANGWU = "43022319700708003X"


@pytest.fixture
def register(personas: Personas) -> Any:
    """`register(unit=..., name=..., **fields)`: a person registered by the city commander."""

    def make(**fields: Any) -> Person:
        return person_create(actor=personas.commander, **fields)

    return make


@pytest.fixture
def zhangsan(tree: Tree, register: Any) -> Person:
    """张三 of 月塘居委会, the village worker's village."""
    return register(
        unit=tree.yuetang,
        name="张三",
        id_number=ID_ZHANGSAN,
        mobile="138 0013 8000",
        address="月塘路 1 号",
    )


@pytest.fixture
def lisi(tree: Tree, register: Any) -> Person:
    """李四 of 栗雨居委会, the neighbouring village."""
    return register(
        unit=tree.liyujuwei,
        name="李四",
        id_number=ID_LISI,
        mobile="13900139000",
        address="栗雨路 8 号",
        care_tags=["is_pregnant"],
    )
