"""Fixtures of the Party tests: a hand-counted front in 栗雨街道 and one member in 荷塘区.

On TODAY (2020-01-30):
- 月塘居委会 (月塘社区党总支, secretary 龙建忠): 龙建忠 (Party, 12 h, cancelled leave),
  谭巧珍 (Party, an assignment yesterday to tomorrow), 周文勇 (not Party, 8 h), 王静思 (not
  Party, no duty);
- 栗雨居委会 (栗雨社区党支部): 言磊 (Party, 6 h), 阙立斌 (not Party, 5 h yesterday only);
- 栗雨街道 itself (栗雨街道党工委): 张叶喜 (Party, no duty);
- 荷塘区 文化路社区 (outside 天元区): 魏天宇 (Party, 10 h).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bastion.mobilisation.models import Member
from bastion.mobilisation.services import assignment_create, member_create, work_log_record
from bastion.orgs.models import OrgUnit
from bastion.party.models import PartyOrg
from bastion.party.services import party_org_create
from bastion.people.services import person_create

ZHUZHOU = ZoneInfo("Asia/Shanghai")
TODAY = date(2020, 1, 30)
YESTERDAY = TODAY - timedelta(days=1)
NOW = datetime.combine(TODAY, time(15, 0), tzinfo=ZHUZHOU)


@dataclass
class Front:
    long: Member
    tan: Member
    zhou: Member
    wang: Member
    yan: Member
    que: Member
    zhang: Member
    wei: Member
    yuetang_branch: PartyOrg
    liyujuwei_branch: PartyOrg
    liyu_committee: PartyOrg
    wenhualu_branch: PartyOrg


@pytest.fixture
def front(tree: Any, personas: Any) -> Front:
    actor = personas.commander
    counter = iter(range(1, 1000))

    def member(unit: OrgUnit, name: str, party: bool) -> Member:
        home = unit if unit.level == "village" else tree.yuetang
        person = person_create(
            actor=actor, unit=home, name=name, mobile=f"1390000{next(counter):04d}"
        )
        return member_create(
            actor=actor,
            unit=unit,
            person=person,
            is_party_member=party,
            party_since_year=1996 if party else None,
            posts="党总支书记" if name == "龙建忠" else "",
            now=NOW,
        )

    def log(m: Member, day: date, hours: float, cancelled: bool = False) -> None:
        work_log_record(
            actor=actor,
            member=m,
            day=day,
            hours=hours,
            cancelled_leave=cancelled,
            client_uuid=uuid.uuid4(),
            now=NOW,
        )

    long = member(tree.yuetang, "龙建忠", True)
    tan = member(tree.yuetang, "谭巧珍", True)
    zhou = member(tree.yuetang, "周文勇", False)
    wang = member(tree.yuetang, "王静思", False)
    yan = member(tree.liyujuwei, "言磊", True)
    que = member(tree.liyujuwei, "阙立斌", False)
    zhang = member(tree.liyu, "张叶喜", True)
    wei = member(tree.wenhualu, "魏天宇", True)
    log(long, TODAY, 12, cancelled=True)
    log(zhou, TODAY, 8)
    log(yan, TODAY, 6)
    log(que, YESTERDAY, 5)
    log(wei, TODAY, 10)
    assignment_create(
        actor=actor,
        member=tan,
        duty="卡点值守",
        starts_on=YESTERDAY,
        ends_on=TODAY + timedelta(days=1),
    )
    return Front(
        long=long,
        tan=tan,
        zhou=zhou,
        wang=wang,
        yan=yan,
        que=que,
        zhang=zhang,
        wei=wei,
        yuetang_branch=party_org_create(
            led_unit=tree.yuetang,
            name="月塘社区党总支",
            party_kind="general_branch",
            secretary=long,
        ),
        liyujuwei_branch=party_org_create(
            led_unit=tree.liyujuwei, name="栗雨社区党支部", party_kind="branch", secretary=yan
        ),
        liyu_committee=party_org_create(
            led_unit=tree.liyu, name="栗雨街道党工委", party_kind="working_committee"
        ),
        wenhualu_branch=party_org_create(
            led_unit=tree.wenhualu, name="文化路社区党支部", party_kind="branch", secretary=wei
        ),
    )


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded photos go to a throwaway folder, never to the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
