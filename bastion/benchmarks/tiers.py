"""The dataset sizes of issue 8 (S runs in CI, M is the default, L is the whole city)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    name: str
    persons: int
    observed: int  # under observation now (a 14-day period covering today)
    checkins: int  # of the observed and of those who finished their period before
    passages: int  # vehicles over the last 30 days
    passengers: int  # occupants of those vehicles (at least one each)
    sheet_rows: int  # rows of the screening sheet to import


TIERS = {
    "S": Tier("S", 50_000, 2_000, 56_000, 50_000, 110_000, 20_000),
    "M": Tier("M", 1_000_000, 50_000, 1_400_000, 1_560_000, 3_400_000, 500_000),
    "L": Tier("L", 3_900_000, 100_000, 2_800_000, 3_100_000, 6_900_000, 1_000_000),
}


def tier_scaled(base: Tier, factor: float, name: str = "") -> Tier:
    """A tier scaled down (the tests' tiny tier, `bench --scale`), keeping the proportions."""

    def n(value: int, least: int = 1) -> int:
        return max(least, round(value * factor))

    observed = n(base.observed, 2)
    passages = n(base.passages)
    return Tier(
        name=name or f"{base.name}×{factor:g}",
        persons=max(n(base.persons), observed * 2 + n(base.checkins) // 28 + 2),
        observed=observed,
        checkins=n(base.checkins),
        passages=passages,
        passengers=max(n(base.passengers), passages),
        sheet_rows=n(base.sheet_rows, 10),
    )
