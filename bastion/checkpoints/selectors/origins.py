"""Origins (来源地) of vehicles, and whether one is a high-risk area on a given day.

The high-risk list is screening's `HighRiskArea` (one list for the whole city: returnees and
vehicles are judged by the same areas). The suggestions add the places a checkpoint types
most often. The flag informs the officer; it never decides (no discrimination by origin).
"""

from dataclasses import dataclass
from datetime import date
from functools import cache

from django.db.models import Q, QuerySet
from pypinyin import Style, lazy_pinyin

from bastion.screening.models import HighRiskArea

# The places a Zhuzhou checkpoint typed most in early 2020, besides the high-risk list.
COMMON_ORIGINS = (
    "湖南省株洲市",
    "湖南省长沙市",
    "湖南省湘潭市",
    "湖南省衡阳市",
    "湖南省岳阳市",
    "湖南省邵阳市",
    "湖南省益阳市",
    "湖南省常德市",
    "湖南省郴州市",
    "湖南省娄底市",
    "湖南省永州市",
    "湖南省怀化市",
    "湖北省武汉市",
    "湖北省黄冈市",
    "湖北省孝感市",
    "湖北省荆州市",
    "江西省萍乡市",
    "江西省宜春市",
    "江西省吉安市",
    "广东省广州市",
    "广东省深圳市",
    "广东省东莞市",
    "浙江省温州市",
    "浙江省杭州市",
    "上海市",
    "北京市",
)

_DROP = ("省", "自治区", "市", "州", "县", "区")


def _bare(name: str) -> str:
    """'武汉市' -> '武汉', '湖北省' -> '湖北': people type either."""
    for end in _DROP:
        if name.endswith(end) and len(name) > len(end) + 1:
            return name[: -len(end)]
    return name


@cache
def search_text(name: str) -> str:
    """'湖北省武汉市' is found by 武汉, whs, hbswhs, wuhan, hubeishengwuhanshi."""
    words = [name] + [
        name.split(end, 1)[1] for end in ("省", "自治区") if end in name and not name.endswith(end)
    ]
    initials = ["".join(lazy_pinyin(w, style=Style.FIRST_LETTER)) for w in words]
    full = ["".join(lazy_pinyin(w)) for w in words]
    return " ".join([*words, *initials, *full, *(_bare(w) for w in words)]).lower()


def areas_in_force(on: date) -> QuerySet[HighRiskArea]:
    return HighRiskArea.objects.filter(active_from__lte=on).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=on)
    )


def _covers(area: HighRiskArea, origin: str) -> bool:
    """An area with an empty city covers its whole province; with an empty county, its city."""
    parts = [p for p in (area.province, area.city, area.county) if p]
    if not parts:
        return False
    # The most precise part must be named; the broader ones may be left out ("武汉市").
    return _bare(parts[-1]) in origin


def high_risk_area_for(origin: str, *, on: date) -> HighRiskArea | None:
    """The high-risk area in force on `on` that `origin` (free text) lies in, if any; the most
    precise one (county before city before province)."""
    origin = origin.strip()
    if not origin:
        return None
    matches = [a for a in areas_in_force(on) if _covers(a, origin)]
    matches.sort(key=lambda a: (not a.county, not a.city))
    return matches[0] if matches else None


@dataclass(frozen=True)
class OriginSuggestion:
    name: str
    is_high_risk: bool


def origin_suggestions(*, q: str, on: date, limit: int = 8) -> list[OriginSuggestion]:
    """Origins matching `q` by name or pinyin initials, high-risk areas first."""
    q = q.strip().lower()[:30]
    if not q:
        return []
    areas = list(areas_in_force(on))
    names = list(dict.fromkeys([*(a.name for a in areas), *COMMON_ORIGINS]))
    found = []
    for name in names:
        if q in search_text(name):
            risky = any(_covers(a, name) for a in areas)
            found.append(OriginSuggestion(name=name, is_high_risk=risky))
    found.sort(key=lambda s: (not s.is_high_risk, names.index(s.name)))
    return found[:limit]
