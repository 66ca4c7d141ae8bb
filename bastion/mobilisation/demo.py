"""Demo mobilisation (动员): members in the demo villages, the article's call in 炎陵县中村瑶族乡
with its 70-odd applicants, and the 市中心医院 team sent to Hubei (15 people, 6 Party members,
9 of the others handing in applications to join the Party) with its temporary Party branch.

Deterministic from the rng given. Call after the divisions, the demo villages' people, the
attached units (市中心医院 and its 赴湖北医疗支援临时党支部) and the demo logins exist.
"""

import random
import uuid
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from bastion.accounts.models import User
from bastion.core.demo import SEED, synthetic_id
from bastion.mobilisation import services
from bastion.mobilisation.models import Member, Skill
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Person, Sex

ZHONGCUN = "430225209000"  # 炎陵县中村瑶族乡
LIYU = "430211003"  # 天元区栗雨街道: its villages get members and work logs
HOSPITAL = "市中心医院"
BRANCH = "赴湖北医疗支援临时党支部"
APPLICANTS = 73
SELECTED = 20
TEAM_SIZE = 15
TEAM_PARTY = 6

_SURNAMES = "刘陈谭张李王罗周彭贺易肖黄文盘赵"
_GIVEN = ["建国", "小红", "志强", "丽娟", "海燕", "德明", "春华", "卫东", "秀英", "国平", "晓玲"]
_EXPERIENCE = ["重症监护 8 年", "呼吸科 5 年", "参加过抗击非典", "急诊科 10 年"]
_PLEDGE = "我志愿报名参加赴湖北医疗队，服从组织安排，不计报酬，无论生死。"


def _actor() -> User:
    user = User.objects.filter(username="city").first()
    if user is None:
        user = User.objects.filter(memberships__role="city_command").order_by("pk").first()
    if user is None:
        raise RuntimeError("demo_mobilisation needs the demo logins: call it after they exist.")
    return user


def _persons_in(rng: random.Random, unit: OrgUnit, n: int) -> list[Person]:
    """`n` persons of the registry under the unit; villagers are added to its first village
    when it has too few."""
    found = list(
        Person.objects.filter(
            unit_code__startswith=unit.scope_prefix, merged_into__isnull=True
        ).order_by("pk")[:n]
    )
    if len(found) >= n:
        return found
    home = (
        OrgUnit.objects.filter(
            parent=unit, level=Level.VILLAGE, kind=Kind.TERRITORIAL, is_active=True
        )
        .order_by("code")
        .first()
        or unit
    )
    made = []
    for _ in range(n - len(found)):
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        made.append(
            Person(
                name=name,
                name_pinyin="".join(lazy_pinyin(name)),
                name_initials="".join(lazy_pinyin(name, style=Style.FIRST_LETTER)),
                mobile=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                unit=home,
                unit_code=home.code,
            )
        )
    return found + Person.objects.bulk_create(made)


def _member(rng: random.Random, actor: Any, unit: OrgUnit, person: Person, party: bool) -> Member:
    return services.member_create(
        actor=actor,
        unit=unit,
        person=person,
        is_party_member=party,
        party_since_year=rng.randint(1978, 2019) if party else None,
        skills=rng.sample(Skill.values, rng.choice([0, 1, 1, 2])),
        availability=rng.choice(["", "全天", "白天", "夜班可排"]),
    )


def _village_members(rng: random.Random, actor: Any) -> int:
    villages = OrgUnit.objects.filter(
        code__startswith=LIYU, level=Level.VILLAGE, kind=Kind.TERRITORIAL
    ).order_by("code")
    today = timezone.localdate()
    count = 0
    for village in villages:
        people = _persons_in(rng, village, 8)[: rng.randint(5, 8)]
        for i, person in enumerate(people):
            member = _member(rng, actor, village, person, party=i < 3)
            count += 1
            # The first two cancelled their leave and worked long days all week.
            for back in range(7 if i < 2 else rng.randint(0, 3)):
                services.work_log_record(
                    actor=actor,
                    member=member,
                    day=today - timedelta(days=back),
                    hours=rng.choice([11, 12, 12.5, 13]) if i < 2 else rng.choice([4, 6, 8]),
                    cancelled_leave=i < 2,
                    client_uuid=uuid.UUID(int=rng.getrandbits(128)),
                )
    return count


def _article_call(rng: random.Random, actor: Any) -> int:
    township = OrgUnit.objects.filter(code=ZHONGCUN).first()
    if township is None:
        return 0
    call = services.call_create(
        actor=actor,
        unit=township,
        title="疫情防控监测工作人员",
        description="在乡入口设立监测点，24 小时轮班值守，对进出人员测温登记。",
        place="中村瑶族乡入口监测点",
        people_needed=SELECTED,
    )
    for i, person in enumerate(_persons_in(rng, township, APPLICANTS)):
        member = _member(rng, actor, township, person, party=rng.random() < 0.4)
        application = services.application_create(actor=actor, member=member, call=call)
        if i < SELECTED:
            services.application_decide(actor=actor, application=application, select=True)
    return APPLICANTS


def _hubei_team(rng: random.Random, actor: Any) -> int:
    hospital = OrgUnit.objects.filter(name=HOSPITAL, kind=Kind.HOSPITAL).first()
    if hospital is None:
        return 0
    branch = OrgUnit.objects.filter(parent=hospital, name=BRANCH).first()
    # Staff live anywhere in the city except the villages that already have members.
    staff = list(
        Person.objects.filter(unit_code__startswith="4302", merged_into__isnull=True)
        .exclude(unit_code__startswith=LIYU)
        .order_by("pk")[:TEAM_SIZE]
    )
    if len(staff) < TEAM_SIZE:
        staff += _persons_in(rng, hospital.parent or hospital, 2 * TEAM_SIZE)[-TEAM_SIZE:]
    staff = list({p.pk: p for p in staff}.values())[:TEAM_SIZE]
    members = [_member(rng, actor, hospital, p, party=i < TEAM_PARTY) for i, p in enumerate(staff)]
    for m in members:
        m.skills = ["medical"] if m.is_party_member else ["nursing"]
        m.posts = "医生" if m.is_party_member else "护士"
    Member.objects.bulk_update(members, ["skills", "posts"])
    team = services.team_create(
        actor=actor,
        unit=hospital,
        name="市中心医院赴湖北医疗支援队",
        destination="湖北省",
        members=members,
        leader=members[0],
        party_branch=branch,
        with_branch=branch is None,
        branch_name=BRANCH,
    )
    for m in members:
        pledge = services.application_create(
            actor=actor,
            member=m,
            team=team,
            is_pledge=True,
            statement=_PLEDGE,
            experience=rng.choice(
                ["重症监护 8 年", "呼吸科 5 年", "参加过抗击非典", "急诊科 10 年"]
            ),
            applies_to_join_party=not m.is_party_member,
        )
        services.application_decide(actor=actor, application=pledge, select=True)
    return TEAM_SIZE


# The demo logins who work in the field, as members: (username, unit of the member, the
# member's unit when it is not the person's home, name, Party member). Their mobile is the
# account's, so the officer's "link by mobile" finds them (services.member_link_by_mobile).
LINKED_LOGINS = [
    ("yuetang", "430211003016", "", "谭志强", True, Sex.MALE, date(1982, 5, 14)),
    ("liyujuwei", "430211003002", "", "刘丽娟", True, Sex.FEMALE, date(1986, 9, 2)),
    ("liyu", "430211003000", "", "周卫东", True, Sex.MALE, date(1975, 3, 21)),
    (
        "checkpoint",
        "430211003016",
        "株洲西收费站卡点",
        "彭国平",
        False,
        Sex.MALE,
        date(1990, 11, 8),
    ),
]


@transaction.atomic
def demo_member_accounts() -> int:
    """The grid workers, the township cadre and the checkpoint officer of the demo logins as
    members linked to their accounts, so that the sweeps, check-ins, disinfection runs and
    issues they recorded count as their service. Call after every domain's demo facts; it draws
    nothing from the rng (the demos after it keep their data). Running it twice adds nothing."""
    actor = _actor()
    tianyuan = OrgUnit.objects.filter(code="430211000000").first()
    if tianyuan is None:
        return 0
    rng = random.Random(SEED)  # noqa: S311 - synthetic ID numbers; the shared rng is left alone
    for username, home_code, unit_name, name, party, sex, born in LINKED_LOGINS:
        account = User.objects.filter(username=username, mobile__isnull=False).first()
        home = OrgUnit.objects.filter(code=home_code).first()
        unit = OrgUnit.objects.filter(name=unit_name, is_active=True).first() if unit_name else home
        if account is None or home is None or unit is None:
            continue
        if Member.objects.filter(account=account).exists():
            continue
        person = Person.objects.filter(mobile=account.mobile, unit=home).first()
        if person is None:
            id_number = synthetic_id(rng, home.code[:6], born, sex)
            while Person.objects.filter(id_number=id_number).exists():
                id_number = synthetic_id(rng, home.code[:6], born, sex)
            person = Person.objects.create(
                id_number=id_number,
                sex=sex,
                birth_date=born,
                name=name,
                name_pinyin="".join(lazy_pinyin(name)),
                name_initials="".join(lazy_pinyin(name, style=Style.FIRST_LETTER)),
                mobile=account.mobile or "",
                unit=home,
                unit_code=home.code,
            )
        if not Member.objects.filter(person=person, unit=unit).exists():
            services.member_create(
                actor=actor,
                unit=unit,
                person=person,
                is_party_member=party,
                party_since_year=2008 if party else None,
                posts=account.display_name,
            )
    return len(services.member_link_by_mobile(actor=actor, unit=tianyuan))


@transaction.atomic
def demo_mobilisation(rng: random.Random) -> dict[str, int]:
    """Members, a call with its applicants and the Hubei team (see the module docstring)."""
    actor = _actor()
    return {
        "members": _village_members(rng, actor),
        "applicants": _article_call(rng, actor),
        "team": _hubei_team(rng, actor),
    }
