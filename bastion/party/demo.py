"""Demo Party work (党建引领): the organisations the article names, vanguard posts and areas in
栗雨街道 and at 株洲西, deeds modelled on the article's, and the city's briefing.

The people are the demo's synthetic persons (Faker zh_CN names): the deeds tell the article's
stories about fictional people. Call `demo_party(rng)` after `demo_mobilisation(rng)` (it
needs the members, the Hubei team and the demo logins) and after `demo_checkpoints(rng)`.
The briefing covers the last 14 days (the article looks back to New Year's Eve). Deterministic
from the rng given; running it twice adds nothing.
"""

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from bastion.accounts.models import User
from bastion.checkpoints.models import Checkpoint, Shift, StaffKind
from bastion.checkpoints.services import assignment_add
from bastion.mobilisation.demo import demo_member_accounts
from bastion.mobilisation.models import Member, Team, WorkLog
from bastion.orgs.models import Kind, Level, OrgUnit, PartyOrgKind
from bastion.orgs.services import unit_create
from bastion.party import services
from bastion.party.models import Deed, FactKind, PartyOrg, PostKind, VanguardPost
from bastion.people.models import Person

CITY = "430200000000"
LIYU = "430211003000"
YUETANG = "430211003016"
HETANG = "430202000000"
LILING = "430281000000"

# (led unit code or attached unit name, organisation name, kind) of the article's organisations.
ARTICLE_ORGS: list[tuple[str, str, str]] = [
    ("市卫健委", "市卫健委党委", PartyOrgKind.COMMITTEE),
    ("市中心医院", "市中心医院党委", PartyOrgKind.COMMITTEE),
    ("市公安局", "市公安局党委", PartyOrgKind.COMMITTEE),
    ("千金集团", "千金集团党委", PartyOrgKind.COMMITTEE),
    (LIYU, "栗雨街道党工委", PartyOrgKind.WORKING_COMMITTEE),
    ("430224106208", "星锋村党总支", PartyOrgKind.GENERAL_BRANCH),
    ("430212111203", "花石村党支部", PartyOrgKind.BRANCH),
    ("430204005001", "新民社区党总支", PartyOrgKind.GENERAL_BRANCH),
    ("430223120000", "丫江桥镇党委", PartyOrgKind.COMMITTEE),
    ("430225209000", "中村瑶族乡党委", PartyOrgKind.COMMITTEE),
    ("430271007000", "龙头铺街道党工委", PartyOrgKind.WORKING_COMMITTEE),
]


def _actor(username: str) -> User:
    user = (
        User.objects.filter(username=username).first()
        or User.objects.filter(username="city").first()
    )
    if user is None:
        raise RuntimeError("demo_party needs the demo logins: call it after they exist.")
    return user


def _led(key: str) -> OrgUnit | None:
    if key.isdigit():
        return OrgUnit.objects.filter(code=key).first()
    return OrgUnit.objects.filter(name=key).exclude(kind=Kind.TERRITORIAL).first()


def _first_party_member(unit: OrgUnit) -> Member | None:
    return (
        Member.objects.filter(unit=unit, is_party_member=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )


def _orgs() -> int:
    """Profiles for the branches that exist, a branch for every 栗雨 village without one, and
    the article's organisations."""
    made = 0
    wanted: list[tuple[OrgUnit, str, str, bool]] = []
    villages = OrgUnit.objects.filter(
        code__startswith=LIYU[:9], level=Level.VILLAGE, kind=Kind.TERRITORIAL
    ).order_by("code")
    for village in villages:
        name = f"{village.short_name or village.name}党支部"
        wanted.append((village, name, PartyOrgKind.BRANCH, True))
    for key, name, kind in ARTICLE_ORGS:
        led = _led(key)
        if led is not None:
            wanted.append((led, name, kind, False))
    for led, name, kind, one_only in wanted:
        existing = OrgUnit.objects.filter(parent=led, kind=Kind.PARTY_BRANCH)
        if existing.exists() if one_only else existing.filter(name=name).exists():
            continue
        services.party_org_create(
            led_unit=led, name=name, party_kind=kind, secretary=_first_party_member(led)
        )
        made += 1
    for unit in OrgUnit.objects.filter(kind=Kind.PARTY_BRANCH, party_org__isnull=True):
        if unit.parent is not None:
            services.party_org_profile(unit=unit, secretary=_first_party_member(unit.parent))
    return made


def _posts(rng: random.Random, actor: User) -> int:
    """A responsibility area on most grids of 栗雨街道, held by a Party member of the village, and
    a vanguard post at 株洲西 and at each of 醴陵's interchanges."""
    if VanguardPost.objects.exists():
        return 0
    today = timezone.localdate()
    start = today - timedelta(days=10)
    made = 0
    party = list(
        Member.objects.filter(unit_code__startswith=LIYU[:9], is_party_member=True).order_by("pk")
    )
    if not party:
        return 0
    for grid in OrgUnit.objects.filter(code__startswith=LIYU[:9], level=Level.GRID).order_by(
        "code"
    ):
        if rng.random() < 0.3:
            continue  # a third of the grids still lack an area: coverage is not 100 %
        village_party = [m for m in party if grid.code.startswith(m.unit_code)] or party
        services.post_assign(
            actor=actor,
            member=rng.choice(village_party),
            kind=PostKind.AREA,
            title=f"{grid.parent.short_name if grid.parent else ''}{grid.name}党员责任区",
            starts_on=start,
            area=grid,
        )
        made += 1
    for checkpoint in Checkpoint.objects.select_related("unit").order_by("unit_code"):
        if not (
            checkpoint.unit_code.startswith("430211") or checkpoint.unit_code.startswith(LILING[:6])
        ):
            continue
        holder = rng.choice(party)
        services.post_assign(
            actor=actor,
            member=holder,
            kind=PostKind.POST,
            title=f"{checkpoint.unit.name}党员先锋岗",
            starts_on=start,
            checkpoint=checkpoint,
        )
        made += 1
        if checkpoint.unit_code.startswith("430211"):
            _on_shifts(actor, checkpoint, holder)
    return made


def _on_shifts(actor: User, checkpoint: Checkpoint, holder: Member) -> None:
    """The post holder stands the day shift at the checkpoint every day of the past week."""
    since = timezone.localdate() - timedelta(days=6)
    for shift in Shift.objects.filter(checkpoint=checkpoint, day__gte=since, slot="day"):
        if not shift.assignments.filter(member=holder).exists():
            assignment_add(actor=actor, shift=shift, staff_kind=StaffKind.VOLUNTEER, member=holder)


def _lab_chief(rng: random.Random) -> Member | None:
    """The lab chief of 荷塘区疾控中心 (a department below 荷塘区), a Party member."""
    hetang = OrgUnit.objects.filter(code=HETANG).first()
    if hetang is None:
        return None
    cdc = OrgUnit.objects.filter(parent=hetang, name="荷塘区疾控中心").first() or unit_create(
        parent=hetang, name="荷塘区疾控中心", kind=Kind.DEPARTMENT
    )
    taken = Member.objects.filter(unit=cdc).first()
    if taken is not None:
        return taken
    person = (
        Person.objects.filter(unit_code__startswith=CITY[:4], sex="F", merged_into__isnull=True)
        .exclude(unit_code__startswith=LIYU[:9])
        .order_by("pk")
        .first()
    )
    if person is None:
        return None
    return Member.objects.create(
        person=person,
        unit=cdc,
        unit_code=cdc.code,
        is_party_member=True,
        party_since_year=rng.randint(1995, 2010),
        skills=["medical"],
        posts="检验科科长",
    )


def _deeds(rng: random.Random) -> int:
    if Deed.objects.exists():
        return 0
    today = timezone.localdate()
    city_user, liyu_user, yuetang_user = _actor("city"), _actor("liyu"), _actor("yuetang")
    made = 0
    team = Team.objects.filter(name__contains="赴湖北").select_related("unit").first()
    if team is not None:
        doctor = team.members.filter(is_party_member=True).order_by("pk").first()
        if doctor is not None:
            deed = services.deed_record(
                actor=city_user,
                unit=team.unit,
                member=doctor,
                title="母亲重病刚做完手术，第一时间请缨驰援湖北",
                text=(
                    "妻子也是医生，岳母骨折正在休养，母亲重病刚做完手术。院党委发出组织医务人员"
                    "驰援湖北的号召后，第一时间主动请缨，将千斤重担留给家人，毅然驰援湖北黄冈疫情"
                    "防控一线。临走前，对家中困难只字不提。"
                ),
                happened_on=today - timedelta(days=6),
                place="湖北黄冈",
            )
            services.deed_consent(actor=city_user, deed=deed, note="本人书面同意")
            services.deed_nominate(actor=city_user, deed=deed, note="院党委推荐")
            services.deed_commend(actor=city_user, deed=deed, commendation="抗击疫情先进个人")
            made += 1
        team_deed = services.deed_record(
            actor=city_user,
            unit=team.unit,
            team=team,
            title="赴湖北医疗支援队：党员带头，非党员递交入党申请书",
            text=(
                "院党委成立赴湖北医疗支援临时党支部，从呼吸内科、感染内科等科室选派队员赴湖北"
                "支援。非党员队员在疫情一线感受到党组织的凝聚力和战斗力，毅然写下入党申请书。"
            ),
            happened_on=today - timedelta(days=5),
            place="湖北",
        )
        services.deed_consent(actor=city_user, deed=team_deed, note="临时党支部同意")
        made += 1
    yuetang = OrgUnit.objects.filter(code=YUETANG).first()
    profile = PartyOrg.objects.filter(led_unit=yuetang).select_related("secretary").first()
    secretary = profile.secretary if profile else None
    if yuetang is not None and secretary is not None:
        secretary.posts = "党总支书记"
        secretary.save(update_fields=["posts"])
        deed = services.deed_record(
            actor=yuetang_user,
            unit=yuetang,
            member=secretary,
            title="从大年三十至今，没和家人吃过一顿饭",
            text=(
                "得知辖区居民要办宴席，上户劝说，让两户结婚宴延期办理，生日宴直接取消。从大年"
                "三十至今，没和家人吃过一顿饭，被家人笑称“失联人员”。"
            ),
            happened_on=today - timedelta(days=2),
            place="月塘社区",
        )
        for log in WorkLog.objects.filter(member=secretary).order_by("day")[:3]:
            services.deed_fact_link(
                actor=yuetang_user, deed=deed, kind=FactKind.WORK_LOG, object_id=log.pk
            )
        services.deed_consent(actor=yuetang_user, deed=deed, note="本人签字")
        services.deed_nominate(actor=yuetang_user, deed=deed, note="社区党总支推荐")
        services.deed_nominate(actor=liyu_user, deed=deed, note="街道党工委推荐")
        made += 1
    chief = _lab_chief(rng)
    if chief is not None:
        services.deed_record(
            actor=city_user,
            unit=chief.unit,
            member=chief,
            title="病倒后吃药休息，又回到实验室",
            text=(
                "省里启动一级响应后，她和同事们奔赴一线。几天前她病倒了，吃药休息后，又来到实验室"
                "清洗消毒，配制病毒保存液，做好后勤工作。"
            ),
            happened_on=today - timedelta(days=3),
            place="检验科实验室",
        )
        made += 1  # not yet agreed to publication: its name stays masked outside 荷塘区
    return made


def _briefing() -> int:
    city = OrgUnit.objects.filter(code=CITY).first()
    if city is None or city.pk is None:
        return 0
    from bastion.party.models import Briefing

    if Briefing.objects.filter(unit=city).exists():
        return 0
    today = timezone.localdate()
    services.briefing_create(
        actor=_actor("city"), unit=city, start=today - timedelta(days=13), end=today
    )
    return 1


@transaction.atomic
def demo_party(rng: random.Random) -> dict[str, Any]:
    """Organisations, posts and areas, deeds and a briefing (see the module docstring)."""
    made = {
        "orgs": _orgs(),
        "posts": _posts(rng, _actor("liyu")),
        "deeds": _deeds(rng),
        "briefings": _briefing(),
    }
    # Last, and without the rng: the field workers' accounts linked to members, so that their
    # sweeps, follow-up check-ins, disinfection runs and deliveries count as service.
    made["linked_accounts"] = demo_member_accounts()
    return made
