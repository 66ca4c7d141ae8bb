"""The import's bulk write path: COPY on PostgreSQL, one `executemany` on SQLite.

Django's `bulk_create` compiles SQL for every row, which costs more than the insert itself
on a 100,000-row sheet. Here the primary keys are drawn first (the sequence on PostgreSQL;
on SQLite the writer holds the database lock, so the next free ids are safe), so that rows
can reference each other, and then the values go to the database as they are. Callers run
inside `transaction.atomic`.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _allocate_ids(model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - a model's own table
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
    return list(range(start, start + count))


def _converter(field: models.Field[Any, Any]) -> Callable[[models.Model], Any]:
    if field.get_internal_type() in _PLAIN:
        attname = field.attname
        return lambda obj: getattr(obj, attname)

    def convert(obj: models.Model) -> Any:
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    return convert


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert `objs` (unsaved, their foreign keys set by id) and give each its primary key."""
    if not objs:
        return
    if connection.vendor not in ("postgresql", "sqlite"):
        model._default_manager.bulk_create(objs, batch_size=2000)
        return
    for obj, pk in zip(objs, _allocate_ids(model, len(objs)), strict=True):
        obj.pk = pk
    fields = list(model._meta.concrete_fields)
    for f in fields:
        # auto_now / auto_now_add stamp the object once, as save() would.
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                f.pre_save(obj, True)
    converters = [_converter(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column or f.name) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    rows = [[convert(obj) for convert in converters] for obj in objs]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
