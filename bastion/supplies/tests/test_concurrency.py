"""Concurrent issues of the same item cannot take stock below zero (the Stock row lock).

Runs on PostgreSQL, where the threads get real concurrent transactions; the test database of
SQLite is in memory and not shared between threads (there, IMMEDIATE transactions serialise
writers anyway: see bastion/supplies/services/ledger.py).
"""

import threading
import uuid

import pytest
from django.db import connection, connections

from bastion.core.errors import ValidationError
from bastion.supplies import services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_concurrent_issues_never_take_stock_below_zero(tree, personas):
    # given: 100 masks, and ten workers who each want 20 at the same moment
    masks = services.items_ensure()["口罩"]
    services.stock_receive(
        actor=personas.commander,
        unit=tree.yuetang,
        item=masks,
        quantity=100,
        source="purchase",
        client_uuid=uuid.uuid4(),
    )
    start = threading.Barrier(10)
    results: list[str] = []

    def worker() -> None:
        try:
            start.wait()
            services.stock_issue(
                actor=personas.village_worker,
                unit=tree.yuetang,
                item=masks,
                quantity=20,
                counterparty="卡点",
                client_uuid=uuid.uuid4(),
            )
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then
    assert sorted(results) == ["ok"] * 5 + ["refused"] * 5
    assert services.on_hand(unit=tree.yuetang, item=masks) == 0
