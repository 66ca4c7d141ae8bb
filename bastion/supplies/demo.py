"""Demo supplies (物资) and donations (捐赠): plausible stock, movements and donations.

Deterministic from the rng given. Call after the divisions, the demo villages' households and
the demo logins exist (bastion.core.demo). Dates are the last two weeks before `now`, so that
the stock pages show live burn rates and some villages running low.

From the article: 湖南华源荣康药业 gave 5,000 masks to 芦淞区卫健局; 攸县丫江桥镇 raised over
¥120,000 from non-public-economy donors; 新民社区's secretary brought masks, a thermometer,
disinfectant and daily necessities to a family returned from Wuhan.
"""

import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bastion.accounts.models import User
from bastion.core.errors import ValidationError
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.orgs.services import unit_create
from bastion.people.models import Household
from bastion.supplies import services
from bastion.supplies.models import Item

LIYU = "430211003000"  # 天元区栗雨街道, the demo's township
LUSONG = "430203000000"  # 芦淞区
YAJIANGQIAO = "430223120000"  # 攸县丫江桥镇
XINMIN = "430204005001"  # 石峰区井龙街道新民社区
HUASHI = "430212111203"  # 渌口区龙船镇花石村
XINGFENG = "430224106208"  # 茶陵县高陇镇星锋村
HEALTH_BUREAU = "芦淞区卫健局"

_FIRMS = ["鑫达", "兴旺", "恒通", "宏源", "顺发", "金穗", "华诚", "永丰", "天盛", "湘东"]
_TRADES = ["建材", "农业开发", "物流", "食品", "陶瓷", "机械制造", "电子", "竹木制品"]
_SURNAMES = "刘陈谭张李王罗周彭贺易肖黄文"
_GIVEN = ["建国", "小红", "志强", "丽娟", "海燕", "德明", "春华", "卫东", "秀英", "国平"]


class _Demo:
    def __init__(self, rng: random.Random, now: datetime, actor: Any) -> None:
        self.rng, self.now, self.actor = rng, now, actor
        self.items = services.items_ensure()
        self.movements = 0
        self.donations = 0

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def at(self, days_ago: float) -> datetime:
        hours = self.rng.uniform(0, 9)  # during the working day
        return self.now - timedelta(days=days_ago) - timedelta(hours=hours)

    def item(self, name: str) -> Item:
        return self.items[name]

    def receive(self, unit: OrgUnit, name: str, quantity: int, days_ago: float, **kw: Any) -> None:
        kw.setdefault("source", "allocation")
        services.stock_receive(
            actor=self.actor,
            unit=unit,
            item=self.item(name),
            quantity=quantity,
            occurred_at=self.at(days_ago),
            client_uuid=self.uuid(),
            now=self.now,
            **kw,
        )
        self.movements += 1

    def issue(
        self, actor: Any, unit: OrgUnit, name: str, quantity: int, days_ago: float, **kw: Any
    ) -> bool:
        """Issue if the stock allows; a demo village that runs out simply stops issuing."""
        try:
            services.stock_issue(
                actor=actor,
                unit=unit,
                item=self.item(name),
                quantity=quantity,
                occurred_at=self.at(days_ago),
                client_uuid=self.uuid(),
                now=self.now,
                **kw,
            )
        except ValidationError:
            return False
        self.movements += 1
        return True

    def transfer(
        self, unit: OrgUnit, to_unit: OrgUnit, name: str, quantity: int, days_ago: float
    ) -> None:
        services.stock_transfer(
            actor=self.actor,
            unit=unit,
            to_unit=to_unit,
            item=self.item(name),
            quantity=quantity,
            occurred_at=self.at(days_ago),
            client_uuid=self.uuid(),
            now=self.now,
        )
        self.movements += 2

    def donate(self, unit: OrgUnit, days_ago: int, **kw: Any) -> None:
        services.donation_record(
            actor=self.actor,
            unit=unit,
            donated_on=timezone.localdate(self.now) - timedelta(days=days_ago),
            client_uuid=self.uuid(),
            now=self.now,
            **kw,
        )
        self.donations += 1


def _actor() -> User:
    """The city command login: it may write anywhere in the city."""
    user = User.objects.filter(username="city").first()
    if user is None:
        user = User.objects.filter(memberships__role="city_command").order_by("pk").first()
    if user is None:
        raise RuntimeError("demo_supplies needs the demo logins: call it after they exist.")
    return user


def _health_bureau() -> OrgUnit | None:
    lusong = OrgUnit.objects.filter(code=LUSONG).first()
    if lusong is None:
        return None
    existing = OrgUnit.objects.filter(parent=lusong, name=HEALTH_BUREAU).first()
    return existing or unit_create(
        parent=lusong, name=HEALTH_BUREAU, kind=Kind.DEPARTMENT, aliases="芦淞区卫生健康局"
    )


def _liyu_villages(demo: _Demo) -> None:
    """栗雨街道 receives from the district and supplies its communities, which issue every day."""
    liyu = OrgUnit.objects.filter(code=LIYU).first()
    if liyu is None:
        return
    rng = demo.rng
    demo.receive(liyu, "口罩", 30000, 13, counterparty="天元区疫情防控指挥部")
    demo.receive(liyu, "医用外科口罩", 5000, 12, source="purchase", counterparty="千金大药房")
    for name, quantity in (
        ("84 消毒液", 400),
        ("体温计", 300),
        ("额温枪", 24),
        ("防护服", 120),
        ("手套", 3000),
        ("生活物资包", 200),
    ):
        demo.receive(liyu, name, quantity, 12, counterparty="天元区疫情防控指挥部")
    workers = {u.username: u for u in User.objects.filter(username__in=["yuetang", "liyujuwei"])}
    by_village = {"430211003016": workers.get("yuetang"), "430211003002": workers.get("liyujuwei")}
    checkpoint = OrgUnit.objects.filter(kind=Kind.CHECKPOINT, code__startswith="430211").first()
    villages = OrgUnit.objects.filter(
        parent=liyu, level=Level.VILLAGE, kind=Kind.TERRITORIAL
    ).order_by("code")
    for village in villages:
        actor = by_village.get(village.code) or demo.actor
        per_day = rng.randint(60, 220)
        # Between one and ten days of masks left after ten days of use: some run low.
        demo.transfer(liyu, village, "口罩", int(per_day * rng.uniform(11, 20)), 11)
        demo.transfer(liyu, village, "84 消毒液", rng.randint(20, 40), 11)
        demo.transfer(liyu, village, "体温计", rng.randint(10, 25), 11)
        demo.transfer(liyu, village, "生活物资包", rng.randint(5, 15), 11)
        homes = list(
            Household.objects.filter(unit_code__startswith=village.code)
            .only("pk", "address", "unit_code")
            .order_by("pk")[:60]
        )
        for day in range(10, 0, -1):
            left = per_day
            while left > 0:
                n = min(left, rng.randint(10, 60))
                left -= n
                to: dict[str, Any]
                if homes and rng.random() < 0.6:
                    to = {"household": rng.choice(homes)}
                elif checkpoint is not None and rng.random() < 0.5:
                    to = {"counterparty_unit": checkpoint}
                else:
                    to = {"counterparty": "社区防控工作队", "counterparty_kind": "team"}
                demo.issue(actor, village, "口罩", n, day - 0.1 * rng.random(), **to)
            if day % 3 == 0:
                demo.issue(
                    actor,
                    village,
                    "84 消毒液",
                    rng.randint(2, 5),
                    day,
                    counterparty="环卫消杀组",
                    counterparty_kind="team",
                )
            if homes and rng.random() < 0.4:
                demo.issue(
                    actor,
                    village,
                    "体温计",
                    1,
                    day,
                    household=rng.choice(homes),
                    counterparty_kind="observation",
                )
        # A count three days ago found a few masks fewer than the books.
        have = services.on_hand(unit=village, item=demo.item("口罩"))
        short = rng.randint(0, 6)
        if have > short > 0:
            services.stock_count(
                actor=actor,
                unit=village,
                item=demo.item("口罩"),
                counted=have - short,
                occurred_at=demo.at(3),
                note="周盘点",
                client_uuid=demo.uuid(),
                now=demo.now,
            )
            demo.movements += 1
    yuetang = villages.filter(code="430211003016").first()
    if yuetang is not None:
        services.stock_minimum_set(
            actor=demo.actor, unit=yuetang, item=demo.item("口罩"), minimum=500
        )
    demo.donate(
        liyu,
        9,
        donor_name="栗雨街道商会",
        donor_kind="social_org",
        goods=[(demo.item("生活物资包"), 100), (demo.item("84 消毒液"), 60)],
        purpose="居家观察家庭生活保障",
        receipt_no="LY-2020-001",
        usage_notes="生活物资包已分发至各社区居家观察家庭。",
    )


def _article_villages(demo: _Demo) -> None:
    """新民社区, 花石村 and 星锋村 hand masks, thermometers and disinfectant to returnees."""
    for code, upper in ((XINMIN, "井龙街道"), (HUASHI, "龙船镇"), (XINGFENG, "高陇镇")):
        village = OrgUnit.objects.filter(code=code).first()
        if village is None:
            continue
        demo.receive(village, "口罩", demo.rng.randint(300, 600), 12, counterparty=upper)
        demo.receive(village, "体温计", 20, 12, counterparty=upper)
        demo.receive(village, "84 消毒液", 30, 12, counterparty=upper)
        demo.receive(village, "生活物资包", 10, 12, counterparty=upper)
        home = Household.objects.filter(unit_code__startswith=code).order_by("pk").first()
        to: dict[str, Any] = {
            "counterparty": "武汉返乡人员家庭",
            "counterparty_kind": "observation",
        }
        if home is not None:
            to["household"] = home
        for name, quantity in (("口罩", 20), ("体温计", 1), ("84 消毒液", 2), ("生活物资包", 1)):
            demo.issue(demo.actor, village, name, quantity, 11, note="上门送防护用品", **to)
        for day in range(9, 0, -1):
            demo.issue(
                demo.actor,
                village,
                "口罩",
                demo.rng.randint(15, 40),
                day,
                counterparty="疫情防控工作队",
                counterparty_kind="team",
            )


def _lusong(demo: _Demo) -> None:
    """5,000 masks from 湖南华源荣康药业 to 芦淞区卫健局, handed on to the front line."""
    bureau = _health_bureau()
    if bureau is None:
        return
    demo.donate(
        bureau,
        12,
        donor_name="湖南华源荣康药业有限公司",
        donor_kind="private_enterprise",
        goods=[(demo.item("口罩"), 5000)],
        purpose="捐赠爱心口罩，支援疫情防控一线",
        receipt_no="LSWJ-2020-0001",
        public_consent=True,
        usage_notes="已分发至董家塅街道等社区卫生服务中心和辖区卡点。",
    )
    for quantity, to, days in (
        (2000, "董家塅街道社区卫生服务中心", 11),
        (1500, "芦淞区各卡点执勤人员", 10),
        (800, "芦淞区发热门诊", 7),
    ):
        demo.issue(
            demo.actor, bureau, "口罩", quantity, days, counterparty=to, counterparty_kind="unit"
        )


def _yajiangqiao(demo: _Demo) -> None:
    """丫江桥镇 raised over ¥120,000, most of it from non-public-economy donors."""
    township = OrgUnit.objects.filter(code=YAJIANGQIAO).first()
    if township is None:
        return
    rng = demo.rng
    firms = rng.sample([f"攸县{a}{b}有限公司" for a in _FIRMS for b in _TRADES], 8)
    raised = Decimal("0")
    n = 0
    while raised < Decimal("120000"):
        n += 1
        if n <= len(firms):
            name, kind = firms[n - 1], "private_enterprise"
            money = Decimal(rng.choice([5000, 8000, 10000, 12000, 15000, 20000]))
            consent = True
        else:
            name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
            kind = "individual"
            money = Decimal(rng.choice([200, 500, 600, 1000, 2000, 3000, 5000]))
            consent = rng.random() < 0.4
        demo.donate(
            township,
            rng.randint(2, 12),
            donor_name=name,
            donor_kind=kind,
            money=money,
            public_consent=consent,
            purpose="疫情防控专项善款",
            receipt_no=f"YJQ-2020-{n:03d}",
        )
        raised += money
    demo.receive(
        township, "口罩", 6000, 6, source="purchase", counterparty="县医药公司", note="专项善款采购"
    )
    demo.receive(township, "84 消毒液", 200, 6, source="purchase", note="专项善款采购")


@transaction.atomic
def demo_supplies(
    rng: random.Random, *, now: datetime | None = None, actor: User | None = None
) -> dict[str, int]:
    """Build the demo ledger and donations. Returns how many of each were written."""
    demo = _Demo(rng, now or timezone.now(), actor or _actor())
    _liyu_villages(demo)
    _article_villages(demo)
    _lusong(demo)
    _yajiangqiao(demo)
    return {"movements": demo.movements, "donations": demo.donations}
