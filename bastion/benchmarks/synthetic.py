"""Synthetic but valid values: names with their pinyin, GB 11643 ID numbers, mobiles, plates,
and the times of day at which things happen.

Uniqueness comes from construction, not from a set of values already drawn (which would
cost hundreds of megabytes at tier L): the i-th person's ID number and mobile are affine
permutations of i, so no two people share one, yet neighbours in the table do not look alike.
"""

import random
from bisect import bisect
from datetime import date, datetime, timedelta, tzinfo
from itertools import accumulate
from typing import Any

from pypinyin import lazy_pinyin

from bastion.core.validators import ID_CHECK_CHARS, ID_WEIGHTS

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉玲红梅鹏飞婷宇浩然子轩欣怡"
    "雨涵梓萱思远志强海燕春生秋菊德明晓东雪峰丹凤佳琪俊杰嘉怡博文立新永红卫东金凤荣湘湖株洲醴陵"
)
# Full pinyin of each character, computed once (a per-row lazy_pinyin call would dominate).
PINYIN = {c: lazy_pinyin(c)[0].lower() for c in SURNAMES + GIVEN}

# 27,000 birth days (1942-2015) x 1,000 sequence numbers: room for 27 million unique IDs.
BIRTH_DAYS = 27_000
FIRST_BIRTH = date(1942, 1, 1)
ID_SPACE = BIRTH_DAYS * 1000
ID_STEP = 7_919_993  # coprime with ID_SPACE: i -> (i * step + offset) % space is a bijection
MOBILE_SPACE = 10**8
MOBILE_STEP = 48_271
MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "158", "159", "186", "187", "188", "177")
PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

# Relative weight of each hour of the day: check-ins peak in the morning (07-09) and the
# evening (18-20) slot; checkpoint traffic follows the commute, quiet at night.
CHECKIN_MORNING_HOURS = {6: 1, 7: 5, 8: 6, 9: 3, 10: 1, 11: 1}
CHECKIN_EVENING_HOURS = {16: 1, 17: 2, 18: 5, 19: 6, 20: 3, 21: 1}
TRAFFIC_HOURS = {
    **dict.fromkeys(range(0, 6), 1),
    6: 3,
    7: 7,
    8: 10,
    9: 9,
    10: 7,
    11: 6,
    12: 5,
    13: 5,
    14: 6,
    15: 7,
    16: 8,
    17: 10,
    18: 9,
    19: 6,
    20: 4,
    21: 3,
    22: 2,
    23: 1,
}


def person_name(i: int, salt: int) -> tuple[str, str, str]:
    """The i-th person's (name, full pinyin, initials): a two- or three-character name drawn
    from a multiplicative hash of i, so a passenger who is a registered person bears the
    same name in both tables without a look-up."""
    h = (i * 2_654_435_761 + salt) % 2**32
    size = 1 if h % 3 == 0 else 2
    chars = SURNAMES[h % len(SURNAMES)] + GIVEN[(h >> 8) % len(GIVEN)]
    if size == 2:
        chars += GIVEN[(h >> 16) % len(GIVEN)]
    syllables = [PINYIN[c] for c in chars]
    return chars, "".join(syllables), "".join(s[0] for s in syllables)


# The check character is a weighted digit sum mod 11 (GB 11643): precompute the partial sums
# of the birth-date and sequence parts once, so a number costs three additions, not 17.
_BIRTHS = [FIRST_BIRTH + timedelta(days=d) for d in range(BIRTH_DAYS)]
_BIRTH_TEXT = [f"{b:%Y%m%d}" for b in _BIRTHS]
_BIRTH_SUM = [
    sum(int(c) * w for c, w in zip(t, ID_WEIGHTS[6:14], strict=True)) for t in _BIRTH_TEXT
]
_SEQ_TEXT = [f"{n:03d}" for n in range(1000)]
_SEQ_SUM = [sum(int(c) * w for c, w in zip(t, ID_WEIGHTS[14:17], strict=True)) for t in _SEQ_TEXT]
_AREA_SUM: dict[str, int] = {}


def id_number(i: int, unit_code: str, offset: int) -> tuple[str, date, str]:
    """The i-th person's (ID number, birth date, sex), with the area code of the unit's
    county: unique for i < ID_SPACE."""
    j = (i * ID_STEP + offset) % ID_SPACE
    b, seq = j % BIRTH_DAYS, j // BIRTH_DAYS
    area = unit_code[:6]
    area_sum = _AREA_SUM.get(area)
    if area_sum is None:
        area_sum = _AREA_SUM[area] = sum(
            int(c) * w for c, w in zip(area, ID_WEIGHTS[:6], strict=True)
        )
    check = ID_CHECK_CHARS[(area_sum + _BIRTH_SUM[b] + _SEQ_SUM[seq]) % 11]
    return area + _BIRTH_TEXT[b] + _SEQ_TEXT[seq] + check, _BIRTHS[b], "M" if seq % 2 else "F"


def mobile(i: int, offset: int) -> str:
    """The i-th person's mobile: unique for i < 11 * MOBILE_SPACE."""
    j = (i * MOBILE_STEP + offset) % MOBILE_SPACE
    return MOBILE_PREFIXES[i % len(MOBILE_PREFIXES)] + f"{j:08d}"


def plate(rng: random.Random) -> str:
    """A Hunan plate (湘B is Zhuzhou), sometimes from elsewhere."""
    region = "湘" if rng.random() < 0.85 else rng.choice("鄂粤赣渝")
    letter = "B" if region == "湘" and rng.random() < 0.7 else rng.choice("ABCDEFGHJ")
    return region + letter + "".join(rng.choices(PLATE_CHARS, k=5))


class Picker:
    """Weighted choice with the cumulative table built once (random.choices rebuilds it)."""

    def __init__(self, items: list[Any], weights: list[float]) -> None:
        self.items = items
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


MORNING = Picker(list(CHECKIN_MORNING_HOURS), list(CHECKIN_MORNING_HOURS.values()))
EVENING = Picker(list(CHECKIN_EVENING_HOURS), list(CHECKIN_EVENING_HOURS.values()))
TRAFFIC = Picker(list(TRAFFIC_HOURS), list(TRAFFIC_HOURS.values()))


def moment(rng: random.Random, day: date, hours: Picker, tz: tzinfo) -> datetime:
    """A time on `day` (local) whose hour is drawn from `hours`."""
    return datetime(
        day.year,
        day.month,
        day.day,
        hours.pick(rng),
        rng.randrange(60),
        rng.randrange(60),
        tzinfo=tz,
    )


def weights(rng: random.Random, n: int, *, hot_share: float, hot_factor: float) -> list[float]:
    """Skewed weights for n places: lognormal sizes, and a few hot spots `hot_factor` x."""
    return [
        rng.lognormvariate(0, 0.8) * (hot_factor if rng.random() < hot_share else 1.0)
        for _ in range(n)
    ]
