"""The import figure and the PostgreSQL bulk load leave the database as they found it."""

from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from bastion.benchmarks.dataset import dataset_build
from bastion.benchmarks.importing import import_bench, import_run
from bastion.benchmarks.marks import high_water
from bastion.benchmarks.same_rows import WRITTEN, capture, same_rows_floor
from bastion.benchmarks.sheet import sheet_write
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
    # against the same rows put raw into the same tables, and against the sheet alone
    assert "into the same tables" in rows[0].floor and "decision 0009" in rows[0].note
    assert "the sheet alone" in rows[1].figure and rows[1].ratio is not None
    # and nothing it wrote is left
    assert (Person.objects.count(), Household.objects.count()) == before
    assert not TravelRecord.objects.exists()
    assert not Signal.objects.exists()


def _rows_above(marks: dict[str, int]) -> dict[str, list[tuple[Any, ...]]]:
    rows = {}
    with connection.cursor() as cursor:
        for model in WRITTEN:
            table = model._meta.db_table
            cursor.execute(f'SELECT * FROM "{table}" WHERE id > %s ORDER BY id', [marks[table]])  # noqa: S608
            rows[table] = cursor.fetchall()
    return rows


def test_the_same_rows_floor_writes_exactly_what_the_import_wrote(
    zhuzhou: None, tiny: Tier, tmp_path: Path
) -> None:
    # given a dataset, the tier's sheet, and what the import writes, captured before rollback
    dataset_build(tier=tiny, seed=7, today=TODAY)
    sheet = tmp_path / "screening.xlsx"
    sheet_write(sheet, tier=tiny, seed=7)
    marks = high_water(WRITTEN)
    with transaction.atomic():
        import_run(sheet)
        written = _rows_above(marks)
        counts = capture(marks, tmp_path)
        transaction.set_rollback(True)
    assert all(not rows for rows in _rows_above(marks).values())

    # when the floor runs
    with transaction.atomic():
        result = same_rows_floor(sheet, tmp_path)
        put_back = _rows_above(marks)
        transaction.set_rollback(True)

    # then it wrote the very same rows, in every table the import writes
    assert put_back == written
    assert counts == {table: len(rows) for table, rows in written.items()}
    assert result["rows"] == sum(counts.values())
    assert all(counts.values()), counts  # households, persons, journeys, signals, events
    assert result["cells"] > 0


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
        "people_household",
        "people_person",
        "screening_travelrecord",
        "screening_signal",
        "screening_signalevent",
    ]
    assert [q["sql"] for q in queries.captured_queries] == [
        sql for t in tables for sql in (f'REINDEX TABLE "{t}"', f'VACUUM (ANALYZE) "{t}"')
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
