"""Fixtures of the community tests: a fixed clock, a toilet to disinfect, a gathering to record.

The clock is 2020-01-30 15:00 in Zhuzhou (the sixth day of the first-level response): services
and selectors take it as `now=`, so overdue rules are tested without mocking time.
"""

import uuid
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bastion.community.checklists import checklist_of
from bastion.community.models import DisinfectionRun, Gathering, Site, SiteKind
from bastion.community.services import gathering_create, run_record, site_create
from bastion.people.models import Person
from bastion.people.services import person_create
from bastion.testing import Personas, Tree

ZHUZHOU = ZoneInfo("Asia/Shanghai")
TODAY = date(2020, 1, 30)
NOW = datetime.combine(TODAY, time(15, 0), tzinfo=ZHUZHOU)
TOILET_DONE = {"floor": True, "squat_pans": True, "door_handles": True, "taps": True}
TOILET_ALL = {**TOILET_DONE, "surroundings": True}


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZHUZHOU)


@pytest.fixture
def toilet(tree: Tree, personas: Personas) -> Site:
    """月塘公厕: disinfected by 08:00 and by 14:00 every day, from yesterday on."""
    return site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="月塘公厕",
        kind=SiteKind.PUBLIC_TOILET,
        times=["08:00", "14:00"],
        responsible_team="月塘社区保洁班",
        now=at(9, day=date(2020, 1, 29)),
    )


@pytest.fixture
def neighbour_bins(tree: Tree, personas: Personas) -> Site:
    """栗雨居委会's bins: two runs a day, spread over the working day (by 14:00 and 22:00)."""
    return site_create(
        actor=personas.neighbour_worker,
        unit=tree.liyujuwei,
        name="栗雨垃圾桶点",
        kind=SiteKind.BIN_CLUSTER,
        runs_per_day=2,
        now=at(9, day=date(2020, 1, 29)),
    )


@pytest.fixture
def run_at(personas: Personas) -> Any:
    """`run_at(site, when, actor=None, **fields)`: a run with the full checklist of the site."""

    def make(site: Site, when: datetime, actor: Any = None, **fields: Any) -> DisinfectionRun:
        checklist = fields.pop("checklist", {i.code: True for i in checklist_of(site.kind)})
        run, _created = run_record(
            actor=actor or personas.village_worker,
            site=site,
            agent=fields.pop("agent", "chlorine_84"),
            concentration=fields.pop("concentration", "1000"),
            checklist=checklist,
            client_uuid=fields.pop("client_uuid", uuid.uuid4()),
            done_at=when,
            now=fields.pop("now", when),
            **fields,
        )
        return run

    return make


@pytest.fixture
def record_gathering(tree: Tree, personas: Personas) -> Any:
    """`record_gathering(**fields)`: a wedding in 月塘 recorded by the village worker."""

    def make(**fields: Any) -> Gathering:
        values: dict[str, Any] = {
            "actor": personas.village_worker,
            "unit": tree.yuetang,
            "host_name": "刘建国",
            "kind": "wedding",
            "planned_date": date(2020, 2, 8),
            "expected_guests": 120,
            "now": NOW,
        }
        gathering, _created = gathering_create(**(values | fields))
        return gathering

    return make


@pytest.fixture
def villager(tree: Tree, personas: Personas) -> Person:
    return person_create(
        actor=personas.commander,
        unit=tree.yuetang,
        name="张三",
        id_number="430202199001010011",
        mobile="13800138000",
    )


@pytest.fixture
def neighbour_villager(tree: Tree, personas: Personas) -> Person:
    return person_create(
        actor=personas.commander,
        unit=tree.liyujuwei,
        name="李四",
        id_number="430281198503150023",
        mobile="13900139000",
    )
