"""The import's bulk write path: COPY on PostgreSQL, one `executemany` on SQLite.

Rows go in as plain dicts of column values, never as model instances: building 100,000
instances and compiling SQL for each costs more than the insert itself. The primary keys are
drawn first (the sequence on PostgreSQL; on SQLite the writer holds the database lock, so the
next free ids are safe), so that rows can reference each other. Values that need converting
(dates and times, JSON) are converted once per distinct value. Callers run inside
`transaction.atomic`.
"""

import json
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Field types whose Python values the database drivers take as they are.
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
    "UUIDField",
}
CHUNK = 5000


class JsonText(str):
    """A JSON column's value already written as JSON text: sent as it is."""


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys for new rows of `model`, in order."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array, not `count` rows: the values need not be consecutive (others may
            # draw from the sequence meanwhile), only ours.
            cursor.execute(
                "SELECT array_agg(nextval(pg_get_serial_sequence(%s, 'id'))) "
                "FROM generate_series(1, %s)",
                [table, count],
            )
            return list(cursor.fetchone()[0])
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - a model's own table
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
    return list(range(start, start + count))


def _needs_converting(field: models.Field[Any, Any]) -> bool:
    return field.get_internal_type() not in _PLAIN and connection.vendor in ("postgresql", "sqlite")


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    memo: dict[Any, Any] = {}
    if isinstance(field, models.JSONField) and field.encoder is None:
        # A dict becomes its JSON text, which both COPY and SQLite take for a JSON column:
        # what the field's own adapter would send, without an adapter object per row.
        def as_json(value: Any) -> Any:
            if value is None or isinstance(value, JsonText):
                return value
            return json.dumps(value)

        return as_json

    def convert(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            prepped = field.get_db_prep_save(value, connection)
            memo[value] = prepped
            return prepped
        except TypeError:  # unhashable (a dict for a JSON field)
            return field.get_db_prep_save(value, connection)

    return convert


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    """Each column's value when a row leaves it out: its default, or now for auto times."""
    now = timezone.now()
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values[f.attname] = now
        elif f.has_default():
            values[f.attname] = f.get_default()
        elif f.null:
            values[f.attname] = None
        elif f.get_internal_type() in ("CharField", "TextField"):
            values[f.attname] = ""
    return values


def insert_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Insert `rows` (dicts by attname: "person_id", not "person") and return their ids in
    order. A column a row leaves out takes the field's default."""
    if not rows:
        return []
    ids = allocate_ids(model, len(rows))
    fields = list(model._meta.concrete_fields)
    defaults = _defaults(model)
    pk = "id"  # every table here has Django's default primary key
    names = [f.attname for f in fields]
    pick = itemgetter(*names)
    # Only the columns whose values need converting pay for it (dates and times, JSON).
    converters = [(i, _converter(f)) for i, f in enumerate(fields) if _needs_converting(f)]
    columns = ", ".join(connection.ops.quote_name(f.column or f.name) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            batch = []
            for row, new_id in zip(
                rows[start : start + CHUNK], ids[start : start + CHUNK], strict=True
            ):
                full = defaults | row
                full[pk] = new_id
                values = list(pick(full))
                for i, convert in converters:
                    values[i] = convert(values[i])
                batch.append(values)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in batch:
                        copy.write_row(values)
            elif connection.vendor == "sqlite":
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)  # noqa: S608
            else:
                model._default_manager.bulk_create(
                    [model(**dict(zip(names, values, strict=True))) for values in batch]
                )
            if progress is not None:
                progress(min(start + CHUNK, len(rows)))
    return ids
