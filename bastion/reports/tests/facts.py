"""Facts for the report tests, written straight to the tables with only the fields a report
reads, so that every expected figure can be computed by hand from the test body.

All times are Beijing time: `at(date(2020, 2, 9), "23:59")`.
"""

import itertools
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bastion.accounts.models import User
from bastion.checkpoints.models import Checkpoint, PassengerCheck, VehiclePassage
from bastion.community.models import DisinfectionRun, Gathering, Site
from bastion.mobilisation.models import Assignment, Member, WorkLog
from bastion.observation.models import Alert, Case, CheckIn, Observation, Policy
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Household, Person
from bastion.screening.models import HouseholdVisit, Signal, Sweep
from bastion.supplies.models import Donation, Item, StockMovement

BEIJING = ZoneInfo("Asia/Shanghai")
DAY = date(2020, 2, 9)
_seq = itertools.count(1)


def at(day: date, clock: str = "09:00") -> datetime:
    hours, minutes = clock.split(":")
    return datetime(day.year, day.month, day.day, int(hours), int(minutes), tzinfo=BEIJING)


def grid(village: OrgUnit, number: int = 1) -> OrgUnit:
    code = f"{village.code}G{number:02d}"
    return OrgUnit.objects.create(
        code=code,
        scope_prefix=code,
        name=f"{village.name}第{number}网格",
        level=Level.GRID,
        kind=Kind.TERRITORIAL,
        parent=village,
        depth=village.depth + 1,
    )


def attached(parent: OrgUnit, kind: str = Kind.CHECKPOINT, number: int = 1) -> OrgUnit:
    letter = {Kind.CHECKPOINT: "K", Kind.DEPARTMENT: "D"}[kind]
    code = f"{parent.code}{letter}{number:03d}"
    return OrgUnit.objects.create(
        code=code,
        scope_prefix=code,
        name=f"{parent.name}{letter}{number}",
        level=parent.level,
        kind=kind,
        parent=parent,
        depth=parent.depth + 1,
    )


def person(unit: OrgUnit) -> Person:
    n = next(_seq)
    return Person.objects.create(name=f"人员{n}", unit=unit, unit_code=unit.code)


def signal(unit: OrgUnit, found: datetime, handled: datetime | None = None, **kw: Any) -> Signal:
    status = kw.pop("status", "under_observation" if handled else "new")
    seconds = int((handled - found).total_seconds()) if handled else None
    return Signal.objects.create(
        unit=unit,
        unit_code=unit.code,
        source="sweep",
        reason="返乡",
        found_at=found,
        handled_at=handled,
        handling_seconds=seconds,
        status=status,
        **kw,
    )


def policy() -> Policy:
    return Policy.objects.get_or_create(
        version=1, county=None, defaults={"name": "默认", "effective_from": date(2020, 1, 1)}
    )[0]


def observation(
    unit: OrgUnit,
    started: datetime,
    *,
    ended: datetime | None = None,
    status: str = "active",
    kind: str = "home",
) -> Observation:
    return Observation.objects.create(
        person=person(unit),
        unit=unit,
        unit_code=unit.code,
        policy=policy(),
        kind=kind,
        start_date=started.date(),
        planned_end=date(2020, 3, 31),
        status=status,
        started_at=started,
        ended_at=ended,
    )


def checkin(
    obs: Observation,
    day: date,
    *,
    fever: bool = False,
    outcome: str = "cooperative",
    slot: str = "morning",
) -> CheckIn:
    return CheckIn.objects.create(
        observation=obs,
        unit_code=obs.unit_code,
        day=day,
        slot=slot,
        measured_at=at(day),
        temperature=Decimal("38.0") if fever else Decimal("36.5"),
        source="phone",
        outcome=outcome,
        is_fever=fever,
        client_uuid=uuid.uuid4(),
    )


def missed(obs: Observation, day: date, slot: str = "evening") -> Alert:
    return Alert.objects.create(
        observation=obs,
        unit_code=obs.unit_code,
        kind="missed",
        day=day,
        slot=slot,
        raised_at=at(day, "22:00"),
    )


def case(obs: Observation, detected: datetime, **times: datetime | None) -> Case:
    return Case.objects.create(
        observation=obs,
        person=obs.person,
        unit_code=obs.unit_code,
        detected_at=detected,
        reported_at=times.pop("reported_at", detected),
        referred_at=times.pop("referred_at", detected),
        referred_to="市中心医院发热门诊",
        **times,
    )


def household(unit: OrgUnit) -> Household:
    return Household.objects.create(unit=unit, unit_code=unit.code, address=f"路{next(_seq)}号")


def sweep(unit: OrgUnit, starts: date, ends: date) -> Sweep:
    return Sweep.objects.create(
        unit=unit,
        unit_code=unit.code,
        scope_prefix=unit.scope_prefix,
        name="第一轮",
        starts_on=starts,
        ends_on=ends,
    )


def visit(s: Sweep, home: Household, when: datetime, result: str = "visited") -> HouseholdVisit:
    return HouseholdVisit.objects.create(
        sweep=s, household=home, unit_code=home.unit_code, result=result, visited_at=when
    )


def checkpoint(unit: OrgUnit) -> Checkpoint:
    return Checkpoint.objects.create(unit=unit, unit_code=unit.code, kind="road")


def passage(
    cp: Checkpoint,
    when: datetime,
    decisions: list[str],
    *,
    fevers: int = 0,
    disposition: str = "released",
) -> VehiclePassage:
    recorder = User.objects.get_or_create(username="checkpoint-recorder")[0]
    p = VehiclePassage.objects.create(
        recorded_by=recorder,
        checkpoint=cp,
        unit_code=cp.unit_code,
        plate=f"湘B{next(_seq):05d}",
        vehicle_kind="car",
        purpose="return_home",
        disposition=disposition,
        occurred_at=when,
        client_uuid=uuid.uuid4(),
    )
    for i, decision in enumerate(decisions, start=1):
        PassengerCheck.objects.create(
            passage=p,
            unit_code=cp.unit_code,
            position=i,
            name=f"乘客{i}",
            temperature=Decimal("38.1") if i <= fevers else Decimal("36.4"),
            is_fever=i <= fevers,
            decision=decision,
            occurred_at=when,
        )
    return p


def gathering(unit: OrgUnit, on: date, outcome: str = "") -> Gathering:
    return Gathering.objects.create(
        unit=unit,
        unit_code=unit.code,
        host_name="王五",
        kind="wedding",
        planned_date=on,
        expected_guests=80,
        outcome=outcome,
        guest_limit=50,
    )


def site(unit: OrgUnit, runs_per_day: int, active_from: date) -> Site:
    return Site.objects.create(
        unit=unit,
        unit_code=unit.code,
        name=f"点位{next(_seq)}",
        kind="public_toilet",
        runs_per_day=runs_per_day,
        times=["10:00", "16:00"][:runs_per_day],
        active_from=active_from,
    )


def run(s: Site, when: datetime) -> DisinfectionRun:
    return DisinfectionRun.objects.create(
        site=s,
        unit_code=s.unit_code,
        done_at=when,
        done_on=when.astimezone(BEIJING).date(),
        agent="chlorine_84",
        concentration=Decimal("500"),
        operator="赵六",
        client_uuid=uuid.uuid4(),
    )


def item(category: str, name: str) -> Item:
    return Item.objects.get_or_create(
        name=name, defaults={"category": category, "measure": "piece"}
    )[0]


def movement(
    unit: OrgUnit,
    it: Item,
    kind: str,
    quantity: int,
    when: datetime,
    actor: User,
    donation: Donation | None = None,
) -> StockMovement:
    delta = -quantity if kind in ("issue", "transfer_out") else quantity
    return StockMovement.objects.create(
        unit=unit,
        unit_code=unit.code,
        item=it,
        kind=kind,
        quantity=quantity,
        delta=delta,
        occurred_at=when,
        client_uuid=uuid.uuid4(),
        actor=actor,
        donation=donation,
        source=("donation" if donation else "purchase") if kind == "receipt" else "",
    )


def donation(unit: OrgUnit, on: date, money: str, actor: User) -> Donation:
    return Donation.objects.create(
        unit=unit,
        unit_code=unit.code,
        donor_name="商会",
        donor_kind="soe",
        money=Decimal(money),
        donated_on=on,
        client_uuid=uuid.uuid4(),
        actor=actor,
    )


def member(unit: OrgUnit, *, party: bool = False, created: datetime | None = None) -> Member:
    return Member.objects.create(
        person=person(unit),
        unit=unit,
        unit_code=unit.code,
        is_party_member=party,
        created_at=created or at(date(2020, 1, 20)),
    )


def worklog(m: Member, day: date, hours: str, actor: User) -> WorkLog:
    return WorkLog.objects.create(
        member=m,
        unit_code=m.unit_code,
        day=day,
        hours=Decimal(hours),
        client_uuid=uuid.uuid4(),
        recorded_by=actor,
    )


def assignment(m: Member, starts: date, ends: date) -> Assignment:
    return Assignment.objects.create(
        member=m, unit_code=m.unit_code, duty="卡点值守", starts_on=starts, ends_on=ends
    )
