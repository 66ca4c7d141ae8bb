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

CITY = "430200000000"
PAGES = (
    ("core:home", {}),
    ("people:list", {}),
    ("observation:today", {}),
    ("observation:list", {}),
    ("checkpoints:index", {}),
    ("screening:inbox", {}),
    ("dashboard:home", {}),
)


def query_counts(users: dict[str, Any]) -> dict[tuple[str, str], int]:
    counts = {}
    for persona in ("commander", "village_worker"):
        client = Client()
        client.force_login(users[persona])
        for name, kwargs in PAGES:
            status, _spent, queries, _body = page_stats(client, reverse(name, kwargs=kwargs))
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

    # when the dataset is four times larger
    dataset_clear()
    call_command("bench_data", "--tier=S", "--scale=0.004", stdout=StringIO())
    large = query_counts(users)

    # then every page makes the same number of queries (one more at most: a page that
    # shows an extra block once it has rows to show)
    grew = {page: (small[page], large[page]) for page in small if large[page] > small[page] + 1}
    assert grew == {}
