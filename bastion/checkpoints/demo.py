"""Demo data of the checkpoints app: the article's checkpoints, a week of shifts and traffic.

- 株洲西收费站卡点 (天元区, 430211000000K001): the unit the `checkpoint` demo login belongs to
  gets its checkpoint record;
- 醴陵市's 7 highway interchanges (醴陵市公安局交警大队: "三班24小时勤务制度 … 奔赴全市7个高速公路
  互通口");
- 炎陵县中村瑶族乡's entrance ("24小时轮班值守，对入境车辆进行登记，对乘车人员测量体温").

Call `demo_checkpoints(rng)` after the demo logins exist (it registers as the `checkpoint`
login). Dates are relative to today, so the officer's screen shows the current shift's work.
Running it twice adds nothing.
"""

import random
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from bastion.accounts.models import User
from bastion.checkpoints.models import Checkpoint, Decision, PassengerCheck, Shift
from bastion.checkpoints.selectors.origins import COMMON_ORIGINS
from bastion.checkpoints.selectors.rosters import week_start
from bastion.checkpoints.services import (
    OccupantIn,
    assignment_add,
    attendance_check_in,
    attendance_check_out,
    checkpoint_attach,
    checkpoint_create,
    passage_register,
    shifts_ensure,
)
from bastion.core.validators import id_check_char
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.orgs.services import unit_create
from bastion.screening.models import SignalStatus
from bastion.screening.services import signal_transition

ZHUZHOU_WEST = "430211000000K001"
TIANYUAN = "430211000000"
LILING = "430281000000"
ZHONGCUN = "430225209000"
LIYU = "430211003"

LILING_INTERCHANGES = [
    ("醴陵东互通口卡点", "沪昆高速醴陵东收费站出口"),
    ("醴陵西互通口卡点", "沪昆高速醴陵西收费站出口"),
    ("醴陵北互通口卡点", "醴茶高速醴陵北收费站出口"),
    ("醴陵南互通口卡点", "醴茶高速醴陵南收费站出口"),
    ("泗汾互通口卡点", "莆炎高速泗汾收费站出口"),
    ("白兔潭互通口卡点", "莆炎高速白兔潭收费站出口"),
    ("王仙互通口卡点", "醴茶高速王仙收费站出口"),
]
SAFE = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
PREFIXES = ["湘B"] * 14 + ["湘A"] * 3 + ["湘C"] * 2 + ["鄂A", "赣J", "粤B", "浙C"]
ID_AREAS = ["430211", "430281", "430225", "430202", "430102", "420106", "421102", "360302"]
PURPOSES = ["return_home"] * 6 + ["work"] * 3 + ["visit", "freight", "supplies", "official"]
KINDS = ["car"] * 8 + ["van", "truck", "bus", "motorcycle"]


def _id_number(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    first17 = f"{rng.choice(ID_AREAS)}{born:%Y%m%d}{rng.randrange(1, 999):03d}"
    return first17 + id_check_char(first17)


def _plate(rng: random.Random) -> str:
    if rng.random() < 0.1:  # a new-energy plate: D or F, then 5 digits
        return "湘B" + rng.choice("DF") + "".join(rng.choice("0123456789") for _ in range(5))
    return rng.choice(PREFIXES) + "".join(rng.choice(SAFE) for _ in range(5))


def _units(*codes: str) -> dict[str, OrgUnit]:
    return {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}


def _set_up(planner: Any) -> list[Checkpoint]:
    units = _units(ZHUZHOU_WEST, TIANYUAN, LILING, ZHONGCUN)
    checkpoints = []
    if ZHUZHOU_WEST in units:
        checkpoints.append(
            checkpoint_attach(
                actor=planner,
                unit=units[ZHUZHOU_WEST],
                kind="toll_station",
                place="沪昆高速株洲西收费站出口",
                responsible_unit=units.get(TIANYUAN),
                person_in_charge="刘建军",
                phone="13907331001",
                serving_kinds=["police", "health", "transport", "volunteer"],
                minimum_total=3,
                minimum_by_kind={"police": 1, "health": 1},
            )
        )
    elif TIANYUAN in units:
        checkpoints.append(
            checkpoint_create(
                actor=planner,
                parent=units[TIANYUAN],
                name="株洲西收费站卡点",
                kind="toll_station",
                place="沪昆高速株洲西收费站出口",
                aliases="株洲西",
            )
        )
    if LILING in units:
        traffic_police = unit_create(
            parent=units[LILING], name="醴陵市公安局交警大队", kind=Kind.DEPARTMENT
        )
        for n, (name, place) in enumerate(LILING_INTERCHANGES, start=1):
            checkpoints.append(
                checkpoint_create(
                    actor=planner,
                    parent=units[LILING],
                    name=name,
                    kind="highway_interchange",
                    place=place,
                    responsible_unit=traffic_police,
                    person_in_charge=f"交警大队{n}中队",
                    phone=f"1390733{2000 + n:04d}",
                    serving_kinds=["police", "health", "transport"],
                )
            )
    if ZHONGCUN in units:
        checkpoints.append(
            checkpoint_create(
                actor=planner,
                parent=units[ZHONGCUN],
                name="中村瑶族乡入境卡点",
                kind="village_entrance",
                place="中村瑶族乡入口",
                responsible_unit=units[ZHONGCUN],
                person_in_charge="乡党委值班干部",
                phone="13907333001",
                serving_kinds=["police", "health", "township", "volunteer"],
                minimum_by_kind={"police": 1, "health": 1, "township": 1},
                minimum_total=3,
            )
        )
    return checkpoints


def _staff(
    rng: random.Random,
    fake: Faker,
    checkpoint: Checkpoint,
    shifts: list[Shift],
    officer: Any,
    now: datetime,
) -> int:
    """Named people per service, rotating through the three shifts; at 株洲西 the demo officer
    works day shifts, and one health worker is on night and day shifts back to back (16 hours
    in 24: the roster shows it)."""
    # Distinct names: Faker repeats common names, and one person cannot stand twice in one
    # shift (which names repeat depends on how many shifts lie around the demo's clock).
    seen: set[str] = set()

    def distinct_names(count: int) -> list[str]:
        picked: list[str] = []
        while len(picked) < count:
            name = fake.name()
            if name not in seen:
                seen.add(name)
                picked.append(name)
        return picked

    pool = {
        kind: distinct_names(size)
        for kind, size in (("police", 4), ("health", 4), ("transport", 3), ("volunteer", 4))
    }
    if checkpoint.kind == "village_entrance":
        pool["township"] = distinct_names(3)
    made = 0
    for n, shift in enumerate(shifts):
        for kind, names in pool.items():
            if rng.random() < 0.08:
                continue  # a gap the roster must show
            name = names[n % len(names)]
            account = None
            if checkpoint.unit_code == ZHUZHOU_WEST and kind == "police" and shift.slot == "day":
                if officer is None:
                    continue
                account = officer
            a = assignment_add(
                actor=None,
                shift=shift,
                staff_kind=kind,
                user=account,
                person_name="" if account else name,
            )
            made += 1
            # Who came to the shifts that have begun: nearly everyone, a little early.
            if shift.starts_at <= now and rng.random() < 0.95:
                attendance_check_in(
                    actor=None,
                    assignment=a,
                    now=shift.starts_at - timedelta(minutes=rng.randint(0, 30)),
                )
                if shift.ends_at <= now:
                    attendance_check_out(
                        actor=None,
                        assignment=a,
                        now=shift.ends_at + timedelta(minutes=rng.randint(0, 20)),
                    )
        if checkpoint.unit_code == ZHUZHOU_WEST and shift.slot == "night" and n % 6 == 0:
            # the same doctor on the following day shift: 16 hours in 24
            following = shifts[n + 1] if n + 1 < len(shifts) else None
            if following is not None:
                doctor = pool["health"][n % len(pool["health"])]
                assignment_add(actor=None, shift=following, staff_kind="health", person_name=doctor)
                made += 1
    return made


def _occupants(rng: random.Random, fake: Faker, origin: str) -> list[OccupantIn]:
    count = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
    fever_at = rng.randrange(count) if rng.random() < 0.04 else None
    from_hubei = origin.startswith("湖北")
    people = []
    for i in range(count):
        if i == fever_at:
            temperature, decision = f"{rng.uniform(37.3, 38.9):.1f}", Decision.REFER_FEVER_POINT
        else:
            temperature = f"{rng.uniform(35.9, 37.1):.1f}"
            decision = Decision.PASS_AND_HAND_OVER if from_hubei else Decision.PASS
        no_reason = ""
        if i > 0 and fever_at is None and rng.random() < 0.03:
            temperature, no_reason = "", "婴儿熟睡，未测体温"
        people.append(
            OccupantIn(
                name=fake.name(),
                id_number=_id_number(rng) if rng.random() < 0.95 else "",
                phone=f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" if i == 0 else "",
                temperature=temperature or None,
                no_temperature_reason=no_reason,
                decision=decision,
            )
        )
    return people


def _traffic(
    rng: random.Random,
    fake: Faker,
    checkpoint: Checkpoint,
    shifts: list[Shift],
    villages: list[OrgUnit],
    officer: Any,
    now: datetime,
) -> int:
    busy = checkpoint.unit_code == ZHUZHOU_WEST
    made = 0
    if not villages:
        return made
    for shift in shifts:
        if shift.starts_at >= now or shift.starts_at < now - timedelta(days=6, hours=20):
            continue
        end = min(shift.ends_at, now)
        for _ in range(rng.randint(3, 7) if busy else rng.randint(0, 3)):
            seconds = int((end - shift.starts_at).total_seconds())
            when = shift.starts_at + timedelta(seconds=rng.randrange(max(seconds, 1)))
            origin = rng.choice(COMMON_ORIGINS) if rng.random() < 0.8 else ""
            occupants = _occupants(rng, fake, origin)
            if rng.random() < 0.03:
                occupants = [
                    o
                    if o.decision == Decision.REFER_FEVER_POINT
                    else replace(o, decision="turn_back")
                    for o in occupants
                ]
            passage_register(
                actor=officer,
                checkpoint=checkpoint,
                client_uuid=uuid.UUID(int=rng.getrandbits(128)),
                plate=_plate(rng),
                vehicle_kind=rng.choice(KINDS),
                origin=origin,
                destination=rng.choice(villages),
                purpose=rng.choice(PURPOSES),
                occupants=occupants,
                occurred_at=when,
                now=now,
            )
            made += 1
    return made


def _take_up(rng: random.Random, checkpoints: list[Checkpoint], now: datetime) -> None:
    """The villages took most older hand-overs up, after minutes to hours (the latency the
    report shows); the newest stay open in their inboxes."""
    handed = PassengerCheck.objects.filter(
        passage__checkpoint__in=checkpoints, signal__isnull=False
    ).select_related("signal")
    for o in handed:
        signal = o.signal
        if signal is None or signal.found_at > now - timedelta(hours=10) or rng.random() < 0.15:
            continue
        signal_transition(
            actor=None,
            signal=signal,
            to_status=SignalStatus.UNDER_OBSERVATION,
            note="卡点移交，已落实居家医学观察",
            now=signal.found_at + timedelta(minutes=rng.randint(15, 360)),
        )


@transaction.atomic
def demo_checkpoints(rng: random.Random) -> dict[str, int]:
    """Checkpoints, a week of shifts with their staff, and a week of traffic (see the module
    docstring). Returns counts."""
    if Checkpoint.objects.exists():
        return {"checkpoints": 0, "assignments": 0, "passages": 0}
    fake = Faker("zh_CN")
    fake.seed_instance(rng.randrange(2**32))
    officer = User.objects.filter(username="checkpoint").first()
    planner = User.objects.filter(username="tianyuan").first()
    # Elsewhere the city command's account records: the demo has no login per checkpoint.
    recorder = User.objects.filter(username="city").first() or officer
    now = timezone.now()
    today = timezone.localdate(now)
    start = min(week_start(today), today - timedelta(days=6))
    days = (week_start(today) + timedelta(days=7) - start).days
    checkpoints = _set_up(planner)
    assignments = passages = 0
    for checkpoint in checkpoints:
        shifts = shifts_ensure(checkpoint=checkpoint, start=start, days=days)
        assignments += _staff(rng, fake, checkpoint, shifts, officer, now)
        here = checkpoint.unit_code == ZHUZHOU_WEST
        actor = officer if here else recorder
        if actor is None:
            continue
        if here:
            prefix = LIYU
        else:
            prefix = checkpoint.unit.parent.scope_prefix if checkpoint.unit.parent else "4302"
        villages = list(
            OrgUnit.objects.filter(
                code__startswith=prefix, level=Level.VILLAGE, kind=Kind.TERRITORIAL
            ).order_by("code")
        )
        villages = rng.sample(villages, min(len(villages), 8))
        passages += _traffic(rng, fake, checkpoint, shifts, villages, actor, now)
    _take_up(rng, checkpoints, now)
    return {"checkpoints": len(checkpoints), "assignments": assignments, "passages": passages}
