"""Facts for the dashboard tests, written straight to the tables (the apps' services are tested
in their apps; here only the figures matter). No tests in this module.

The clock is the real one: "today" facts happen at 00:01 local time, "yesterday" facts at
noon, so that they are in the past whenever the test runs (but in the first minute of a day).
"""

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from bastion.checkpoints.models import Checkpoint, PassengerCheck, Shift, VehiclePassage
from bastion.community.models import DisinfectionRun, Site
from bastion.observation.models import Alert, CheckIn, Observation, Policy
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Person
from bastion.screening.models import Signal
from bastion.supplies.models import Item, Stock, StockMovement
from bastion.testing import Personas, Tree, unit

_seq = itertools.count(1)


def today() -> date:
    return timezone.localdate()


def at(day: date, clock: time = time(12, 0)) -> datetime:
    return datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())


def early(day: date) -> datetime:
    """00:01 of `day`: in the past for a test that runs later that day."""
    return at(day, time(0, 1))


@dataclass
class Facts:
    actor: Any
    policy: Policy = field(init=False)

    def __post_init__(self) -> None:
        self.policy = Policy.objects.create(
            version=1, name="测试策略", effective_from=date(2020, 1, 1)
        )

    def person(self, where: OrgUnit) -> Person:
        return Person.objects.create(name=f"测试{next(_seq)}", unit=where, unit_code=where.code)

    def observation(
        self, where: OrgUnit, started: datetime, ended: datetime | None = None, status: str = ""
    ) -> Observation:
        day = timezone.localdate(started)
        return Observation.objects.create(
            person=self.person(where),
            unit=where,
            unit_code=where.code,
            policy=self.policy,
            start_date=day,
            planned_end=day + timedelta(days=13),
            status=status or ("completed" if ended else "active"),
            started_at=started,
            ended_at=ended,
        )

    def checkin(self, obs: Observation, when: datetime, *, fever: bool = False) -> CheckIn:
        return CheckIn.objects.create(
            observation=obs,
            unit_code=obs.unit_code,
            day=timezone.localdate(when),
            slot="morning",
            measured_at=when,
            temperature=Decimal("38.1") if fever else Decimal("36.5"),
            source="visit",
            is_fever=fever,
            client_uuid=uuid.uuid4(),
        )

    def alert(self, obs: Observation, kind: str, when: datetime, status: str = "open") -> Alert:
        return Alert.objects.create(
            observation=obs,
            unit_code=obs.unit_code,
            kind=kind,
            status=status,
            day=timezone.localdate(when),
            slot="morning" if kind == "missed" else "",
            raised_at=when,
        )

    def signal(
        self, where: OrgUnit, found: datetime, *, source: str = "sweep", status: str = "new"
    ) -> Signal:
        return Signal.objects.create(
            unit=where,
            unit_code=where.code,
            subject_name="某人",
            source=source,
            reason="测试",
            found_at=found,
            status=status,
        )

    def checkpoint(self, parent: OrgUnit) -> Checkpoint:
        n = next(_seq)
        code = f"{parent.code}K{n:03d}"
        cp_unit = OrgUnit.objects.create(
            code=code,
            scope_prefix=code,
            name=f"测试卡点{n}",
            level=parent.level,
            kind=Kind.CHECKPOINT,
            parent=parent,
            depth=parent.depth + 1,
        )
        return Checkpoint.objects.create(unit=cp_unit, unit_code=code, kind="road")

    def passage(self, cp: Checkpoint, when: datetime, *, persons: int = 1, fevers: int = 0) -> None:
        passage = VehiclePassage.objects.create(
            checkpoint=cp,
            unit_code=cp.unit_code,
            plate=f"湘B{next(_seq):05d}",
            vehicle_kind="car",
            purpose="return_home",
            disposition="released",
            occurred_at=when,
            recorded_by=self.actor,
            client_uuid=uuid.uuid4(),
        )
        PassengerCheck.objects.bulk_create(
            PassengerCheck(
                passage=passage,
                unit_code=cp.unit_code,
                position=i + 1,
                name="乘客",
                temperature=Decimal("38.0") if i < fevers else Decimal("36.4"),
                is_fever=i < fevers,
                decision="pass",
                occurred_at=when,
            )
            for i in range(persons)
        )

    def shift(self, cp: Checkpoint, day: date) -> Shift:
        """Today's day shift with nobody on it: below its minimums."""
        return Shift.objects.create(
            checkpoint=cp,
            unit_code=cp.unit_code,
            day=day,
            slot="day",
            label="白班",
            starts_at=at(day, time(8)),
            ends_at=at(day, time(16)),
        )

    def site(self, where: OrgUnit, *, since: date) -> Site:
        """A site due once a day by 00:00: overdue all day until its run is recorded."""
        return Site.objects.create(
            unit=where,
            unit_code=where.code,
            name=f"点位{next(_seq)}",
            kind="public_toilet",
            runs_per_day=1,
            times=["00:00"],
            active_from=since,
        )

    def run(self, site: Site, when: datetime) -> DisinfectionRun:
        return DisinfectionRun.objects.create(
            site=site,
            unit_code=site.unit_code,
            done_at=when,
            done_on=timezone.localdate(when),
            agent="chlorine_84",
            concentration=Decimal("500"),
            concentration_unit="mg/L",
            operator="保洁员",
            client_uuid=uuid.uuid4(),
        )

    def stock(self, where: OrgUnit, *, on_hand: int, minimum: int) -> None:
        item, _ = Item.objects.get_or_create(
            name="医用外科口罩", defaults={"category": "mask", "measure": "piece"}
        )
        Stock.objects.create(unit=where, unit_code=where.code, item=item, minimum=minimum)
        StockMovement.objects.create(
            unit=where,
            unit_code=where.code,
            item=item,
            kind="receipt",
            source="purchase",
            quantity=on_hand,
            delta=on_hand,
            actor=self.actor,
            occurred_at=early(today() - timedelta(days=1)),
            client_uuid=uuid.uuid4(),
        )


@dataclass
class Scene:
    """What the fixture built, for the assertions."""

    tree: Tree
    songshan: OrgUnit  # a second township of 天元区, with nothing happening in it
    checkpoint: Checkpoint  # 栗雨街道's checkpoint, a child unit of the township
    site: Site


@pytest.fixture
def facts(personas: Personas) -> Facts:
    return Facts(actor=personas.commander)


@pytest.fixture
def scene(tree: Tree, personas: Personas, facts: Facts) -> Scene:
    """天元区: 栗雨街道 (月塘居委会, 栗雨居委会, a checkpoint) and 嵩山路街道 (quiet); 荷塘区's
    文化路社区 has facts too, outside 天元区.

    月塘: 3 observations since 6 days ago, one of them completed yesterday noon; a fever today
    (check-in and open alert) and an open missed alert; signals: 2 today by sweep, 1 handed
    over by a checkpoint today (still open), 1 yesterday.
    栗雨居委会: 1 observation since 6 days ago, an overdue site, masks below the minimum.
    Checkpoint: today 2 vehicles with 3 persons (1 fever), yesterday 1 vehicle with 1 person;
    today's day shift has nobody on it.
    """
    t = today()
    y = t - timedelta(days=1)
    songshan = unit("430211004000", "嵩山路街道", Level.TOWNSHIP, tree.tianyuan)
    unit("430211004001", "嵩山社区", Level.VILLAGE, songshan)
    six_days_ago = at(t - timedelta(days=6))
    obs = [facts.observation(tree.yuetang, six_days_ago) for _ in range(2)]
    facts.observation(tree.yuetang, six_days_ago, ended=at(y))
    facts.observation(tree.liyujuwei, six_days_ago)
    facts.checkin(obs[0], early(t), fever=True)
    facts.checkin(obs[1], early(t))
    facts.alert(obs[0], "fever", early(t))
    facts.alert(obs[1], "missed", early(t))
    facts.signal(tree.yuetang, early(t))
    facts.signal(tree.yuetang, early(t))
    facts.signal(tree.yuetang, early(t), source="checkpoint")
    facts.signal(tree.yuetang, at(y), status="cleared")
    cp = facts.checkpoint(tree.liyu)
    facts.passage(cp, early(t), persons=2, fevers=1)
    facts.passage(cp, early(t), persons=1)
    facts.passage(cp, at(y), persons=1)
    facts.shift(cp, t)
    site = facts.site(tree.liyujuwei, since=y)
    facts.stock(tree.liyujuwei, on_hand=10, minimum=100)
    # 荷塘区, another county: never in 天元区's figures.
    facts.signal(tree.wenhualu, early(t))
    facts.observation(tree.wenhualu, six_days_ago)
    return Scene(tree=tree, songshan=songshan, checkpoint=cp, site=site)
