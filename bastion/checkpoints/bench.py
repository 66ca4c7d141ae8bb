"""Benchmark of the roadside lookups (issue 5, "Speed"): by plate, ID number or phone over 30
days of a city's traffic, through the same selector the officer's screen and the API use.

`lookup_benchmark()` fills a throw-away transaction with synthetic traffic (bulk inserts), runs
each lookup many times, reports the median and 95th percentile in milliseconds with the query
plan, and rolls everything back. Run it with `manage.py bench_checkpoints`.
"""

import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bastion.accounts.jurisdiction import scoped
from bastion.accounts.models import Membership, User
from bastion.accounts.roles import Capability, Role
from bastion.checkpoints.models import Checkpoint, PassengerCheck, VehiclePassage
from bastion.checkpoints.selectors import LookupKind, passage_search
from bastion.orgs.models import Kind, Level, OrgUnit

SAFE = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
BATCH = 5000


class _Rollback(Exception):  # noqa: N818 - control flow: leave the throw-away transaction
    pass


@dataclass
class Timing:
    kind: str
    median_ms: float
    p95_ms: float
    plan: str
    # The same SQL statements through a raw cursor, right after each lookup: what the
    # database and the driver need, under the same load (the machine's floor).
    floor_p95_ms: float = 0.0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed_with_floor(run: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run a lookup and time it (ms); then replay the statements it sent, captured in a
    second, untimed run, through a raw cursor and time that too: (result, ms, floor ms).
    The timed run comes first, so it finds the caches as the lookup alone would."""
    started = time.perf_counter()
    result = run()
    spent = (time.perf_counter() - started) * 1000
    with CaptureQueriesContext(connection) as captured:
        run()
    statements = [q["sql"] for q in captured.captured_queries]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
    return result, spent, (time.perf_counter() - started) * 1000


def _plate(rng: random.Random) -> str:
    return "湘" + rng.choice("ABCDEFGH") + "".join(rng.choice(SAFE) for _ in range(5))


def _fill(
    rng: random.Random, checkpoints: list[Checkpoint], user: Any, passages: int, now: datetime
) -> dict[LookupKind, list[str]]:
    """Insert `passages` vehicles (1–3 occupants each) over 30 days; return sample values."""
    samples: dict[LookupKind, list[str]] = {k: [] for k in LookupKind}
    made = 0
    while made < passages:
        size = min(BATCH, passages - made)
        rows = []
        for _ in range(size):
            checkpoint = rng.choice(checkpoints)
            rows.append(
                VehiclePassage(
                    checkpoint=checkpoint,
                    unit_code=checkpoint.unit_code,
                    plate=_plate(rng),
                    vehicle_kind="car",
                    purpose="other",
                    disposition="released",
                    occurred_at=now - timedelta(seconds=rng.randrange(30 * 86400)),
                    recorded_by=user,
                    client_uuid=uuid.uuid4(),
                )
            )
        VehiclePassage.objects.bulk_create(rows)
        occupants = [
            PassengerCheck(
                passage_id=p.pk,
                unit_code=p.unit_code,
                position=position,
                name="测试",
                id_number=f"4302{rng.randrange(10**13):013d}X",
                mobile=f"13{rng.randrange(10**9):09d}",
                temperature="36.5",
                decision="pass",
                occurred_at=p.occurred_at,
            )
            for p in rows
            for position in range(1, rng.choice([1, 2, 2, 3]) + 1)
        ]
        PassengerCheck.objects.bulk_create(occupants)
        if len(samples[LookupKind.PLATE]) < 200:
            samples[LookupKind.PLATE] += [p.plate for p in rows[:20]]
            samples[LookupKind.ID_NUMBER] += [o.id_number for o in occupants[:20]]
            samples[LookupKind.PHONE] += [o.mobile for o in occupants[:20]]
        made += size
    return samples


def _plan(user: Any, kind: LookupKind, value: str) -> str:
    """The plan of the lookup's indexed step: the passages of a plate, or the occupants of
    an ID number or phone (their passages are then read by primary key)."""
    view = Capability.VIEW_CHECKPOINTS
    if kind == LookupKind.PLATE:
        qs = VehiclePassage.objects.filter(plate=value)
        return scoped(user, qs, view).order_by("-occurred_at", "-id")[:50].explain()
    field = "id_number" if kind == LookupKind.ID_NUMBER else "mobile"
    occupants = PassengerCheck.objects.filter(**{field: value})
    return scoped(user, occupants, view).order_by().values("passage_id").explain()


def lookup_timings(
    *, user: Any, samples: dict[LookupKind, list[str]], repeats: int
) -> list[Timing]:
    """Median and p95 of each lookup kind over existing rows (`bastion bench` calls this on
    the tier's dataset; `lookup_benchmark` on its own throw-away traffic)."""
    timings = []
    for kind, values in samples.items():
        if not values:
            continue
        spent, floor = [], []
        for i in range(repeats):
            value = values[i % len(values)]
            found, ms, floor_ms = timed_with_floor(
                partial(passage_search, user=user, kind=kind, value=value)
            )
            spent.append(ms)
            floor.append(floor_ms)
            assert found, f"{kind} {value} not found"  # noqa: S101 - a broken bench must stop
        timings.append(
            Timing(
                kind=kind.value,
                median_ms=round(statistics.median(spent), 2),
                p95_ms=round(_p95(spent), 2),
                plan=_plan(user, kind, values[0]),
                floor_p95_ms=round(_p95(floor), 2),
            )
        )
    return timings


def lookup_benchmark(
    *, passages: int = 200_000, repeats: int = 50, seed: int = 2020
) -> dict[str, Any]:
    """Fill, measure, roll back. Returns the row counts and one Timing per lookup kind."""
    rng = random.Random(seed)  # noqa: S311 - synthetic benchmark data, not secrets
    now = timezone.now()
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            city, _ = OrgUnit.objects.get_or_create(
                code="430200000000",
                defaults={
                    "scope_prefix": "4302",
                    "name": "株洲市",
                    "level": Level.CITY,
                    "kind": Kind.TERRITORIAL,
                },
            )
            user = User.objects.create(username=f"bench-{uuid.uuid4().hex[:8]}")
            Membership.objects.create(user=user, unit=city, role=Role.CITY_COMMAND)
            checkpoints = []
            for n in range(1, 53):  # the article's 52 checkpoints
                unit = OrgUnit.objects.create(
                    code=f"430200000000K9{n:02d}",
                    scope_prefix=f"430200000000K9{n:02d}",
                    name=f"测试卡点{n}",
                    level=Level.CITY,
                    kind=Kind.CHECKPOINT,
                    parent=city,
                    depth=1,
                )
                checkpoints.append(
                    Checkpoint.objects.create(unit=unit, unit_code=unit.code, kind="road")
                )
            started = time.perf_counter()
            samples = _fill(rng, checkpoints, user, passages, now)
            result["fill_seconds"] = round(time.perf_counter() - started, 1)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE checkpoints_vehiclepassage, checkpoints_passengercheck")
            result["passages"] = VehiclePassage.objects.count()
            result["occupants"] = PassengerCheck.objects.count()
            timings = lookup_timings(user=user, samples=samples, repeats=repeats)
            result["timings"] = timings
            raise _Rollback
    except _Rollback:
        pass
    return result
