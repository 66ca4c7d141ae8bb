"""Days are Beijing calendar days; the number of queries does not grow with the children."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.reports.selectors import situation_report
from bastion.reports.tests import facts
from bastion.reports.tests.facts import DAY, at
from bastion.testing import Tree

NEXT = DAY + timedelta(days=1)


def test_a_fact_at_23_59_is_today_and_at_00_01_tomorrow(tree: Tree) -> None:
    facts.signal(tree.yuetang, at(DAY, "23:59"))
    facts.signal(tree.yuetang, at(NEXT, "00:01"))
    facts.observation(tree.yuetang, at(DAY, "23:59"))
    facts.observation(tree.yuetang, at(NEXT, "00:00"))
    today = situation_report(tree.liyu, DAY)
    tomorrow = situation_report(tree.liyu, NEXT)
    assert today.value("signals.found") == 1
    assert tomorrow.value("signals.found") == 1
    assert today.value("observation.new") == 1
    assert today.value("observation.active") == 1
    assert tomorrow.value("observation.new") == 1
    assert tomorrow.value("observation.active") == 2


def test_a_fact_at_16_30_utc_belongs_to_the_next_local_day(tree: Tree) -> None:
    # 16:30 UTC on 9 Feb is 00:30 on 10 Feb in Beijing
    facts.signal(tree.yuetang, datetime(2020, 2, 9, 16, 30, tzinfo=UTC))
    facts.signal(tree.yuetang, datetime(2020, 2, 9, 15, 59, tzinfo=UTC))  # 23:59 local
    assert situation_report(tree.liyu, DAY).value("signals.found") == 1
    assert situation_report(tree.liyu, NEXT).value("signals.found") == 1


def test_an_empty_or_reversed_range_is_refused(tree: Tree) -> None:
    with pytest.raises(ValueError, match="end before start"):
        situation_report(tree.liyu, NEXT, DAY)
    with pytest.raises(ValueError, match="range too long"):
        situation_report(tree.liyu, DAY - timedelta(days=400), DAY)


def _villages(township: OrgUnit, count: int, first: int = 0) -> None:
    for n in range(first, first + count):
        code = f"{township.scope_prefix}{200 + n:03d}"
        village = OrgUnit.objects.create(
            code=code,
            scope_prefix=code,
            name=f"村{n}",
            level=Level.VILLAGE,
            kind=Kind.TERRITORIAL,
            parent=township,
            depth=township.depth + 1,
        )
        facts.signal(village, at(DAY))
        facts.observation(village, at(DAY))


def _queries(unit: OrgUnit) -> int:
    with CaptureQueriesContext(connection) as captured:
        situation_report(unit, DAY)
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_children(
    tree: Tree, django_assert_max_num_queries: Any
) -> None:
    _villages(tree.liyu, 2)
    small = _queries(tree.liyu)
    _villages(tree.liyu, 30, first=2)
    with django_assert_max_num_queries(small):
        report = situation_report(tree.liyu, DAY)
    assert len(report.children) == 34
    assert report.value("signals.found") == 32
    # with an attached checkpoint (a second prefix length) a few more, still not per unit
    facts.attached(tree.liyu)
    with django_assert_max_num_queries(small * 2):
        situation_report(tree.liyu, DAY)
