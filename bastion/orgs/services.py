"""Writes to the org tree: loading the NBS divisions and adding attached units."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from pypinyin import Style, lazy_pinyin

from bastion.core.errors import ValidationError
from bastion.orgs.models import (
    GRID_LETTER,
    KIND_LETTERS,
    SCOPE_DIGITS,
    Kind,
    Level,
    OrgUnit,
    PartyOrgKind,
)

DIVISIONS_CSV = Path(settings.BASE_DIR) / "data" / "zhuzhou-divisions-2020.csv"

# Names as people write them that differ from the NBS list (variant characters, old names).
# 董家塅 is how the Zhuzhou Daily spells the street the NBS list calls 董家段.
ALIASES: dict[str, str] = {
    "430203004000": "董家塅街道 董家塅",
    "430212000000": "株洲县",
}

_SUFFIXES = ("社区居民委员会", "社区居委会", "居民委员会", "居委会", "村民委员会", "村委会")


def short_name_of(name: str) -> str:
    """'月塘居委会' -> '月塘社区', '星锋村村委会' -> '星锋村', '花石村委会' -> '花石村'."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("村"):
                return stem if stem.endswith("村") else stem + "村"
            return stem if stem.endswith("社区") else stem + "社区"
    return name


def search_text_of(name: str, aliases: str = "") -> str:
    words = [name, short_name_of(name), *aliases.split()]
    initials = {"".join(lazy_pinyin(w, style=Style.FIRST_LETTER)) for w in words}
    full = {"".join(lazy_pinyin(w)) for w in words}
    return " ".join(dict.fromkeys([*words, *sorted(initials), *sorted(full)])).lower()[:400]


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


_LEVELS = {
    "city": Level.CITY,
    "county": Level.COUNTY,
    "township": Level.TOWNSHIP,
    "village": Level.VILLAGE,
}


def divisions_load(*, path: Path = DIVISIONS_CSV) -> LoadResult:
    """Load the NBS division tree. Idempotent: a second run changes nothing, and a row whose
    name changed is updated in place (its code, and so every fact filed under it, stays)."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    result = LoadResult()
    existing = {u.code: u for u in OrgUnit.objects.filter(kind=Kind.TERRITORIAL)}
    with transaction.atomic():
        # Rows come parent-first in the file; sort by code length of the significant prefix
        # anyway so that a parent always exists before its children.
        rows.sort(key=lambda r: (SCOPE_DIGITS[_LEVELS[r["level"]]], r["code12"]))
        by_code: dict[str, OrgUnit] = dict(existing)
        to_create: list[OrgUnit] = []
        for row in rows:
            code, level = row["code12"], _LEVELS[row["level"]]
            aliases = ALIASES.get(code, "")
            fields = {
                "name": row["name"],
                "short_name": short_name_of(row["name"]),
                "level": level,
                "scope_prefix": code[: SCOPE_DIGITS[level]],
                "aliases": aliases,
                "search_text": search_text_of(row["name"], aliases),
                "depth": list(SCOPE_DIGITS).index(level),
            }
            unit = by_code.get(code)
            if unit is None:
                unit = OrgUnit(code=code, kind=Kind.TERRITORIAL, **fields)
                unit.parent = by_code.get(row["parent_code12"])
                if unit.parent is None:
                    # The city's parent (the province) is outside the tree; save it now so
                    # that children can point at it.
                    unit.save()
                    result.created += 1
                else:
                    to_create.append(unit)
                by_code[code] = unit
                continue
            changed = [k for k, v in fields.items() if getattr(unit, k) != v]
            if changed:
                for k in changed:
                    setattr(unit, k, fields[k])
                unit.save(update_fields=[*changed, "updated_at"])
                result.updated += 1
            else:
                result.unchanged += 1
        # Children need their parents' primary keys: create level by level.
        for depth in range(4):
            batch = [u for u in to_create if u.depth == depth]
            for u in batch:
                u.parent_id = by_code[u.parent.code].pk if u.parent else None
            OrgUnit.objects.bulk_create(batch)
            if batch:
                created = OrgUnit.objects.filter(code__in=[u.code for u in batch])
                for u in created:
                    by_code[u.code] = u
            result.created += len(batch)
    return result


def _next_code(parent: OrgUnit, letter: str) -> str:
    base = parent.code + letter
    taken = OrgUnit.objects.filter(code__startswith=base).values_list("code", flat=True)
    numbers = [int(c[len(base) :][:3]) for c in taken if c[len(base) :][:3].isdigit()]
    width = 2 if letter in (GRID_LETTER, "P") else 3
    return base + str(max(numbers, default=0) + 1).zfill(width)


def unit_create(
    *,
    parent: OrgUnit,
    name: str,
    kind: str,
    party_kind: str = "",
    aliases: str = "",
) -> OrgUnit:
    """Add a grid (网格) below a village, or a non-territorial unit below any unit.

    The new code extends the parent's code, so the prefix rule of DESIGN.md holds for it.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写名称。"})
    if kind == "grid":
        if parent.level != Level.VILLAGE or parent.kind != Kind.TERRITORIAL:
            raise ValidationError({"kind": "网格只能建在村（社区）之下。"})
        letter, level, unit_kind = GRID_LETTER, Level.GRID, Kind.TERRITORIAL
    else:
        if kind not in KIND_LETTERS:
            raise ValidationError({"kind": f"未知的单元类别：{kind}"})
        letter, level, unit_kind = KIND_LETTERS[Kind(kind)], Level(parent.level), Kind(kind)
        if unit_kind == Kind.PARTY_BRANCH and party_kind not in PartyOrgKind.values:
            raise ValidationError(
                {"party_kind": "请选择党组织类别（党委、党工委、党总支、党支部或临时党支部）。"}
            )
    with transaction.atomic():
        code = _next_code(parent, letter)
        return OrgUnit.objects.create(
            code=code,
            scope_prefix=code,
            name=name,
            short_name=name,
            level=level,
            kind=unit_kind,
            party_kind=party_kind if unit_kind == Kind.PARTY_BRANCH else "",
            parent=parent,
            depth=parent.depth + 1,
            aliases=aliases,
            search_text=search_text_of(name, aliases),
        )
