"""Demo data of community measures: disinfection sites with a week of runs, and gatherings.

Deterministic from the `rng` it is given (the demo's seeded Random): the same seed gives the
same sites, runs and gatherings, laid out relative to the day the demo is built so that the
pages show today's work. The stories are the article's: 栗雨街道月塘社区's secretary 龙建忠
persuading two weddings to wait and a birthday banquet to be cancelled; 攸县丫江桥镇 persuading
143 banquets to be postponed or cancelled; 城管 disinfecting transfer stations, bins, vehicles,
the 株洲西 station and toll gate, and 建宁驿站's public toilet several times a day.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from bastion.accounts.models import User
from bastion.community.checklists import AGENT_UNITS, checklist_of
from bastion.community.models import (
    Agent,
    DisinfectionRun,
    Gathering,
    GatheringAction,
    GatheringKind,
    GatheringOutcome,
    Site,
    SiteKind,
)
from bastion.community.services.disinfection import spread_times
from bastion.community.services.gatherings import guest_limit_for
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.orgs.services import unit_create
from bastion.people.models import Person

CITY = "430200000000"
TIANYUAN = "430211000000"
LIYU = "430211003000"
YUETANG = "430211003016"
YAJIANGQIAO = "430223120000"  # 攸县丫江桥镇
PERSUADED_IN_YAJIANGQIAO = 143
RUN_DAYS = 7
OPERATORS = ["王师傅", "李阿姨", "张建军", "刘桂英", "陈志强", "周小红", "黄德明", "谭春华"]
CADRES = ["张叶喜", "李国平", "谭志刚", "刘美华", "陈建军", "王秋云"]


@dataclass(frozen=True)
class SitePlan:
    unit: OrgUnit
    name: str
    kind: str
    times: list[str]
    responsible: OrgUnit | None = None
    team: str = ""
    address: str = ""


def _department(city: OrgUnit) -> OrgUnit:
    """市城管局, the department that disinfects sanitation facilities (created if missing)."""
    existing = OrgUnit.objects.filter(parent=city, name="市城管局").first()
    return existing or unit_create(parent=city, name="市城管局", kind=Kind.DEPARTMENT)


def _site_plans(rng: random.Random, units: dict[str, OrgUnit]) -> list[SitePlan]:
    city, tianyuan, liyu = units[CITY], units[TIANYUAN], units[LIYU]
    chengguan = _department(city)
    villages = list(OrgUnit.objects.filter(parent=liyu, level=Level.VILLAGE, kind=Kind.TERRITORIAL))
    plans = [
        SitePlan(
            tianyuan, "株洲西站", SiteKind.STATION, spread_times(4), chengguan, "城管站前中队"
        ),
        SitePlan(
            tianyuan,
            "株洲西收费站",
            SiteKind.TOLL_GATE,
            spread_times(4),
            chengguan,
            "城管收费站专班",
        ),
        SitePlan(
            tianyuan, "垃圾运输车 湘B·H2020", SiteKind.GARBAGE_VEHICLE, spread_times(2), chengguan
        ),
        SitePlan(
            liyu,
            "栗雨垃圾中转站",
            SiteKind.GARBAGE_STATION,
            spread_times(3),
            chengguan,
            "天元环卫所",
        ),
        SitePlan(
            liyu,
            "建宁驿站公厕",
            SiteKind.PUBLIC_TOILET,
            ["08:00", "11:00", "14:00", "17:00", "20:00"],
            team="建宁驿站管理员",
        ),
    ]
    for village in villages:
        short = village.short_name or village.name
        plans += [
            SitePlan(
                village,
                f"{short}小区出入口",
                SiteKind.RESIDENTIAL_ENTRANCE,
                spread_times(2),
                team="物业保洁班",
            ),
            SitePlan(village, f"{short}垃圾桶收集点", SiteKind.BIN_CLUSTER, spread_times(2)),
            SitePlan(
                village, f"{short}废弃口罩收集桶", SiteKind.MASK_WASTE_BIN, ["09:00", "17:00"]
            ),
        ]
        if rng.random() < 0.4 or village.code == YUETANG:
            plans.append(
                SitePlan(
                    village, f"{short}公厕", SiteKind.PUBLIC_TOILET, ["08:00", "12:00", "17:00"]
                )
            )
    market_units = OrgUnit.objects.filter(code=YAJIANGQIAO)
    plans += [
        SitePlan(u, "丫江桥农贸市场", SiteKind.MARKET, spread_times(2), team="市场管理所")
        for u in market_units
    ]
    return plans


def _runs_for(
    rng: random.Random,
    site: Site,
    today: date,
    moment: datetime,
    recorder: User | None,
) -> list[DisinfectionRun]:
    items = checklist_of(site.kind)
    runs = []
    operator = rng.choice(OPERATORS)
    for back in range(RUN_DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        for deadline in site.times:
            hour, minute = (int(p) for p in deadline.split(":"))
            due = datetime.combine(day, time(hour, minute), tzinfo=moment.tzinfo)
            done_at = due - timedelta(minutes=rng.randint(5, 150))
            if done_at > moment:
                continue
            # Most runs happen; today's record is patchier (the point of the overdue list).
            chance = 0.93 if day < today else (0.75 if due <= moment else 0.35)
            if rng.random() > chance:
                continue
            agent = rng.choice([Agent.CHLORINE_84] * 5 + [Agent.CHLORINE_DIOXIDE])
            checklist = {i.code: rng.random() > 0.04 for i in items}
            if not any(checklist.values()):
                checklist[items[0].code] = True
            runs.append(
                DisinfectionRun(
                    site=site,
                    unit_code=site.unit_code,
                    responsible_unit_code=site.responsible_unit_code,
                    done_at=done_at,
                    done_on=timezone.localdate(done_at),
                    agent=agent,
                    concentration=rng.choice([500, 500, 1000]),
                    concentration_unit=AGENT_UNITS[agent],
                    operator=operator,
                    checklist=checklist,
                    client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                    recorded_by=recorder,
                )
            )
    return runs


def _gathering(
    rng: random.Random,
    fake: Faker,
    unit: OrgUnit,
    today: date,
    outcome: str,
    recorder: User | None,
    **fields: Any,
) -> Gathering:
    kind = fields.pop(
        "kind",
        rng.choice(
            [GatheringKind.WEDDING] * 4
            + [GatheringKind.BIRTHDAY] * 3
            + [GatheringKind.FUNERAL, GatheringKind.HOUSE_WARMING, GatheringKind.OTHER]
        ),
    )
    planned = fields.pop("planned_date", today + timedelta(days=rng.randint(-8, 30)))
    family_only = fields.pop("family_only", False)
    expected = fields.pop("expected_guests", rng.choice([30, 60, 80, 120, 150, 200]))
    acted = outcome != "" or rng.random() < 0.3
    acted_on = min(today, planned - timedelta(days=rng.randint(1, 6))) if acted else None
    if acted_on is not None and acted_on < today - timedelta(days=10):
        acted_on = today - timedelta(days=rng.randint(0, 10))
    values: dict[str, Any] = {
        "unit": unit,
        "unit_code": unit.code,
        "host_name": fake.name(),
        "kind": kind,
        "planned_date": planned,
        "expected_guests": expected,
        "family_only": family_only,
        "place": fake.street_address() if rng.random() < 0.5 else "",
        "action": rng.choice([GatheringAction.VISIT] * 3 + [GatheringAction.CALL]) if acted else "",
        "acted_on": acted_on,
        "persuaded_by": fields.pop("persuaded_by", rng.choice(CADRES)) if acted else "",
        "outcome": outcome,
        "guest_limit": guest_limit_for(unit_code=unit.code, on=planned, family_only=family_only),
        "client_uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
        "created_by": recorder,
    }
    if outcome == GatheringOutcome.DOWNSIZED:
        values["actual_guests"] = min(values["guest_limit"], max(expected // 3, 8))
    if outcome == GatheringOutcome.HELD_WITH_PLAN:
        values |= {
            "has_prevention_plan": True,
            "approved_by": "乡镇（街道）疫情防控指挥部",
            "actual_guests": min(values["guest_limit"], expected),
        }
    return Gathering(**(values | fields))


def _gatherings(
    rng: random.Random, fake: Faker, today: date, users: dict[str, User]
) -> list[Gathering]:
    made: list[Gathering] = []
    yuetang = OrgUnit.objects.filter(code=YUETANG).first()
    if yuetang is not None:
        # The article: two weddings postponed, a birthday banquet cancelled, after a visit.
        worker = users.get("yuetang")
        for kind, result in (
            (GatheringKind.WEDDING, GatheringOutcome.POSTPONED),
            (GatheringKind.WEDDING, GatheringOutcome.POSTPONED),
            (GatheringKind.BIRTHDAY, GatheringOutcome.CANCELLED),
        ):
            made.append(
                _gathering(
                    rng, fake, yuetang, today, result, worker, kind=kind, persuaded_by="龙建忠"
                )
            )
        made.append(
            _gathering(
                rng,
                fake,
                yuetang,
                today,
                "",
                worker,
                kind=GatheringKind.WEDDING,
                expected_guests=80,
                planned_date=today + timedelta(days=4),
            )
        )
        made.append(
            _gathering(
                rng,
                fake,
                yuetang,
                today,
                GatheringOutcome.HELD_WITH_PLAN,
                worker,
                kind=GatheringKind.FUNERAL,
                expected_guests=30,
                planned_date=today - timedelta(days=2),
            )
        )
    for village in OrgUnit.objects.filter(parent__code=LIYU, level=Level.VILLAGE).exclude(
        code=YUETANG
    ):
        for _ in range(rng.randint(1, 4)):
            outcome: str = rng.choice(
                [GatheringOutcome.POSTPONED, GatheringOutcome.CANCELLED] * 3
                + [GatheringOutcome.DOWNSIZED, ""]
            )
            made.append(_gathering(rng, fake, village, today, outcome, users.get("liyu")))
    villages = list(OrgUnit.objects.filter(parent__code=YAJIANGQIAO, level=Level.VILLAGE))
    if villages:
        for n in range(PERSUADED_IN_YAJIANGQIAO):
            outcome = (
                GatheringOutcome.POSTPONED if rng.random() < 0.62 else GatheringOutcome.CANCELLED
            )
            # The township's secretary led the visits himself for a good share of them.
            persuaded_by = "张叶喜" if n % 4 == 0 else rng.choice(CADRES)
            made.append(
                _gathering(
                    rng, fake, rng.choice(villages), today, outcome, None, persuaded_by=persuaded_by
                )
            )
        others = [GatheringOutcome.DOWNSIZED.value] * 4 + [
            GatheringOutcome.HELD_WITH_PLAN.value
        ] * 2
        made.extend(
            _gathering(rng, fake, rng.choice(villages), today, outcome, None)
            for outcome in [*others, *[""] * 5]
        )
    return made


@transaction.atomic
def demo_community(rng: random.Random, *, now: datetime | None = None) -> dict[str, int]:
    """Build the community demo data once (nothing happens if sites exist already).

    Needs the division tree loaded; uses the demo accounts as recorders when they exist.
    """
    if Site.objects.exists():
        return {}
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[CITY, TIANYUAN, LIYU])}
    if len(units) < 3:
        return {}
    fake = Faker("zh_CN")
    fake.seed_instance(rng.randrange(2**32))
    users = {
        u.username: u for u in User.objects.filter(username__in=["yuetang", "liyujuwei", "liyu"])
    }
    recorder_of = {"430211003016": users.get("yuetang"), "430211003002": users.get("liyujuwei")}
    start = today - timedelta(days=RUN_DAYS - 1)
    sites = [
        Site(
            unit=plan.unit,
            unit_code=plan.unit.code,
            name=plan.name,
            kind=plan.kind,
            address=plan.address,
            responsible_unit=plan.responsible,
            responsible_unit_code=plan.responsible.code if plan.responsible else "",
            responsible_team=plan.team,
            runs_per_day=len(plan.times),
            times=plan.times,
            active_from=start,
        )
        for plan in _site_plans(rng, units)
    ]
    Site.objects.bulk_create(sites)
    sites = list(Site.objects.order_by("id"))
    runs: list[DisinfectionRun] = []
    for site in sites:
        recorder = recorder_of.get(site.unit_code[:12], users.get("liyu"))
        runs += _runs_for(rng, site, today, moment, recorder)
    DisinfectionRun.objects.bulk_create(runs, batch_size=500)
    gatherings = _gatherings(rng, fake, today, users)
    Gathering.objects.bulk_create(gatherings, batch_size=500)
    _register_attendees(rng, today)
    return {"sites": len(sites), "runs": len(runs), "gatherings": len(gatherings)}


def _register_attendees(rng: random.Random, today: date) -> None:
    """Gatherings held by now in villages with registered people get their attendees."""
    held = Gathering.objects.filter(
        outcome__in=[GatheringOutcome.HELD_WITH_PLAN, GatheringOutcome.DOWNSIZED],
        planned_date__lte=today,
    ).order_by("id")
    for gathering in held:
        people = list(
            Person.objects.filter(unit_code__startswith=gathering.unit_code[:12])
            .order_by("id")
            .values_list("id", flat=True)[:200]
        )
        if not people:
            continue
        size = min(len(people), gathering.actual_guests or 0, gathering.guest_limit, 25)
        gathering.attendees.set(rng.sample(people, size))
