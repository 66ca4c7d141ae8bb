"""Fixtures of the observation tests: a returnee family in 月塘, a neighbour in 栗雨, and a
clock. Everything happens in Beijing time around the 2020 Spring Festival.

`at(day, "HH:MM")` is an aware instant; `start(person, ...)` starts an observation as the
village worker did at a given moment.
"""

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bastion.observation.models import Observation
from bastion.observation.services import checkin_record, observation_start
from bastion.people.models import Person
from bastion.people.services import person_create
from bastion.testing import Personas, Tree

BEIJING = ZoneInfo("Asia/Shanghai")
ID_ZHANGSAN = "430202199001010011"
ID_LISI = "430281198503150023"


def at(day: date, clock: str = "09:00") -> datetime:
    hours, minutes = clock.split(":")
    return datetime(day.year, day.month, day.day, int(hours), int(minutes), tzinfo=BEIJING)


@pytest.fixture
def zhangsan(tree: Tree, personas: Personas) -> Person:
    """张三 came back from Wuhan to 月塘 on 25 Jan; he lives with his wife and his son."""
    return person_create(
        actor=personas.commander,
        unit=tree.yuetang,
        name="张三",
        id_number=ID_ZHANGSAN,
        mobile="13800138000",
        address="月塘路 1 号",
    )


@pytest.fixture
def family(zhangsan: Person, personas: Personas) -> list[Person]:
    home = zhangsan.household
    wife = person_create(
        actor=personas.commander, unit=None, household=home, name="王芳", care_tags=["is_pregnant"]
    )
    son = person_create(actor=personas.commander, unit=None, household=home, name="张小明")
    return [zhangsan, wife, son]


@pytest.fixture
def lisi(tree: Tree, personas: Personas) -> Person:
    """李四 of 栗雨居委会, the neighbouring village."""
    return person_create(
        actor=personas.commander,
        unit=tree.liyujuwei,
        name="李四",
        id_number=ID_LISI,
        address="栗雨路 8 号",
    )


@pytest.fixture
def start(personas: Personas) -> Any:
    """`start(person, start_date=..., now=..., **options)` as the village worker."""

    def make(
        person: Person,
        *,
        start_date: date = date(2020, 1, 25),
        now: datetime | None = None,
        actor: Any = None,
        **options: Any,
    ) -> Observation:
        started = observation_start(
            actor=actor or personas.village_worker,
            person=person,
            kind=options.pop("kind", "home"),
            start_date=start_date,
            now=now or at(start_date, "08:00"),
            **options,
        )
        return started.observations[0]

    return make


@pytest.fixture
def observation(zhangsan: Person, start: Any) -> Observation:
    """张三's home observation: day 1 is 25 Jan, the last day 7 Feb; started at 08:00."""
    return start(zhangsan)


@pytest.fixture
def check(personas: Personas) -> Any:
    """`check(observation, temperature, when, **fields)`: a visit check-in by the worker."""

    def make(observation: Observation, temperature: Any, when: datetime, **fields: Any) -> Any:
        obs = Observation.objects.select_related("policy", "person", "unit").get(pk=observation.pk)
        checkin, _created = checkin_record(
            observation=obs,
            client_uuid=fields.pop("client_uuid", uuid.uuid4()),
            source=fields.pop("source", "visit"),
            temperature=temperature,
            site=fields.pop("site", "armpit"),
            measured_at=when,
            actor=fields.pop("actor", None),
            now=fields.pop("now", when),
            **fields,
        )
        return checkin

    return make
