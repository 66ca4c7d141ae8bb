"""What a figure adds to the tier's database, and putting the database back after it.

The figures that write (the check-in load commits its check-ins; the import's rollback leaves
dead rows and swollen indexes) would otherwise change the data the next figures and the next
run measure: after a few check-in runs the city's pages read three times the day's check-ins
of the dataset, and after a rolled-back import the persons' indexes are twice their size.
Rows are found by the largest id before the figure ran (every table here has an
increasing integer key).
"""

from collections.abc import Iterable

from django.db import connection, models


def quoted(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def high_water(written: Iterable[type[models.Model]]) -> dict[str, int]:
    """The largest id of each model's table (0 when empty)."""
    marks = {}
    with connection.cursor() as cursor:
        for model in written:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted(model)}")  # noqa: S608
            marks[model._meta.db_table] = int(cursor.fetchone()[0])
    return marks


def delete_above(marks: dict[str, int], written: Iterable[type[models.Model]]) -> int:
    """Delete each table's rows above its mark, in the order given (the referring tables
    first); the number of rows deleted."""
    deleted = 0
    with connection.cursor() as cursor:
        for model in written:
            mark = marks[model._meta.db_table]
            cursor.execute(f"DELETE FROM {quoted(model)} WHERE id > %s", [mark])  # noqa: S608
            deleted += max(cursor.rowcount, 0)
    return deleted


def tidy(written: Iterable[type[models.Model]], *, reindex: bool = False) -> list[str]:
    """On PostgreSQL, outside a transaction: rebuild the tables' indexes if asked (a
    rolled-back bulk insert leaves them at twice their size, and a vacuum does not shrink
    them), then VACUUM (ANALYZE) them (dead rows, fresh statistics: autovacuum may be off or
    late); the tables' names. Elsewhere nothing."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return []
    tables = [model._meta.db_table for model in written]
    with connection.cursor() as cursor:
        for model in written:
            if reindex:
                cursor.execute(f"REINDEX TABLE {quoted(model)}")
            cursor.execute(f"VACUUM (ANALYZE) {quoted(model)}")
    return tables
