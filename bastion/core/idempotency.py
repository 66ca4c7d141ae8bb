"""Idempotent POSTs: a retried request replays the stored answer instead of writing twice.

Used by API endpoints that create records:

    return idempotent(request, lambda: (201, PersonOut.of(person_create(...))))

Same `Idempotency-Key` and same body: the first answer is replayed. Same key, other body: 422.
The record is written in the same transaction as the work, so an answer is never stored for
work that was rolled back, and work is never committed without its answer.

`idempotent_in_work` is for hot endpoints whose work is itself safe to repeat (a check-in
replays by its client UUID) and runs its own transaction: it skips the look-up before the
work, the work stores the answer inside its own transaction, and a used key shows up as the
conflict of the record's insert, which rolls the work back.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja.errors import HttpError
from pydantic import BaseModel

from bastion.core import fastsql
from bastion.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"


def _jsonable(body: Any) -> Any:
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json")
    return json.loads(json.dumps(body, default=str))


def _key(request: HttpRequest) -> str:
    key = request.headers.get(HEADER, "").strip()
    if len(key) > 200:
        raise HttpError(422, "Idempotency-Key 不能超过 200 个字符。")
    return key


class Record:
    """The answer to keep for a request's Idempotency-Key. Called with (status, body) inside
    the work's transaction, it inserts the record; `row(status, body)` gives the record
    unsaved instead, for a work that writes it within its own statement (a check-in).
    Without a key there is nothing to keep: the call does nothing and `row` is None."""

    def __init__(self, request: HttpRequest | None = None, key: str = "") -> None:
        self.request, self.key = request, key
        self.request_hash = hashlib.sha256(request.body).hexdigest() if request and key else ""

    def row(self, status: int, body: Any) -> IdempotencyRecord | None:
        if self.request is None or not self.key or status >= 400:
            return None
        user: Any = self.request.user  # authenticated by the API before any endpoint runs
        return IdempotencyRecord(
            user=user,
            key=self.key,
            method=self.request.method or "POST",
            path=self.request.path,
            request_hash=self.request_hash,
            status=status,
            body=_jsonable(body),
        )

    def __call__(self, status: int, body: Any) -> None:
        row = self.row(status, body)
        if row is not None:
            fastsql.insert(row)  # the hot path: its statement is built once

    def stored(self) -> IdempotencyRecord | None:
        if self.request is None:
            return None
        user: Any = self.request.user
        return IdempotencyRecord.objects.filter(user=user, key=self.key).first()

    def replay(self, stored: IdempotencyRecord) -> tuple[int, Any]:
        """The stored answer, for the same request only."""
        if self.request is None or (stored.request_hash, stored.path) != (
            self.request_hash,
            self.request.path,
        ):
            raise HttpError(422, "同一个 Idempotency-Key 不能用于不同的请求内容。")
        return stored.status, stored.body


def idempotent(request: HttpRequest, work: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    key = _key(request)
    if not key:
        return work()
    record = Record(request, key)
    existing = record.stored()
    if existing is not None:
        return record.replay(existing)
    try:
        with transaction.atomic():
            status, body = work()
            body = _jsonable(body)
            record(status, body)
    except IntegrityError:
        # A concurrent twin committed first; its answer is the answer.
        existing = record.stored()
        if existing is None:
            raise
        return record.replay(existing)
    return status, body


def idempotent_in_work(
    request: HttpRequest, work: Callable[[Record], tuple[int, Any, bool]]
) -> tuple[int, Any]:
    """`idempotent` for a hot endpoint whose work replays by itself (a check-in replays by
    its client UUID) and runs its own transaction: same answers, fewer round trips.

    There is no look-up before the work and no transaction around it. The work stores the
    answer with its own writes, by calling `record(status, body)` inside its transaction
    or by writing `record.row(status, body)` in its own statement, so the answer is stored
    with the work (no savepoint, no second transaction), and returns (status, body,
    recorded): recorded is True when the work committed with the record in it. A used key
    shows up as the conflict of the record's insert, which rolls the work back; the stored
    answer is then returned. Work that committed nothing (a replay) returns recorded False,
    and the answer is stored on its own afterwards, as `idempotent` would.
    """
    key = _key(request)
    if not key:
        status, body, _recorded = work(Record())
        return status, body
    record = Record(request, key)
    try:
        status, body, recorded = work(record)
        if not recorded:
            with transaction.atomic():
                record(status, body)
    except Exception:
        # A used key: its stored answer wins over whatever this attempt did (all rolled back).
        existing = record.stored()
        if existing is None:
            raise
        return record.replay(existing)
    return status, body
