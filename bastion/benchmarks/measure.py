"""Timing helpers: percentiles, the result rows of the table, and peak memory of a step run
in a forked child (its own ru_maxrss, read with wait4, so one step's peak does not hide
behind an earlier one's)."""

import json
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.95 for p95) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Row:
    """One line of the results table: a figure beside its floor, and how they compare."""

    figure: str
    measured: str
    floor: str = ""
    ratio: float | None = None
    goal: str = ""
    note: str = ""
    # A ratio beyond this (or, for throughput, below it) fails `bench --check`.
    limit: float | None = None
    higher_is_better: bool = False

    def ok(self) -> bool:
        if self.limit is None or self.ratio is None:
            return True
        return self.ratio >= self.limit if self.higher_is_better else self.ratio <= self.limit

    def markdown(self) -> str:
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}×"
        cells = (self.figure, self.measured, self.floor, ratio, self.goal, self.note)
        return "| " + " | ".join(cells) + " |"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def in_child(fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run `fn` in a forked process; return its result (JSON-able) with "seconds" and
    "peak_mb" (the child's peak resident memory above its resident memory at its start:
    what the step itself added to a Django process).

    Inside a transaction (the tests) a child would share the parent's connection and see
    nothing committed, so `fn` runs in this process and the peak is this process's growth.
    """
    if connections["default"].in_atomic_block:
        base = _rss_mb()
        started = time.perf_counter()
        result = fn()
        result["seconds"] = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_SELF)
        result["peak_mb"] = max(0.0, usage.ru_maxrss / 1024 - base)
        return result
    connections.close_all()  # the child opens its own connection; never share a socket
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, report through the pipe, leave without cleanup handlers
        code = 0
        try:
            start_mb = _rss_mb()
            started = time.perf_counter()
            result = fn()
            result["start_mb"] = start_mb
            result["seconds"] = time.perf_counter() - started
        except BaseException as e:
            result, code = {"error": f"{type(e).__name__}: {e}"}, 1
        with os.fdopen(write, "w") as out:
            json.dump(result, out, default=str)
        connections.close_all()
        os._exit(code)
    os.close(write)
    with os.fdopen(read) as source:
        payload = source.read()
    _pid, _status, usage = os.wait4(pid, 0)
    result = json.loads(payload or '{"error": "the child died"}')
    if "error" in result:
        raise RuntimeError(result["error"])
    result["peak_mb"] = max(0.0, usage.ru_maxrss / 1024 - float(result["start_mb"]))
    return dict(result)
