"""Demo data of the observation app: `demo_observation(rng)`, called by `bastion demo` after the
people and accounts exist.

A dozen returnees under home observation, most in 月塘居委会 (the article's community), with
twice-daily check-ins over the last days: one fever alert open now, two people who stopped
reporting (missed alerts and the 1/2/3/>3-day buckets), supplies and a home prenatal check,
and in 花石村 one referral that went all the way to admission (the five-early latencies).
Everything goes through the services, with the clock passed in, so the data obey the rules.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bastion.accounts.models import User
from bastion.observation.models import Observation
from bastion.observation.services import (
    alert_acknowledge,
    alerts_raise_missed,
    care_visit_schedule,
    case_admit,
    case_classify,
    case_isolate,
    case_record_test,
    case_refer,
    checkin_record,
    observations_start,
    supply_deliver,
)
from bastion.observation.slots import policy_slots
from bastion.people.models import Person

YUETANG = "430211003016"
LIYUJUWEI = "430211003002"
XINGFENG = "430224106208"
HUASHI = "430212111203"
# (village, how many returnees, username of its worker if the demo has one)
PLAN = [(YUETANG, 8, "yuetang"), (LIYUJUWEI, 2, "liyujuwei"), (XINGFENG, 1, ""), (HUASHI, 1, "")]


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())


def _actor(username: str) -> Any:
    return (
        User.objects.filter(username=username).first()
        or User.objects.filter(username="city").first()
        or User.objects.filter(is_superuser=True).first()
    )


def _returnees(rng: random.Random, village: str, count: int) -> list[Person]:
    heads = list(
        Person.objects.filter(
            unit_code__startswith=village, merged_into__isnull=True, birth_date__isnull=False
        )
        .exclude(observations__isnull=False)
        .order_by("pk")[:200]
    )
    return rng.sample(heads, min(count, len(heads)))


def _checkins(
    rng: random.Random, observation: Observation, *, now: datetime, stop_after: date | None
) -> int:
    made = 0
    day = observation.start_date
    while day <= timezone.localdate(now):
        for slot in policy_slots(observation.policy):
            if stop_after is not None and day > stop_after:
                break
            measured = _at(day, slot.opens) + timedelta(minutes=rng.randint(20, 200))
            if measured > now or measured < observation.started_at or rng.random() < 0.08:
                continue
            checkin_record(
                observation=observation,
                client_uuid=uuid.UUID(int=rng.getrandbits(128)),
                source=rng.choice(["self", "self", "phone", "visit"]),
                temperature=Decimal(rng.choice(["36.1", "36.3", "36.4", "36.5", "36.6", "36.8"])),
                site=rng.choice(["forehead", "armpit"]),
                measured_at=measured,
                now=measured,
                actor=observation.grid_worker,
            )
            made += 1
        day += timedelta(days=1)
    return made


@transaction.atomic
def demo_observation(rng: random.Random) -> dict[str, int]:
    """Build the observation demo (on a demo database with people and accounts)."""
    now = timezone.now()
    today = timezone.localdate(now)
    counts = {"observations": 0, "checkins": 0, "cases": 0}
    started: list[Observation] = []
    for village, count, username in PLAN:
        actor = _actor(username)
        if actor is None:
            continue
        for person in _returnees(rng, village, count):
            start_date = today - timedelta(days=rng.randint(2, 11))
            result = observations_start(
                actor=actor,
                persons=[person],
                kind="home",
                start_date=start_date,
                note="武汉返乡",
                now=_at(start_date, time(7, 30)),
            )
            started += result.observations
    counts["observations"] = len(started)
    huashi = next((o for o in started if o.unit_code.startswith(HUASHI)), None)
    detected = now - timedelta(days=3, hours=2)
    for index, observation in enumerate(started):
        # Two in 月塘 stopped reporting two and four days ago; 花石村's case stopped when
        # it was referred.
        stop_after = {3: today - timedelta(days=2), 5: today - timedelta(days=4)}.get(index)
        if observation is huashi:
            stop_after = timezone.localdate(detected) - timedelta(days=1)
        counts["checkins"] += _checkins(rng, observation, now=now, stop_after=stop_after)
    if started:
        _fever_now(started[0], now)
        _supplies_and_care(rng, started[:4], today)
    if huashi is not None:
        _referral_to_admission(huashi, max(detected, huashi.started_at + timedelta(hours=2)))
        counts["cases"] = 1
    counts["missed"] = alerts_raise_missed(now=now)
    return counts


def _fever_now(observation: Observation, now: datetime) -> None:
    """The first returnee of 月塘 reports 38.1 °C forty minutes ago: an open fever alert."""
    measured = now - timedelta(minutes=40)
    if timezone.localdate(measured) < observation.start_date:
        return
    checkin_record(
        observation=observation,
        client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-fever-{observation.pk}"),
        source="self",
        temperature=Decimal("38.1"),
        site="forehead",
        symptoms=["cough"],
        measured_at=measured,
        now=measured,
    )


def _supplies_and_care(rng: random.Random, observations: list[Observation], today: date) -> None:
    for observation in observations:
        actor = observation.grid_worker
        for item, quantity in (("masks", 20), ("thermometer", 1), ("disinfectant", 2)):
            supply_deliver(
                actor=actor,
                observation=observation,
                item=item,
                quantity=quantity,
                delivered_on=observation.start_date,
                client_uuid=uuid.UUID(int=rng.getrandbits(128)),
            )
    # The article's home prenatal check (上门产检) for a returnee's household.
    observation = observations[-1]
    care_visit_schedule(
        actor=observation.grid_worker,
        observation=observation,
        kind="prenatal",
        due_on=max(today, observation.start_date),
        note="市妇幼保健院产科上门产检",
        client_uuid=uuid.UUID(int=rng.getrandbits(128)),
    )


def _referral_to_admission(observation: Observation, detected: datetime) -> None:
    """A fever three days ago in 花石村 that went referral → isolation → confirmation →
    admission, so the unit pages show the five latencies."""
    actor = _actor("city")
    checkin = checkin_record(
        observation=observation,
        client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-case-{observation.pk}"),
        source="visit",
        temperature=Decimal("38.6"),
        site="armpit",
        symptoms=["cough", "fatigue"],
        measured_at=detected,
        now=detected,
    )[0]
    alert = checkin.observation.alerts.get(kind="fever")
    alert_acknowledge(actor=actor, alert=alert, now=detected + timedelta(minutes=18))
    case = case_refer(
        actor=actor,
        observation=observation,
        alert=alert,
        referred_to="渌口区人民医院发热门诊",
        now=detected + timedelta(minutes=50),
    )
    case = case_isolate(
        actor=actor,
        case=case,
        place="渌口区人民医院隔离病区",
        at=detected + timedelta(hours=2),
        now=detected + timedelta(hours=2),
    )
    case = case_record_test(
        actor=actor,
        case=case,
        sampled_at=detected + timedelta(hours=3),
        result="positive",
        result_at=detected + timedelta(hours=20),
        now=detected + timedelta(hours=20),
    )
    case = case_classify(
        actor=actor,
        case=case,
        classification="confirmed",
        at=detected + timedelta(hours=21),
        now=detected + timedelta(hours=21),
    )
    case_admit(
        actor=actor,
        case=case,
        hospital="株洲市中心医院",
        at=detected + timedelta(hours=26),
        now=detected + timedelta(hours=26),
    )
