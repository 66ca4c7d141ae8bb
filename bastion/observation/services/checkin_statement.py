"""A plain check-in in one statement on PostgreSQL (decision 0007).

Most check-ins are plain: a normal reading, no correction, no alert to raise or answer. For
them the check-in, the observation's last check-in and the API's stored answer (the
Idempotency-Key record) are written by one statement, which PostgreSQL runs as one
transaction: no BEGIN and COMMIT round trips, one wait instead of five. Measured on the
check-in API under load, each round trip cost more than its SQL (the thread gives up and
waits for the interpreter lock each time): 0.51x the floor's throughput with five, 0.61x
with one (docs/benchmarks.md, "The check-in API, third round").

The rows are the ones `save()` writes (`core.fastsql` prepares the values and sends the
signals); a unique conflict (a replayed client UUID, a used key) fails the whole statement,
as it failed the transaction before. Anything else, and SQLite, takes the transactional path
in `checkins.checkin_record`.
"""

from contextlib import nullcontext
from datetime import datetime
from functools import cache

from django.db import connections, router, transaction

from bastion.core import fastsql
from bastion.core.models import IdempotencyRecord
from bastion.observation.models import CheckIn, Observation


@cache
def _last_checkin_update(alias: str) -> str:
    """The observation's last check-in moves forward, never back (a late paper record).
    Values: the check-in's time, the observation, the time again."""
    quote = connections[alias].ops.quote_name
    table = quote(Observation._meta.db_table)
    last = quote(fastsql.column(Observation._meta.get_field("last_checkin_at")))
    key = quote(fastsql.column(Observation._meta.pk))
    return (
        f"UPDATE {table} SET {last} = %s "  # noqa: S608
        f"WHERE {key} = %s AND ({last} IS NULL OR {last} < %s)"
    )


def last_checkin_advance(observation_id: int, measured_at: datetime) -> None:
    """`_last_checkin_update` on its own (the transactional path)."""
    alias = router.db_for_write(Observation)
    connection = connections[alias]
    at = Observation._meta.get_field("last_checkin_at").get_db_prep_save(measured_at, connection)
    with connection.cursor() as cursor:
        cursor.execute(_last_checkin_update(alias), [at, observation_id, at])


@cache
def _statement(alias: str, advance: bool, answered: bool) -> str:
    quote = connections[alias].ops.quote_name
    parts = [f"c AS ({fastsql.insert_statement(CheckIn, alias)})"]
    if advance:
        parts.append(f"u AS ({_last_checkin_update(alias)})")
    if not answered:
        return f"WITH {', '.join(parts)} SELECT c.id, NULL FROM c"  # noqa: S608 - model names
    table, fields = IdempotencyRecord._meta.db_table, fastsql.insert_fields(IdempotencyRecord)
    columns = ", ".join(quote(fastsql.column(f)) for f in fields)
    # The answer names the check-in's id, which only this statement knows: it is set here.
    values = ", ".join(
        "%s || jsonb_build_object('id', c.id)" if f.name == "body" else "%s" for f in fields
    )
    key = quote(fastsql.column(IdempotencyRecord._meta.pk))
    parts.append(
        f"r AS (INSERT INTO {quote(table)} ({columns}) "  # noqa: S608
        f"SELECT {values} FROM c RETURNING {key})"
    )
    return f"WITH {', '.join(parts)} SELECT c.id, r.id FROM c, r"  # noqa: S608 - model names


def one_statement() -> bool:
    """Whether the database takes `plain_checkin_write` (PostgreSQL)."""
    return connections[router.db_for_write(CheckIn)].vendor == "postgresql"


def plain_checkin_write(
    checkin: CheckIn, answer: IdempotencyRecord | None, *, advance: datetime | None
) -> None:
    """Write `checkin` (and `answer`, whose body's "id" becomes the check-in's) in one
    statement; `advance` moves the observation's last check-in forward to it."""
    alias = router.db_for_write(CheckIn)
    connection = connections[alias]
    rows = [checkin] if answer is None else [checkin, answer]
    for row in rows:
        fastsql.saving(row, alias)
    params = fastsql.insert_values(checkin, alias)
    if advance is not None:
        at = Observation._meta.get_field("last_checkin_at").get_db_prep_save(advance, connection)
        params += [at, checkin.observation_id, at]
    if answer is not None:
        params += fastsql.insert_values(answer, alias)
    sql = _statement(alias, advance is not None, answer is not None)
    # Inside a caller's transaction the statement gets a savepoint, so that its conflict
    # can be answered; in autocommit it is its own transaction.
    atomic = transaction.atomic(using=alias) if connection.in_atomic_block else nullcontext()
    with atomic, connection.cursor() as cursor:
        cursor.execute(sql, params)
        checkin_id, answer_id = cursor.fetchone()
    fastsql.saved(checkin, alias, checkin_id)
    if answer is not None:
        answer.body = {**answer.body, "id": checkin_id}
        fastsql.saved(answer, alias, answer_id)
