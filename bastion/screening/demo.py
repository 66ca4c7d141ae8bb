"""Demo data of screening (排查): the high-risk area list, a sweep of 栗雨街道 with a week of
household visits, returnees from 湖北 met at the door (with their travel records), the
signals they became, some already handled and some waiting in 月塘居委会's inbox, a hotline
call and a self-registration from the village's QR poster.

Deterministic from the `rng` it is given, laid out relative to the day the demo is built so
that the pages show today's work; 栗雨街道 also pushes down a verification list. Call
`demo_screening(rng)` after the tree, the people and the demo accounts exist.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from bastion.accounts.models import User
from bastion.core.validators import id_check_char
from bastion.orgs.models import OrgUnit
from bastion.people.models import Household, Person
from bastion.screening.models import HighRiskArea, Signal, SignalStatus, Sweep
from bastion.screening.services import (
    Arrival,
    ListRow,
    high_risk_area_create,
    registration_point_ensure,
    self_registration_submit,
    signal_file,
    signal_transition,
    sweep_start,
    visit_record,
    vlist_upload,
)
from bastion.screening.services.travel import Journey

LIYU = "430211003000"
YUETANG = "430211003016"

# (province, city, region code, share of returnees)
ORIGINS = [
    ("湖北省", "武汉市", "420100", 6),
    ("湖北省", "黄冈市", "421100", 2),
    ("湖北省", "孝感市", "420900", 1),
    ("广东省", "深圳市", "440300", 2),
    ("湖南省", "长沙市", "430100", 2),
    ("浙江省", "温州市", "330300", 1),
]
TRAINS = ["G1001", "G6101", "K9063", "G1337", "D2201", "G6117"]
FAMILY = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗谭龙言阙"
GIVEN = ["建国", "秀英", "志强", "丽华", "伟", "芳", "军", "敏", "春华", "海燕", "德明", "小红"]


def _name(rng: random.Random) -> str:
    return rng.choice(FAMILY) + rng.choice(GIVEN)


def _id_number(rng: random.Random, address_code: str) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(40 * 365))
    first17 = f"{address_code}{born:%Y%m%d}{rng.randrange(1, 999):03d}"
    return first17 + id_check_char(first17)


def _at(day: date, rng: random.Random) -> datetime:
    moment = time(hour=rng.randint(8, 19), minute=rng.randrange(60))
    return timezone.make_aware(datetime.combine(day, moment))


def _arrival(rng: random.Random, visit_day: date) -> Arrival:
    province, city, code, _share = rng.choices(ORIGINS, weights=[o[3] for o in ORIGINS])[0]
    arrived = visit_day - timedelta(days=rng.randint(0, 10))
    by_car = rng.random() < 0.3
    plate_letter = rng.choice("ABCDEFGHJK")
    return Arrival(
        name=_name(rng),
        id_number=_id_number(rng, code[:4] + rng.choice(["02", "03", "04", "06"])),
        mobile=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        journey=Journey(
            origin_province=province,
            origin_city=city,
            origin_code=code,
            departed_on=arrived - timedelta(days=rng.randint(0, 1)),
            arrived_on=arrived,
            transport="self_drive" if by_car else "train",
            transport_no=(
                f"{'鄂' if province == '湖北省' else '粤'}{plate_letter}{rng.randrange(10**5):05d}"
                if by_car
                else rng.choice(TRAINS)
            ),
        ),
    )


@transaction.atomic
def demo_screening(rng: random.Random) -> dict[str, int]:
    """Build the screening demo; returns counts of what it made."""
    today = timezone.localdate()
    now = timezone.now()
    city = User.objects.get(username="city")
    township = User.objects.get(username="liyu")
    worker = User.objects.get(username="yuetang")
    start = today - timedelta(days=60)
    high_risk_area_create(
        actor=city, name="湖北省", province="湖北省", code="420000", active_from=start
    )
    high_risk_area_create(
        actor=city,
        name="湖北省武汉市",
        province="湖北省",
        city="武汉市",
        code="420100",
        active_from=start,
    )
    high_risk_area_create(
        actor=city,
        name="浙江省温州市",
        province="浙江省",
        city="温州市",
        code="330300",
        active_from=today - timedelta(days=3),
    )
    liyu = OrgUnit.objects.get(code=LIYU)
    yuetang = OrgUnit.objects.get(code=YUETANG)
    sweep: Sweep = sweep_start(
        actor=township,
        unit=liyu,
        name="栗雨街道第一轮入户排查",
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=9),
    )
    households = list(
        Household.objects.filter(unit_code__startswith="430211003")
        .select_related("unit")
        .order_by("unit_code", "id")
    )
    visits = returnees = 0
    for household in households:
        if rng.random() > 0.7:
            continue  # still to visit
        day = today - timedelta(days=rng.randint(0, 5))
        visited_at = min(_at(day, rng), now - timedelta(minutes=rng.randint(5, 90)))
        actor = worker if household.unit_code.startswith(YUETANG) else township
        result = rng.choices(
            ["visited", "not_home", "refused", "moved_out"], weights=[80, 14, 2, 4]
        )[0]
        arrivals = []
        if result == "visited" and rng.random() < 0.12:
            arrivals = [_arrival(rng, timezone.localdate(visited_at))]
        visit_record(
            actor=actor,
            sweep=sweep,
            household=household,
            result=result,
            residents=Person.objects.filter(household=household).count() + len(arrivals),
            arrivals=arrivals,
            visited_at=visited_at,
            now=now,
        )
        visits += 1
        returnees += len(arrivals)
    # Handle most of the older signals, leaving the newest waiting (新线索在前).
    signals = list(Signal.objects.filter(source="sweep").order_by("found_at", "id"))
    for signal in signals[: max(0, len(signals) - 4)]:
        at = signal.found_at + timedelta(hours=rng.randint(1, 30))
        actor = worker if signal.unit_code.startswith(YUETANG) else township
        if at > now:
            signal_transition(actor=actor, signal=signal, to_status=SignalStatus.VERIFYING, now=now)
            continue
        closing = rng.choices(
            [SignalStatus.UNDER_OBSERVATION, SignalStatus.CLEARED, SignalStatus.VERIFYING],
            weights=[6, 1, 2],
        )[0]
        signal_transition(
            actor=actor,
            signal=signal,
            to_status=closing,
            note="已电话核实，居家医学观察"
            if closing != SignalStatus.CLEARED
            else "核实为本地往返",
            now=at,
        )
    # A neighbour's call and a self-registration from the poster wait in 月塘's inbox.
    signal_file(
        actor=township,
        unit=yuetang,
        reason="热线：邻居反映月塘路有一户从武汉回来未登记",
        subject_name=_name(rng),
        subject_address="月塘社区栗雨路附近",
        found_at=now - timedelta(hours=5),
    )
    point = registration_point_ensure(actor=worker, unit=yuetang)
    arrival = _arrival(rng, today)
    self_registration_submit(
        point=point,
        name=arrival.name,
        mobile=arrival.mobile,
        address="月塘社区泰山路 18 号",
        journey=arrival.journey,
        now=now - timedelta(hours=2),
    )
    # The province's "big data" list, pushed down by the township: about one row in six is
    # wrong (the Henan township's 273-name list had 47 wrong rows), some cannot be routed.
    known = list(
        Person.objects.filter(unit_code__startswith="430211003", id_number__isnull=False).order_by(
            "id"
        )[:200]
    )
    rows = []
    for n, person in enumerate(rng.sample(known, min(12, len(known)))):
        wrong = n % 6 == 0
        rows.append(
            ListRow(
                sheet="湖北来株人员",
                row=n + 3,
                name=person.name[:-1] + "某" if wrong else person.name,
                id_number=person.id_number or "",
                mobile=person.mobile,
                address=f"天元区栗雨街道{person.unit.name}",
                extra={"来源地": "湖北省武汉市"},
            )
        )
    rows += [
        ListRow(
            sheet="湖北来株人员", row=15, name=_name(rng), address="天元区栗雨街道（地址不详）"
        ),
        ListRow(sheet="湖北来株人员", row=16, name=_name(rng), mobile="13900009999"),
    ]
    vlist_upload(
        actor=township,
        unit=liyu,
        title="省指挥部推送：1月10日后自湖北来株人员",
        note="请各村（社区）两日内核实反馈",
        rows=rows,
    )
    return {
        "sweeps": 1,
        "visits": visits,
        "returnees": returnees,
        "signals": Signal.objects.count(),
        "risk_areas": HighRiskArea.objects.count(),
    }
