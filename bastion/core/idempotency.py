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


def idempotent(request: HttpRequest, work: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return work()
    if len(key) > 200:
        raise HttpError(422, "Idempotency-Key 不能超过 200 个字符。")
    user: Any = request.user  # authenticated by the API before any endpoint runs
    request_hash = hashlib.sha256(request.body).hexdigest()

    def replay(record: IdempotencyRecord) -> tuple[int, Any]:
        if record.request_hash != request_hash or record.path != request.path:
            raise HttpError(422, "同一个 Idempotency-Key 不能用于不同的请求内容。")
        return record.status, record.body

    existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if existing is not None:
        return replay(existing)
    try:
        with transaction.atomic():
            status, body = work()
            body = _jsonable(body)
            if status < 400:
                IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    method=request.method or "POST",
                    path=request.path,
                    request_hash=request_hash,
                    status=status,
                    body=body,
                )
    except IntegrityError:
        # A concurrent twin committed first; its answer is the answer.
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            raise
        return replay(existing)
    return status, body


class Record:
    """How a hot endpoint's work stores its answer (see `idempotent_in_work`): called with
    (status, body) inside the work's transaction, it inserts the record; `row(status, body)`
    gives the record unsaved instead, for a work that writes it within its own statement.
    Without an Idempotency-Key there is nothing to store: the call does nothing and `row`
    is None."""

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
    key = request.headers.get(HEADER, "").strip()
    if not key:
        status, body, _recorded = work(Record())
        return status, body
    if len(key) > 200:
        raise HttpError(422, "Idempotency-Key 不能超过 200 个字符。")
    user: Any = request.user
    record = Record(request, key)
    try:
        status, body, recorded = work(record)
        if not recorded:
            with transaction.atomic():
                record(status, body)
    except Exception:
        # A used key: its stored answer wins over whatever this attempt did (all rolled back).
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            raise
        if existing.request_hash != record.request_hash or existing.path != request.path:
            raise HttpError(422, "同一个 Idempotency-Key 不能用于不同的请求内容。") from None
        return existing.status, existing.body
    return status, body
