"""The demo dataset: the real Zhuzhou tree with seeded, synthetic people (STYLE.md §14).

Deterministic: the same seed gives the same units, households, persons and ID numbers. Run
twice, it adds nothing (the demo accounts mark a built database).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from faker import Faker
from pypinyin import Style, lazy_pinyin

from bastion.accounts.models import Membership, User
from bastion.accounts.roles import Role
from bastion.core.validators import id_check_char
from bastion.orgs.models import Kind, Level, OrgUnit, PartyOrgKind
from bastion.orgs.services import divisions_load, unit_create
from bastion.people.models import Household, Person, Sex

SEED = 2020
DEMO_PASSWORD = "demo2020!"  # noqa: S105 - published demo password; refused outside the demo

# The places the Zhuzhou Daily article names, plus the whole of 栗雨街道 (the demo's township).
ARTICLE_VILLAGES = [
    "430224106208",  # 茶陵县高陇镇星锋村
    "430211003016",  # 天元区栗雨街道月塘居委会
    "430212111203",  # 渌口区龙船镇花石村
    "430204005001",  # 石峰区井龙街道新民社区
]
LIYU = "430211003000"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit_code: str
    display_name: str
    mobile: str


DEMO_LOGINS = [
    DemoLogin("city", Role.CITY_COMMAND, "430200000000", "株洲市指挥部", "13907330001"),
    DemoLogin("tianyuan", Role.COUNTY_COMMAND, "430211000000", "天元区指挥部", "13907330002"),
    DemoLogin("liyu", Role.TOWNSHIP_OFFICER, LIYU, "栗雨街道干部", "13907330003"),
    DemoLogin("yuetang", Role.VILLAGE_WORKER, "430211003016", "月塘网格员", "13907330004"),
    DemoLogin("liyujuwei", Role.VILLAGE_WORKER, "430211003002", "栗雨居委会网格员", "13907330005"),
    DemoLogin("health", Role.HEALTH_WORKER, "430211000000", "天元区卫生健康人员", "13907330006"),
    DemoLogin("checkpoint", Role.CHECKPOINT_OFFICER, "", "卡点执勤民警", "13907330007"),
    DemoLogin("auditor", Role.AUDITOR, "430200000000", "数据审计员", "13907330008"),
]

STREETS = ["栗雨路", "泰山路", "长江南路", "黄河南路", "株洲大道", "天台路", "湘芸路", "新华路"]


def demo_is_built() -> bool:
    return User.objects.filter(username="city").exists()


def synthetic_id(rng: random.Random, address_code: str, born: date, sex: str) -> str:
    sequence = rng.randrange(1, 499) * 2 + (1 if sex == Sex.MALE else 0)
    first17 = f"{address_code}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def _attached_units() -> dict[str, OrgUnit]:
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["430200000000", "430211000000"])}
    city, tianyuan = units["430200000000"], units["430211000000"]
    made = {
        "health_commission": unit_create(parent=city, name="市卫健委", kind=Kind.DEPARTMENT),
        "police": unit_create(parent=city, name="市公安局", kind=Kind.DEPARTMENT),
        "hospital": unit_create(parent=city, name="市中心医院", kind=Kind.HOSPITAL),
        "checkpoint": unit_create(
            parent=tianyuan, name="株洲西收费站卡点", kind=Kind.CHECKPOINT, aliases="株洲西"
        ),
        "isolation": unit_create(
            parent=tianyuan, name="天元区集中隔离点", kind=Kind.ISOLATION_SITE
        ),
        "enterprise": unit_create(parent=city, name="千金集团", kind=Kind.ENTERPRISE),
    }
    unit_create(
        parent=made["hospital"],
        name="赴湖北医疗支援临时党支部",
        kind=Kind.PARTY_BRANCH,
        party_kind=PartyOrgKind.TEMPORARY_BRANCH,
    )
    unit_create(
        parent=OrgUnit.objects.get(code="430211003016"),
        name="月塘社区党总支",
        kind=Kind.PARTY_BRANCH,
        party_kind=PartyOrgKind.GENERAL_BRANCH,
    )
    return made


def _demo_villages(rng: random.Random) -> list[OrgUnit]:
    villages = list(OrgUnit.objects.filter(level=Level.VILLAGE, kind=Kind.TERRITORIAL))
    chosen = {
        v.code: v for v in villages if v.code in ARTICLE_VILLAGES or v.code.startswith("430211003")
    }
    others = [v for v in villages if v.code not in chosen]
    for v in rng.sample(others, 26):
        chosen[v.code] = v
    return sorted(chosen.values(), key=lambda v: v.code)


def _people_for(
    rng: random.Random, fake: Faker, village: OrgUnit, grids: list[OrgUnit], households: int
) -> tuple[list[Household], list[list[Person]]]:
    homes: list[Household] = []
    members: list[list[Person]] = []
    for n in range(households):
        grid = grids[n % len(grids)] if grids else village
        street = rng.choice(STREETS)
        home = Household(
            unit=grid,
            unit_code=grid.code,
            address=f"{village.short_name}{street}{n + 1}号",
        )
        family_name = fake.last_name()
        people = []
        for k in range(rng.choice([1, 2, 2, 3, 3, 3, 4, 5])):
            sex = rng.choice([Sex.MALE, Sex.FEMALE])
            age = rng.randint(30, 70) if k == 0 else rng.randint(1, 85)
            born = date(2020, 1, 1) - timedelta(days=age * 365 + rng.randrange(365))
            given = fake.first_name_male() if sex == Sex.MALE else fake.first_name_female()
            name = family_name + given
            # Some carry the retired 株洲县 code 430221: IDs keep the code they were issued with.
            address = rng.choice([village.code[:6]] * 5 + ["430221"])
            person = Person(
                id_number=synthetic_id(rng, address, born, sex),
                name=name,
                name_pinyin="".join(lazy_pinyin(name)),
                name_initials="".join(lazy_pinyin(name, style=Style.FIRST_LETTER)),
                sex=sex,
                birth_date=born,
                mobile=f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" if age >= 14 else "",
                unit=grid,
                unit_code=grid.code,
                is_pregnant=sex == Sex.FEMALE and 22 <= age <= 38 and rng.random() < 0.08,
                is_elderly_alone=age >= 70 and k == 0 and rng.random() < 0.3,
                is_chronic=age >= 50 and rng.random() < 0.15,
                is_disabled=rng.random() < 0.02,
            )
            people.append(person)
        homes.append(home)
        members.append(people)
    return homes, members


@transaction.atomic
def demo_build() -> dict[str, int]:
    """Build the demo dataset on an empty database (after migrate)."""
    rng = random.Random(SEED)  # noqa: S311 - deterministic demo data, not secrets
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    divisions_load()
    attached = _attached_units()
    villages = _demo_villages(rng)
    all_homes: list[Household] = []
    all_members: list[list[Person]] = []
    for village in villages:
        grids = [
            unit_create(parent=village, name=f"第{i + 1}网格", kind="grid")
            for i in range(rng.randint(2, 4))
        ]
        homes, members = _people_for(rng, fake, village, grids, rng.randint(25, 45))
        all_homes += homes
        all_members += members
    Household.objects.bulk_create(all_homes, batch_size=500)
    persons: list[Person] = []
    seen_ids: set[str] = set()
    for home, people in zip(all_homes, all_members, strict=True):
        for p in people:
            if p.id_number in seen_ids:
                continue
            seen_ids.add(p.id_number or "")
            p.household = home
            persons.append(p)
    Person.objects.bulk_create(persons, batch_size=500)
    for login in DEMO_LOGINS:
        unit_code = login.unit_code or attached["checkpoint"].code
        user = User.objects.create(
            username=login.username, display_name=login.display_name, mobile=login.mobile
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        Membership.objects.create(
            user=user, unit=OrgUnit.objects.get(code=unit_code), role=login.role
        )
    counts = {"villages": len(villages), "households": len(all_homes), "persons": len(persons)}
    _demo_domains(rng)
    return counts


def _demo_domains(rng: random.Random) -> None:
    """Each domain app adds its own facts on top of the tree, the people and the accounts."""
    from bastion.checkpoints.demo import demo_checkpoints
    from bastion.community.demo import demo_community
    from bastion.mobilisation.demo import demo_mobilisation
    from bastion.observation.demo import demo_observation
    from bastion.party.demo import demo_party
    from bastion.reports.demo import demo_reports
    from bastion.screening.demo import demo_screening
    from bastion.supplies.demo import demo_supplies

    demo_screening(rng)
    demo_observation(rng)
    demo_checkpoints(rng)
    demo_community(rng)
    demo_supplies(rng)
    demo_mobilisation(rng)
    demo_party(rng)
    # Last: the sign-offs record the figures of everything above.
    demo_reports(rng)
