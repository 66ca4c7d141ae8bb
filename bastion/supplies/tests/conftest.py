"""Fixtures of the supplies tests: the common items, a fixed clock, and helpers that write
movements as the city commander (who may write anywhere in the small tree)."""

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bastion.supplies import services
from bastion.supplies.models import Item, StockMovement
from bastion.testing import Personas

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2020-02-01, noon: the day the article appeared.
NOW = datetime(2020, 2, 1, 12, 0, tzinfo=SHANGHAI)


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


@pytest.fixture
def items(db: Any) -> dict[str, Item]:
    """The common items by name (口罩, 84 消毒液, …)."""
    return services.items_ensure()


@pytest.fixture
def masks(items: dict[str, Item]) -> Item:
    return items["口罩"]


@pytest.fixture
def receive(personas: Personas) -> Any:
    """`receive(unit, item, quantity, at=None)`: a purchase received at `unit`, now (the real
    clock) or at `at` on the fixed clock NOW."""

    def make(unit: Any, item: Item, quantity: int, at: datetime | None = None) -> StockMovement:
        movement, _created = services.stock_receive(
            actor=personas.commander,
            unit=unit,
            item=item,
            quantity=quantity,
            source="purchase",
            counterparty="千金大药房",
            occurred_at=at,
            client_uuid=uuid.uuid4(),
            now=NOW if at is not None else None,
        )
        return movement

    return make


@pytest.fixture
def issue(personas: Personas) -> Any:
    """`issue(unit, item, quantity, at=None)`: an issue to a household, by the commander, now
    (the real clock) or at `at` on the fixed clock NOW."""

    def make(unit: Any, item: Item, quantity: int, at: datetime | None = None) -> StockMovement:
        movement, _created = services.stock_issue(
            actor=personas.commander,
            unit=unit,
            item=item,
            quantity=quantity,
            counterparty="月塘路 1 号",
            counterparty_kind="household",
            occurred_at=at,
            client_uuid=uuid.uuid4(),
            now=NOW if at is not None else None,
        )
        return movement

    return make
