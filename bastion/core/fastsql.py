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


def insert(instance: Model) -> None:
    """Write a new `instance` as `instance.save()` would (signals included) and set its
    primary key."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    sql, fields = _insert_statement(model, alias)
    pre_save.send(sender=model, instance=instance, raw=False, using=alias, update_fields=None)
    params = []
    for field in fields:
        value = field.pre_save(instance, True)
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"fastsql.insert takes plain values, not {value!r} ({field.name})")
        params.append(field.get_db_prep_save(value, connection))
    with transaction.mark_for_rollback_on_error(alias), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if connection.features.can_return_columns_from_insert:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, model._meta.db_table, column(model._meta.pk))
    setattr(instance, model._meta.pk.attname, pk)
    instance._state.adding = False
    instance._state.db = alias
    post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=alias
    )


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
