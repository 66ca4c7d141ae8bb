"""A short per-process memory of resolved API tokens: the check-in API's hottest read.

Every API request authenticated by a bearer token needs the token's user and their active
memberships with units. They change rarely, so each gunicorn worker keeps what it resolved
for `BASTION_API_TOKEN_CACHE_SECONDS` (default 10 s) and the request then reads nothing.

The bound: a revoked token, a deactivated account, a membership ended or a unit closed stops
counting at once in the process that made the change (the entries are dropped below, by
signal or by the service), and in every other worker within that many seconds. 0 turns the
memory off.

Each request gets its own copies of the user and the memberships: a request may set
attributes on `request.user`, and the threads of a worker must not share them.
"""

import copy
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from bastion.accounts.models import ApiToken, Membership, User
from bastion.orgs.models import OrgUnit

# Past this many tokens the memory starts again (a bound, not an eviction policy: a worker
# serves a few hundred tokens at most).
MAX_ENTRIES = 10_000


@dataclass
class Resolved:
    user: User
    memberships: list[Any]
    token_pk: int
    last_used_at: Any
    expires: float


_entries: dict[str, Resolved] = {}
_lock = threading.Lock()
# Counts the times the memory was emptied: a token resolved before a change must not be
# stored after it (the read would be stale).
_generation = [0]
_clock = time.monotonic  # tests move it forward


def ttl() -> float:
    return float(getattr(settings, "BASTION_API_TOKEN_CACHE_SECONDS", 10))


def expiry() -> float:
    """When an entry resolved now stops being used."""
    return _clock() + ttl()


def generation() -> int:
    return _generation[0]


def remember(digest: str, resolved: Resolved, since: int) -> None:
    """Keep `resolved`, read after generation `since`, unless the memory was emptied since."""
    if ttl() <= 0:
        return
    with _lock:
        if _generation[0] != since:
            return
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[digest] = resolved


def recall(digest: str) -> Resolved | None:
    entry = _entries.get(digest)
    if entry is None:
        return None
    if entry.expires <= _clock():
        _entries.pop(digest, None)
        return None
    return entry


def fresh_copies(entry: Resolved) -> tuple[User, list[Any]]:
    """The request's own user and memberships (units are shared: nothing writes them)."""
    user = copy.copy(entry.user)
    memberships = []
    for m in entry.memberships:
        mine = copy.copy(m)
        mine.user = user
        memberships.append(mine)
    return user, memberships


def forget_all(**_: Any) -> None:
    """Drop every entry. Accounts, memberships, units and tokens change rarely, so any such
    write empties this process's memory rather than working out whose entry it touched."""
    with _lock:
        _generation[0] += 1
        _entries.clear()


def _saved(sender: Any, update_fields: Any = None, **_: Any) -> None:
    # A web sign-in saves only the account's last_login (Django's update_last_login): nothing
    # a token resolves to has changed, and every morning's sign-ins would empty the memory.
    if sender is User and update_fields is not None and set(update_fields) == {"last_login"}:
        return
    forget_all()


for _model in (User, Membership, ApiToken, OrgUnit):
    post_save.connect(_saved, sender=_model, dispatch_uid=f"token_cache_save_{_model}")
    post_delete.connect(forget_all, sender=_model, dispatch_uid=f"token_cache_delete_{_model}")
