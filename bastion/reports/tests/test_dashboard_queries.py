"""The dashboard's query count does not grow with the number of child units or of days: the
same ceiling holds for a county of 2 townships and facts over 14 days, and for one of 8
townships (40 villages) with facts over 60 days."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bastion.orgs.models import Level
from bastion.reports.tests import test_dashboard_facts as given
from bastion.reports.tests.test_dashboard_facts import Facts, at, early, today
from bastion.testing import unit

facts = given.facts  # the fixture

# Measured 94 on SQLite: 3 situation reports (today, yesterday, the period), 2 for the
# period's start, 6 trends, 11 for the ranking, the page's own (session, user, units).
MAX_QUERIES = 110


def grow(tree, builder: Facts, townships: int, villages: int, days: int) -> None:
    """Townships under 天元区, each with villages, each village with a little of everything
    spread over `days` days."""
    t = today()
    for i in range(townships):
        township = unit(f"430211{100 + i:03d}000", f"测试街道{i}", Level.TOWNSHIP, tree.tianyuan)
        cp = builder.checkpoint(township)
        builder.shift(cp, t)
        for j in range(villages):
            village = unit(
                f"430211{100 + i:03d}{j + 1:03d}", f"测试村{i}-{j}", Level.VILLAGE, township
            )
            started = at(t - timedelta(days=days - 1))
            obs = builder.observation(village, started)
            builder.checkin(obs, early(t), fever=True)
            builder.alert(obs, "missed", early(t))
            builder.signal(village, at(t - timedelta(days=(i + j) % days)))
            builder.passage(cp, at(t - timedelta(days=j % days)), persons=2, fevers=1)
            builder.site(village, since=t - timedelta(days=1))
            builder.stock(village, on_hand=5, minimum=10)


def page_queries(client, code: str) -> int:
    """Queries of the page once the checkpoint roll-up of its closed days is computed (the
    first load of a new day computes it, in a bounded number of queries: the test above)."""
    client.get(f"/dashboard/{code}/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/dashboard/{code}/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("townships", "villages", "days"), [(2, 2, 14), (8, 5, 60)])
def test_dashboard_queries_do_not_grow_with_units_or_days(
    tree, personas, facts, client_of, django_assert_max_num_queries, townships, villages, days
):
    # given a county of the given size
    grow(tree, facts, townships, villages, days)
    client = client_of(personas.county_officer)
    client.get("/dashboard/")  # warm the session
    # when / then
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/dashboard/{tree.tianyuan.code}/")
    assert response.status_code == 200
    assert response.content.decode().count("data-rank-unit=") == townships + 1  # and 栗雨街道


def test_same_count_for_a_small_and_a_large_county(tree, personas, facts, client_of):
    client = client_of(personas.county_officer)
    grow(tree, facts, 2, 2, 14)
    small = page_queries(client, tree.tianyuan.code)
    grow_more = 6
    for i in range(grow_more):
        # more townships, more villages, and facts further back
        township = unit(f"430211{200 + i:03d}000", f"新街道{i}", Level.TOWNSHIP, tree.tianyuan)
        for j in range(4):
            village = unit(
                f"430211{200 + i:03d}{j + 1:03d}", f"新村{i}-{j}", Level.VILLAGE, township
            )
            facts.signal(village, at(today() - timedelta(days=50 + j)))
            facts.observation(village, at(today() - timedelta(days=45)))
    large = page_queries(client, tree.tianyuan.code)
    assert large == small
