"""The import figure and the PostgreSQL bulk load leave the database as they found it."""

from typing import Any

import pytest
from django.db import connection

from bastion.benchmarks.dataset import dataset_build
from bastion.benchmarks.importing import import_bench
from bastion.benchmarks.tests.conftest import TODAY
from bastion.benchmarks.tiers import Tier
from bastion.people.models import Household, Person
from bastion.screening.models import Signal, TravelRecord


def test_the_import_figure_rolls_its_writes_back(zhuzhou: None, tiny: Tier) -> None:
    # given a dataset
    dataset_build(tier=tiny, seed=7, today=TODAY)
    before = (Person.objects.count(), Household.objects.count())

    # when the import figure runs (the tier's sheet, and screening's own bench_import)
    rows = import_bench(tiny, seed=7)

    # then it measured a first import of the sheet, with the CPU of both sides
    assert "import of the tier sheet (60 rows" in rows[0].figure
    assert rows[0].ratio is not None and "in CPU" in rows[0].note
    assert "created 0," not in rows[0].note
    # and nothing it wrote is left
    assert (Person.objects.count(), Household.objects.count()) == before
    assert not TravelRecord.objects.exists()
    assert not Signal.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_import_figure_vacuums_what_it_wrote_on_postgresql() -> None:
    from django.test.utils import CaptureQueriesContext

    from bastion.benchmarks.importing import vacuum_written

    with CaptureQueriesContext(connection) as queries:
        tables = vacuum_written()
    if connection.vendor != "postgresql":
        assert tables == [] and not queries.captured_queries
        return
    assert tables == [
        "people_person",
        "people_household",
        "screening_travelrecord",
        "screening_signal",
        "screening_signalevent",
    ]
    assert [q["sql"] for q in queries.captured_queries] == [
        f'VACUUM (ANALYZE) "{t}"' for t in tables
    ]


def _schema(tables: list[str]) -> tuple[list[Any], list[Any]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1",
            [tables],
        )
        return indexes, cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk load is PostgreSQL's")
def test_the_bulk_load_puts_back_every_index_and_constraint(zhuzhou: None, tiny: Tier) -> None:
    # given the loaded tables' indexes and constraints as migrated
    tables = [
        "people_household",
        "people_person",
        "observation_observation",
        "observation_checkin",
        "checkpoints_vehiclepassage",
        "checkpoints_passengercheck",
    ]
    migrated = _schema(tables)

    # when a dataset is built (they are dropped for the load)
    dataset_build(tier=tiny, seed=7, today=TODAY)

    # then the same ones are there again, and in force
    indexes, constraints = _schema(tables)
    assert [name for name, _ in indexes] == [name for name, _ in migrated[0]]
    assert constraints == migrated[1]
    assert any("FOREIGN KEY" in definition for _, definition in constraints)
