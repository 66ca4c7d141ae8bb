"""The main list and dashboard pages make as many queries over a larger dataset as over a
smaller one: no query per row (DESIGN.md §1.6, "query counts are tested")."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bastion.benchmarks.dataset import dataset_clear
from bastion.benchmarks.pages import page_stats, personas
from bastion.reports.models import CheckpointDay, RollupDay


def rollups_clear() -> None:
    """The roll-ups of a dataset removed by bulk deletes (decision 0006: a bulk path touches
    the days it rewrites; here every day)."""
    CheckpointDay.objects.all().delete()
    RollupDay.objects.all().delete()


CITY = "430200000000"
PAGES = (
    ("core:home", {}),
    ("people:list", {}),
    ("observation:today", {}),
    ("observation:list", {}),
    ("checkpoints:index", {}),
    ("screening:inbox", {}),
    ("dashboard:home", {}),
    # the city's pages (a village worker is answered 404): the roll-up readers
    ("dashboard:unit", {"code": CITY}),
    ("reports:unit", {"code": CITY}),
    ("checkpoints:report", {"code": CITY}),
)


def query_counts(users: dict[str, Any]) -> dict[tuple[str, str], int]:
    """Each page's queries on its second load: the first load of a day computes the checkpoint
    roll-up of its closed days (decision 0006), a bounded number of queries of its own."""
    counts = {}
    for persona in ("commander", "village_worker"):
        client = Client()
        client.force_login(users[persona])
        for name, kwargs in PAGES:
            path = reverse(name, kwargs=kwargs)
            page_stats(client, path)
            status, _spent, queries, _body = page_stats(client, path)
            if status == 302:  # the dashboard's home sends each persona to its own unit
                status, _spent, queries, _body = page_stats(client, _body)
            # a page outside a persona's work answers 404, in as few queries
            assert status == 200 or (persona != "commander" and status == 404), (persona, name)
            counts[(persona, name)] = queries
    return counts


@pytest.mark.usefixtures("zhuzhou")
def test_page_queries_do_not_grow_with_the_data() -> None:
    # given a small dataset
    call_command("bench_data", "--tier=S", "--scale=0.001", stdout=StringIO())
    users = personas()
    small = query_counts(users)

    # when the dataset is four times larger (a reload: its days' roll-ups are recomputed)
    dataset_clear()
    rollups_clear()
    call_command("bench_data", "--tier=S", "--scale=0.004", stdout=StringIO())
    large = query_counts(users)

    # then every page makes the same number of queries (one more at most: a page that
    # shows an extra block once it has rows to show)
    grew = {page: (small[page], large[page]) for page in small if large[page] > small[page] + 1}
    assert grew == {}
