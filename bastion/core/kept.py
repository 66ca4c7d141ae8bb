"""Figures kept a few minutes in the shared cache: counts that change slowly and cost a scan."""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def kept(name: str, parts: object, seconds: int, compute: Callable[[], T]) -> T:
    """`compute()`, kept `seconds` under `name` and the `repr` of `parts` (what the figure
    depends on: a unit, its children, the viewer's scope). The value must pickle."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"{name}:{digest}"
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found
