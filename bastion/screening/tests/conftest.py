"""Fixtures of the screening tests: signals in the shared small tree, at controlled times."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from bastion.people.models import Household
from bastion.screening.models import Signal, Sweep
from bastion.screening.services import signal_raise
from bastion.screening.services.sweeps import sweep_start
from bastion.screening.services.travel import Journey
from bastion.testing import Tree

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def raise_signal(tree: Tree) -> Any:
    """`raise_signal(unit=..., hours_ago=3, **fields)`: a new signal found `hours_ago`."""

    def make(
        unit: Any = None, hours_ago: float = 1, found_at: datetime | None = None, **fields: Any
    ) -> Signal:
        fields.setdefault("source", "sweep")
        fields.setdefault("reason", "武汉返乡")
        fields.setdefault("subject_name", "王五")
        signal, _ = signal_raise(
            unit=unit or tree.yuetang,
            found_at=found_at or timezone.now() - timedelta(hours=hours_ago),
            **fields,
        )
        return signal

    return make


@pytest.fixture
def households(tree: Tree) -> Any:
    """Three households in 月塘 (one on its grid 1) and two in 栗雨居委会."""
    from bastion.orgs.services import unit_create

    grid = unit_create(parent=tree.yuetang, name="月塘第一网格", kind="grid")

    def home(unit: Any, address: str) -> Household:
        return Household.objects.create(unit=unit, unit_code=unit.code, address=address)

    return {
        "grid": grid,
        "a": home(tree.yuetang, "月塘路 1 号"),
        "b": home(tree.yuetang, "月塘路 2 号"),
        "c": home(grid, "月塘路 3 号"),
        "d": home(tree.liyujuwei, "栗雨路 1 号"),
        "e": home(tree.liyujuwei, "栗雨路 2 号"),
    }


@pytest.fixture
def sweep(tree: Tree, personas: Any) -> Sweep:
    """A sweep of 栗雨街道 from a week ago to a week ahead."""
    today = timezone.localdate()
    return sweep_start(
        actor=personas.township_officer,
        unit=tree.liyu,
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=7),
    )


def journey(**fields: Any) -> Journey:
    values: dict[str, Any] = {
        "origin_province": "湖北省",
        "origin_city": "武汉市",
        "arrived_on": timezone.localdate() - timedelta(days=2),
        "transport": "train",
        "transport_no": "G1234",
    }
    values.update(fields)
    return Journey(**values)


@pytest.fixture
def api(client_of: Any) -> Any:
    """`api(user)("post", "/signals", data={...})`: JSON calls as `user`."""

    def make(user: Any) -> Any:
        client = client_of(user)

        def call(method: str, path: str, **kwargs: Any) -> Any:
            kwargs.setdefault("content_type", "application/json")
            return getattr(client, method)("/api/v1" + path, **kwargs)

        return call

    return make
