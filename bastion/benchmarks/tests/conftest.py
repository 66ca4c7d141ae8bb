"""Fixtures of the benchmark tests: the real Zhuzhou tree and a tiny tier."""

from datetime import date
from typing import Any

import pytest

from bastion.benchmarks.tiers import Tier
from bastion.orgs.services import divisions_load

TODAY = date(2020, 2, 10)  # the article's winter; the dataset is relative to this day


@pytest.fixture
def zhuzhou(db: Any) -> None:
    divisions_load()


@pytest.fixture
def tiny() -> Tier:
    return Tier(
        "tiny", persons=300, observed=10, checkins=400, passages=120, passengers=270, sheet_rows=60
    )
