"""Statements of the hottest paths without the ORM's per-call SQL compilation (decision 0007).

Django builds the text of every statement afresh from its query tree. On the check-in API,
which a city's grid workers hit thousands of times an hour, building three statements was
most of the request's CPU (docs/benchmarks.md, figure 2). These helpers build a statement's
text once per model and database and only adapt the values on each call, with each field's
own `pre_save` and `get_db_prep_save`, so the row written is the row `save()` writes. The
model signals are sent as `save()` sends them, so receivers (the daily roll-ups, the token
memory) see the write.

They cover plain rows only: no expressions as values, no multi-table inheritance, no
deferred fields. Anything else uses the ORM.
"""

from functools import cache
from typing import Any, TypeVar

from django.db import connections, router, transaction
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=Model)


def column(field: Field[Any, Any]) -> str:
    """A concrete field's column (the stubs allow None, which only non-concrete fields have)."""
    if field.column is None:
        raise TypeError(f"{field.name} has no column")
    return field.column


@cache
def _insert_statement(model: type[Model], alias: str) -> tuple[str, tuple[Field[Any, Any], ...]]:
    connection = connections[alias]
    meta = model._meta
    fields = tuple(f for f in meta.local_concrete_fields if not f.primary_key or not f.db_returning)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column(f)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {quote(column(meta.pk))}"
    return sql, fields


def insert_values(instance: Model, alias: str) -> list[Any]:
    """The values `instance` is inserted with, in the order of `_insert_statement`'s columns,
    as `save()` prepares them (auto_now_add and other `pre_save` values are set on it)."""
    connection = connections[alias]
    _sql, fields = _insert_statement(type(instance), alias)
    params = []
    for field in fields:
        value = field.pre_save(instance, True)
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"fastsql takes plain values, not {value!r} ({field.name})")
        params.append(field.get_db_prep_save(value, connection))
    return params


def insert_fields(model: type[Model]) -> tuple[Field[Any, Any], ...]:
    """The fields an insert of `model` writes, in the statement's column order."""
    return _insert_statement(model, router.db_for_write(model))[1]


def insert_statement(model: type[Model], alias: str) -> str:
    """The INSERT of one `model` row (`RETURNING` its key where the database can), built once."""
    return _insert_statement(model, alias)[0]


def saving(instance: Model, alias: str) -> None:
    """What `save()` sends before writing a new row."""
    pre_save.send(
        sender=type(instance), instance=instance, raw=False, using=alias, update_fields=None
    )


def saved(instance: Model, alias: str, pk: Any) -> None:
    """What `save()` does once a new row is written: its key, its state, `post_save`."""
    setattr(instance, type(instance)._meta.pk.attname, pk)
    instance._state.adding = False
    instance._state.db = alias
    post_save.send(
        sender=type(instance),
        instance=instance,
        created=True,
        update_fields=None,
        raw=False,
        using=alias,
    )


def insert(instance: Model) -> None:
    """Write a new `instance` as `instance.save()` would (signals included) and set its
    primary key."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    saving(instance, alias)
    params = insert_values(instance, alias)
    with transaction.mark_for_rollback_on_error(alias), connection.cursor() as cursor:
        cursor.execute(insert_statement(model, alias), params)
        if connection.features.can_return_columns_from_insert:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, model._meta.db_table, column(model._meta.pk))
    saved(instance, alias, pk)


@cache
def _select_statement(model: type[Model], alias: str) -> tuple[str, tuple[str, ...]]:
    quote = connections[alias].ops.quote_name
    meta = model._meta
    fields = meta.concrete_fields
    columns = ", ".join(quote(column(f)) for f in fields)
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(column(meta.pk))} = %s"  # noqa: S608
    return sql, tuple(f.attname for f in fields)


def get(model: type[M], pk: int) -> M | None:
    """The row of `model` with primary key `pk`, as `model.objects.filter(pk=pk).first()`
    reads it, or None. Not scoped: callers test the row's unit code (see
    `accounts.jurisdiction.get_by_pk_scoped_or_404`)."""
    alias = router.db_for_read(model)
    sql, names = _select_statement(model, alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    connection = connections[alias]
    converters = _converters(model, alias)
    if converters:
        row = list(row)
        for position, functions, expression in converters:
            for convert in functions:
                row[position] = convert(row[position], expression, connection)
    return model.from_db(alias, list(names), row)


@cache
def _converters(model: type[Model], alias: str) -> tuple[tuple[int, tuple[Any, ...], Any], ...]:
    """What the ORM applies to the values a database returns, per column (JSON decoding,
    Decimal quantising, SQLite's dates and UUIDs), as the SQL compiler collects them."""
    connection = connections[alias]
    found = []
    for position, field in enumerate(model._meta.concrete_fields):
        expression = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        if functions:
            found.append((position, tuple(functions), expression))
    return tuple(found)
