"""`dataset_build()`: the benchmark dataset of one tier on the real Zhuzhou tree.

Deterministic: the same seed and the same `today` give the same rows. Distributions follow
the article's winter: villages differ in size (lognormal), a tenth of them receive most of
the returnees, check-ins cluster at 07-09 and 18-20, checkpoint traffic follows the commute.
Rows are numbered here and written with `sink.rows_insert` (COPY on PostgreSQL), in one
transaction, never one ORM save per row.
"""

import random
import time
import uuid
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from bastion.accounts.models import Membership, User
from bastion.accounts.roles import Role
from bastion.benchmarks import synthetic as syn
from bastion.benchmarks.sink import bulk_load, next_id, rows_insert, sequences_reset
from bastion.benchmarks.tiers import Tier
from bastion.checkpoints.models import Checkpoint, PassengerCheck, VehiclePassage
from bastion.checkpoints.services.checkpoints import checkpoint_create
from bastion.observation.models import CheckIn, Observation
from bastion.observation.services.policies import policy_in_force
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.orgs.services import divisions_load
from bastion.people.models import Household, Person
from bastion.reports import rollups

BENCH_USER = "bench"
CITY = "430200000000"
PERSONS_PER_HOUSEHOLD = 3
PERIOD_DAYS = 14
SLOTS = (("morning", syn.MORNING), ("evening", syn.EVENING))
TRAFFIC_DAYS = 30
# Every day that holds facts: traffic goes back TRAFFIC_DAYS, check-ins of the observations
# that ended before today up to 2 × PERIOD_DAYS.
ROLLUP_DAYS = max(TRAFFIC_DAYS, 2 * PERIOD_DAYS) + 1
CHECKPOINTS = 52  # the article's count
OCCUPANTS = (1, 2, 3, 4, 5)
OCCUPANT_WEIGHTS = (35, 30, 20, 10, 5)  # mean 2.2, the passengers per vehicle
ORIGINS = ("湖北省武汉市", "湖北省黄冈市", "广东省深圳市", "湖南省长沙市", "江西省萍乡市", "")


class DatasetExists(Exception):  # noqa: N818 - the name says what the caller meets
    """The database holds a benchmark dataset already: build on a fresh one."""


@dataclass
class Built:
    tier: Tier
    seed: int
    today: date
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class _Villages:
    """Villages in code order, the person range each holds, and the returnee weights."""

    units: list[OrgUnit]
    first_person: list[int]  # person index where each village's range starts
    returnees: syn.Picker

    def of_person(self, i: int) -> OrgUnit:
        return self.units[bisect_right(self.first_person, i) - 1]

    def person_range(self, v: int, persons: int) -> tuple[int, int]:
        end = self.first_person[v + 1] if v + 1 < len(self.units) else persons
        return self.first_person[v], end


def _villages(rng: random.Random, households: int) -> _Villages:
    units = list(
        OrgUnit.objects.filter(
            kind=Kind.TERRITORIAL, level=Level.VILLAGE, code__startswith=CITY[:4]
        ).order_by("code")
    )
    sizes = syn.weights(rng, len(units), hot_share=0.0, hot_factor=1.0)
    total = sum(sizes)
    counts = [int(households * s / total) for s in sizes]
    counts[-1] += households - sum(counts)
    first, start = [], 0
    for c in counts:
        first.append(start * PERSONS_PER_HOUSEHOLD)
        start += c
    hot = syn.weights(rng, len(units), hot_share=0.1, hot_factor=8.0)
    # A village without people receives no returnee.
    hot = [h if c else 0.0 for h, c in zip(hot, counts, strict=True)]
    return _Villages(units, first, syn.Picker(list(range(len(units))), hot))


def _setup(today: date) -> tuple[User, list[Checkpoint], int]:
    """The bench account, the 52 checkpoints (spread over the counties) and the policy."""
    if User.objects.filter(username=BENCH_USER).exists():
        raise DatasetExists("数据库中已有基准数据，请在新的数据库上生成。")
    if not OrgUnit.objects.filter(code=CITY).exists():
        divisions_load()
    user = User.objects.create(username=BENCH_USER, first_name="基准测试")
    city = OrgUnit.objects.get(code=CITY)
    Membership.objects.create(user=user, unit=city, role=Role.CITY_COMMAND)
    counties = list(
        OrgUnit.objects.filter(kind=Kind.TERRITORIAL, level=Level.COUNTY, parent=city)
        .exclude(name="市辖区")
        .order_by("code")
    )
    kinds = ("highway_interchange", "toll_station", "road", "road", "village_entrance")
    checkpoints = [
        checkpoint_create(
            actor=user,
            parent=counties[n % len(counties)],
            name=f"{counties[n % len(counties)].short_name or counties[n % len(counties)].name}"
            f"第{n // len(counties) + 1}卡点",
            kind=kinds[n % len(kinds)],
        )
        for n in range(CHECKPOINTS)
    ]
    policy = policy_in_force(unit_code=CITY, on=today)
    return user, checkpoints, policy.pk


def dataset_build(
    *,
    tier: Tier,
    seed: int = 2020,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Built:
    """Build `tier` in the current database. Raises DatasetExists when one is there."""
    today = today or timezone.localdate()
    built = Built(tier=tier, seed=seed, today=today)
    say = progress or (lambda _text: None)
    with transaction.atomic():
        user, checkpoints, policy_id = _setup(today)
        rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        households = max(1, tier.persons // PERSONS_PER_HOUSEHOLD)
        villages = _villages(rng, households)
        steps: tuple[tuple[str, Callable[[], None]], ...] = (
            ("persons", lambda: _persons(built, villages, households)),
            ("checkins", lambda: _observations(built, rng, villages, user.pk, policy_id)),
            ("passages", lambda: _passages(built, rng, villages, checkpoints, user.pk)),
        )
        loaded = (Household, Person, Observation, CheckIn, VehiclePassage, PassengerCheck)
        with bulk_load(*loaded):
            for name, step in steps:
                started = time.perf_counter()
                step()
                built.seconds[name] = round(time.perf_counter() - started, 1)
                say(f"{name}: {built.seconds[name]} s")
            started = time.perf_counter()
        if connection.vendor == "postgresql":
            built.seconds["indexes"] = round(time.perf_counter() - started, 1)
            say(f"indexes and foreign keys: {built.seconds['indexes']} s")
        sequences_reset(Household, Person, Observation, CheckIn, VehiclePassage, PassengerCheck)
    # The rows were written past the models' signals: the daily roll-ups (decision 0006) of
    # the closed days are filled now, as `bastion rollups` does on a server, so that the first
    # page to read a past day does not pay for it (4.9 s for the city's dashboard at tier M).
    started = time.perf_counter()
    rollups.rebuild(today - timedelta(days=ROLLUP_DAYS), today)
    built.seconds["rollups"] = round(time.perf_counter() - started, 1)
    say(f"roll-ups: {built.seconds['rollups']} s")
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # VACUUM also sets the visibility map of the fresh tables (index-only scans, as on
            # a server where autovacuum has passed); it cannot run inside a transaction (tests).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        built.seconds["analyze"] = round(time.perf_counter() - started, 1)
    return built


# Persons and households -------------------------------------------------------------------


def _persons(built: Built, villages: _Villages, households: int) -> None:
    persons = built.tier.persons
    salt = built.seed
    h0, p0 = next_id(Household), next_id(Person)
    built.counts["first_person_id"] = p0

    def household_rows() -> Iterator[tuple[Any, ...]]:
        for v, unit in enumerate(villages.units):
            start, end = villages.person_range(v, households * PERSONS_PER_HOUSEHOLD)
            for h in range(start // PERSONS_PER_HOUSEHOLD, end // PERSONS_PER_HOUSEHOLD):
                yield (h0 + h, unit.pk, unit.code, f"{unit.short_name or unit.name}{h + 1}号")

    def person_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(persons):
            unit = villages.of_person(i)
            number, born, sex = syn.id_number(i, unit.code, salt)
            name, pinyin, initials = syn.person_name(i, salt)
            household = min(i // PERSONS_PER_HOUSEHOLD, households - 1)
            age = built.today.year - born.year
            yield (
                p0 + i,
                number,
                name,
                pinyin,
                initials,
                sex,
                born,
                syn.mobile(i, salt),
                h0 + household,
                unit.pk,
                unit.code,
                age >= 75 and i % 5 == 0,  # 独居老人: one elderly person in five
                i % 11 == 0,  # 慢性病
            )

    built.counts["households"] = rows_insert(
        Household, ("id", "unit", "unit_code", "address"), household_rows()
    )
    built.counts["persons"] = rows_insert(
        Person,
        (
            "id",
            "id_number",
            "name",
            "name_pinyin",
            "name_initials",
            "sex",
            "birth_date",
            "mobile",
            "household",
            "unit",
            "unit_code",
            "is_elderly_alone",
            "is_chronic",
        ),
        person_rows(),
    )


# Observations and check-ins -----------------------------------------------------------------


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _observed_persons(rng: random.Random, villages: _Villages, persons: int, n: int) -> list[int]:
    """n distinct person indices, drawn village by village with the returnee weights."""
    chosen: set[int] = set()
    picked: list[int] = []
    while len(picked) < min(n, persons):
        v = villages.returnees.pick(rng)
        start, end = villages.person_range(v, persons)
        if end <= start:
            continue
        i = rng.randrange(start, end)
        if i not in chosen:
            chosen.add(i)
            picked.append(i)
    return picked


def _observations(
    built: Built, rng: random.Random, villages: _Villages, user_id: int, policy_id: int
) -> None:
    tier, today, tz = built.tier, built.today, timezone.get_current_timezone()
    p0 = built.counts["first_person_id"]
    o0, c0 = next_id(Observation), next_id(CheckIn)
    budget = tier.checkins
    # The active ones started 0-13 days ago; those who finished did so in the 14 days before.
    completed = budget // (2 * PERIOD_DAYS) + 1  # an upper bound: the loop stops at the budget
    people = _observed_persons(rng, villages, tier.persons, tier.observed + completed)
    observations: list[tuple[Any, ...]] = []
    checkins: list[tuple[Any, ...]] = []
    written = 0

    def flush() -> None:
        nonlocal written
        written += rows_insert(CheckIn, CHECKIN_FIELDS, checkins)
        checkins.clear()

    for n, i in enumerate(people):
        if budget <= 0 and n >= tier.observed:
            break
        active = n < tier.observed
        ago = rng.randrange(PERIOD_DAYS) if active else PERIOD_DAYS + rng.randrange(PERIOD_DAYS)
        start = today - timedelta(days=ago)
        end = start + timedelta(days=PERIOD_DAYS - 1)
        unit = villages.of_person(i)
        obs_id = o0 + n
        last = None
        for d in range(min(ago, PERIOD_DAYS)):  # days before today only: nothing in the future
            day = start + timedelta(days=d)
            for slot, hours in SLOTS:
                if budget <= 0 or (active and rng.random() < 0.03):  # 3 % missed
                    continue
                at = syn.moment(rng, day, hours, tz)
                fever = rng.random() < 0.005
                temperature = Decimal(rng.randint(373, 392) if fever else rng.randint(358, 372))
                checkins.append(
                    (
                        c0 + written + len(checkins),
                        obs_id,
                        unit.code,
                        day,
                        slot,
                        at,
                        temperature / 10,
                        "forehead",
                        ["fever"] if fever else [],
                        rng.choice(("self", "self", "visit", "phone")),
                        fever,
                        _uuid(rng),
                        user_id,
                    )
                )
                budget -= 1
                last = at
        started_at = datetime(start.year, start.month, start.day, 9, tzinfo=tz)
        observations.append(
            (
                obs_id,
                p0 + i,
                unit.pk,
                unit.code,
                policy_id,
                start,
                end,
                "active" if active else "completed",
                started_at,
                user_id,
                None if active else started_at + timedelta(days=PERIOD_DAYS),
                last,
            )
        )
        if len(checkins) >= 100_000:
            flush()
    flush()
    built.counts["observed"] = min(tier.observed, len(observations))
    built.counts["observations"] = rows_insert(
        Observation,
        (
            "id",
            "person",
            "unit",
            "unit_code",
            "policy",
            "start_date",
            "planned_end",
            "status",
            "started_at",
            "started_by",
            "ended_at",
            "last_checkin_at",
        ),
        observations,
    )
    built.counts["checkins"] = written


CHECKIN_FIELDS = (
    "id",
    "observation",
    "unit_code",
    "day",
    "slot",
    "measured_at",
    "temperature",
    "site",
    "symptoms",
    "source",
    "is_fever",
    "client_uuid",
    "recorded_by",
)


# Checkpoint traffic ---------------------------------------------------------------------------


def _occupant_counts(rng: random.Random, passages: int, passengers: int) -> "array[int]":
    """1-5 occupants per vehicle, adjusted so that they add up to `passengers` exactly."""
    picker = syn.Picker(list(OCCUPANTS), list(OCCUPANT_WEIGHTS))
    counts = array("b", (picker.pick(rng) for _ in range(passages)))
    diff = passengers - sum(counts)
    step, k = (1 if diff > 0 else -1), 0
    limit = 5 if diff > 0 else 1
    while diff and passages:
        if counts[k] != limit:
            counts[k] += step
            diff -= step
        k = (k + 1) % passages
        if k == 0 and all(c == limit for c in counts):
            break
    return counts


def _passages(
    built: Built,
    rng: random.Random,
    villages: _Villages,
    checkpoints: list[Checkpoint],
    user_id: int,
) -> None:
    tier, today, tz, salt = built.tier, built.today, timezone.get_current_timezone(), built.seed
    counts = _occupant_counts(rng, tier.passages, tier.passengers)
    # Interchanges and toll stations carry most of the traffic.
    busy = {"highway_interchange": 6.0, "toll_station": 4.0, "road": 1.5, "village_entrance": 0.5}
    stations = syn.Picker(checkpoints, [busy.get(c.kind, 1.0) for c in checkpoints])
    v0, q0 = next_id(VehiclePassage), next_id(PassengerCheck)
    purposes = syn.Picker(
        ["return_home", "work", "visit", "freight", "supplies", "official", "transit", "other"],
        [30, 20, 10, 15, 3, 2, 15, 5],
    )
    kinds = syn.Picker(["car", "bus", "truck", "van", "motorcycle"], [70, 3, 15, 8, 4])
    written_p = written_q = 0
    chunk = 50_000
    for first in range(0, tier.passages, chunk):
        passages: list[tuple[Any, ...]] = []
        occupants: list[tuple[Any, ...]] = []
        for k in range(first, min(first + chunk, tier.passages)):
            station = stations.pick(rng)
            day = today - timedelta(days=1 + rng.randrange(TRAFFIC_DAYS))
            at = syn.moment(rng, day, syn.TRAFFIC, tz)
            village = villages.units[villages.returnees.pick(rng)]
            origin = ORIGINS[rng.randrange(len(ORIGINS))]
            turned = rng.random() < 0.02
            passages.append(
                (
                    v0 + k,
                    station.pk,
                    station.unit_code,
                    syn.plate(rng),
                    kinds.pick(rng),
                    origin,
                    origin.startswith("湖北"),
                    village.pk,
                    village.code,
                    purposes.pick(rng),
                    "turned_back" if turned else "released",
                    at,
                    user_id,
                    _uuid(rng),
                )
            )
            for seat in range(1, counts[k] + 1):
                # Three in five occupants are registered residents; the rest come from away.
                resident = rng.random() < 0.6
                i = rng.randrange(tier.persons) if resident else tier.persons + written_q
                area = villages.of_person(i).code if resident else "420100000000"
                number, _born, _sex = syn.id_number(i, area, salt)
                fever = rng.random() < 0.003
                occupants.append(
                    (
                        q0 + written_q,
                        v0 + k,
                        station.unit_code,
                        seat,
                        syn.person_name(i, salt)[0],
                        number,
                        syn.mobile(i, salt),
                        Decimal(rng.randint(373, 390) if fever else rng.randint(358, 372)) / 10,
                        fever,
                        "refer_fever_point" if fever else ("turn_back" if turned else "pass"),
                        at,
                    )
                )
                written_q += 1
        written_p += rows_insert(
            VehiclePassage,
            (
                "id",
                "checkpoint",
                "unit_code",
                "plate",
                "vehicle_kind",
                "origin",
                "origin_high_risk",
                "destination",
                "destination_code",
                "purpose",
                "disposition",
                "occurred_at",
                "recorded_by",
                "client_uuid",
            ),
            passages,
        )
        rows_insert(
            PassengerCheck,
            (
                "id",
                "passage",
                "unit_code",
                "position",
                "name",
                "id_number",
                "mobile",
                "temperature",
                "is_fever",
                "decision",
                "occurred_at",
            ),
            occupants,
        )
    built.counts["passages"] = written_p
    built.counts["passengers"] = written_q


def dataset_clear() -> None:
    """Remove a built dataset (the tests build two sizes in one database)."""
    with transaction.atomic():
        PassengerCheck.objects.all().delete()
        VehiclePassage.objects.all().delete()
        CheckIn.objects.all().delete()
        Observation.objects.all().delete()
        Person.objects.all().delete()
        Household.objects.all().delete()
        units = list(Checkpoint.objects.values_list("unit_id", flat=True))
        Checkpoint.objects.all().delete()
        OrgUnit.objects.filter(pk__in=units).delete()
        User.objects.filter(username=BENCH_USER).delete()
