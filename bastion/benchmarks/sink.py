"""Bulk writes for the dataset: COPY on PostgreSQL, one-transaction `executemany` on SQLite.

Rows carry their primary keys (the builder numbers them), so related rows can point at each
other without reading ids back, and PostgreSQL can take them through COPY. Columns a caller
does not give take the field's default, computed once per call.
"""

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

BATCH = 50_000


def _sqlite_value(value: Any) -> Any:
    """What Django's SQLite backend stores for a value (naive UTC datetimes, hex UUIDs)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, Decimal):
        return str(value)
    return value


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v, ensure_ascii=False)
    if connection.vendor == "sqlite" and isinstance(
        field, models.DateField | models.UUIDField | models.DecimalField
    ):
        return _sqlite_value
    return None


def _default(field: models.Field[Any, Any], now: datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value")


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


def rows_insert(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` (values for the fields `names`, primary key included) into `model`'s
    table; the other columns get their defaults. Returns the number of rows written."""
    meta = model._meta
    given = [_concrete(model, n) for n in names]
    rest = [f for f in meta.concrete_fields if f.name not in names]
    now = timezone.now()
    constants = tuple(_default(f, now) for f in rest)
    fields = [*given, *rest]
    converters = [_converter(f) for f in fields]
    constants = tuple(
        c(v) if c else v for c, v in zip(converters[len(given) :], constants, strict=True)
    )
    live = [(i, c) for i, c in enumerate(converters[: len(given)]) if c is not None]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(meta.db_table)

    def prepared(row: Sequence[Any]) -> tuple[Any, ...]:
        if live:
            values = list(row)
            for i, convert in live:
                values[i] = convert(values[i])
            return (*values, *constants)
        return (*row, *constants)

    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepared(row))
                    written += 1
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from _meta
            iterator = iter(rows)
            while batch := [prepared(r) for r in islice(iterator, BATCH)]:
                cursor.executemany(sql, batch)
                written += len(batch)
    return written


@contextmanager
def bulk_load(*model_list: type[models.Model]) -> Iterator[None]:
    """Load the tables of `model_list` the way PostgreSQL's manual advises ("Populating a
    Database"): their secondary indexes and foreign keys are dropped for the load, and made
    again once it is done, in the caller's transaction. One sort per index and one join per
    foreign key replace millions of random index insertions and per-row trigger checks.
    Primary keys and unique constraints stay. Elsewhere (SQLite) it does nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in model_list]
    with connection.cursor() as cursor:
        # Rows inserted earlier in the transaction are checked now, so that no check is left
        # pending on a table whose constraints change (PostgreSQL refuses that).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT i.indexrelid::regclass::name, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::name, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        foreign = cursor.fetchall()
        for table, name, _definition in foreign:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def sequences_reset(*model_list: type[models.Model]) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def next_id(model: type[models.Model]) -> int:
    last = model._default_manager.aggregate(m=models.Max("pk"))["m"]
    return int(last or 0) + 1
