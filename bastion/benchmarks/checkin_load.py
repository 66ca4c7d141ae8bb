"""Figure 2, the check-in API under load: gunicorn as `bastion serve` starts it (2 workers
x 4 threads, same settings: serve.gunicorn_args) on a loopback port, 32 keep-alive
connections posting authenticated check-ins for a bounded time, beside the floor (a bare
view doing one ORM insert, bastion.benchmarks.floor) driven the same way against the same
server, in alternating rounds of about 5 s so that both see the same background load.

The load generator is 32 threads of http.client: bounded, loopback only, no dependency.
It shares the two cores with the server, for the real run and the floor alike.

The load commits what it writes (tens of thousands of check-ins on the same 2,000
observations, their Idempotency-Key answers, the fever alerts and their notifications): once
measured, those rows are deleted and the observations' last check-in put back
(`checkin_writes_undo`), so that the next figures and the next run see the tier's data.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils import timezone

from bastion.accounts.services import token_create
from bastion.benchmarks.checkin_cpu import checkin_cpu_bench, checkin_request, floor_request
from bastion.benchmarks.marks import delete_above, high_water, tidy
from bastion.benchmarks.measure import Row, percentile
from bastion.core.management.commands.serve import gunicorn_args
from bastion.core.models import IdempotencyRecord
from bastion.observation.models import Alert, CheckIn, Notification, Observation

# What a check-in can write, the referring tables first (the observation is updated).
CHECKIN_WRITES = (Notification, Alert, IdempotencyRecord, CheckIn)

HOST = "127.0.0.1"
CONNECTIONS = 32
LOCKED = "database is locked"
ROUND_SECONDS = 5


@dataclass
class Load:
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0  # connection errors, timeouts

    def add(self, other: "Load") -> None:
        self.requests += other.requests
        self.seconds += other.seconds
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.failures += other.failures

    @property
    def errors(self) -> int:
        return self.failures + sum(n for s, n in self.statuses.items() if s not in (200, 201))

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _gunicorn(port: int, log: Path) -> subprocess.Popen[bytes]:
    """The server as bastion.core.management.commands.serve.run_gunicorn starts it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    args = gunicorn_args(host=HOST, port=port)
    with log.open("wb") as out:
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def _wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited at start")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def _drive(port: int, make: Any, seconds: float) -> Load:
    """CONNECTIONS threads, each one keep-alive connection, posting until the deadline."""
    load = Load()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine: list[float] = []
        statuses: Counter[int] = Counter()
        failures = k = 0
        while time.monotonic() < deadline:
            path, body, headers = make(n, k)
            k += 1
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                statuses[response.status] += 1
            except (OSError, http.client.HTTPException):
                failures += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            load.latencies += mine
            load.statuses.update(statuses)
            load.failures += failures

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    load.seconds = time.monotonic() - started
    load.requests = len(load.latencies)
    return load


def _targets(n: int) -> list[tuple[int, str]]:
    today = timezone.localdate()
    return list(
        Observation.objects.filter(
            status="active", start_date__lte=today, planned_end__gte=today
        ).values_list("pk", "unit_code")[:n]
    )


def checkin_writes_undo(marks: dict[str, int], last: dict[int, Any]) -> int:
    """Delete what the check-ins wrote since `marks` and put back the observations' last
    check-in (`last`: id to value); the rows deleted."""
    deleted = delete_above(marks, CHECKIN_WRITES)
    Observation.objects.bulk_update(
        [Observation(pk=pk, last_checkin_at=at) for pk, at in last.items()],
        ["last_checkin_at"],
        batch_size=1000,
    )
    tidy((*CHECKIN_WRITES, Observation))
    return deleted


def checkin_load_bench(user: Any, *, seconds: float = 20.0) -> list[Row]:
    targets = _targets(2000)
    if not targets:
        return [Row("check-in API", "not available: no active observation covers today")]
    marks = high_water(CHECKIN_WRITES)
    last = dict(
        Observation.objects.filter(pk__in=[pk for pk, _code in targets]).values_list(
            "pk", "last_checkin_at"
        )
    )
    try:
        return _measured(user, targets, seconds)
    finally:
        connections.close_all()  # the measuring may leave a connection of its own
        checkin_writes_undo(marks, last)


def _measured(user: Any, targets: list[tuple[int, str]], seconds: float) -> list[Row]:
    _token, raw = token_create(user=user, name="bench")
    connections.close_all()  # the server's workers open their own
    port = _free_port()
    # Alternate short rounds: the machine's other load drifts over a minute, and the two
    # figures should see the same drift (the ratio is what counts).
    rounds = max(1, round(seconds / ROUND_SECONDS))

    def real(n: int, k: int) -> tuple[str, bytes, dict[str, str]]:
        path, body, headers = checkin_request(targets, raw, n * 7919 + k, fever=k % 200 == 199)
        return path, json.dumps(body).encode(), {**headers, "Content-Type": "application/json"}

    def floor(n: int, k: int) -> tuple[str, bytes, dict[str, str]]:
        path, body = floor_request(targets, n * 7919 + k)
        return path, json.dumps(body).encode(), {"Content-Type": "application/json"}

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "gunicorn.log"
        server = _gunicorn(port, log)
        try:
            _wait_ready(port, server)
            floor_load, real_load = Load(), Load()
            for _ in range(rounds):
                floor_load.add(_drive(port, floor, seconds / rounds))
                real_load.add(_drive(port, real, seconds / rounds))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        text = log.read_text(errors="replace")
    locked = text.count(LOCKED)
    p99 = percentile(real_load.latencies, 0.99) if real_load.latencies else 0.0
    floor_p99 = percentile(floor_load.latencies, 0.99) if floor_load.latencies else 0.0
    ratio = real_load.throughput / floor_load.throughput if floor_load.throughput else 0.0
    note = (
        f"{CONNECTIONS} connections, {seconds:.0f} s each in {rounds} alternating rounds; "
        f"errors {real_load.errors} (floor {floor_load.errors}); "
        f"statuses {dict(real_load.statuses)}"
    )
    if connections["default"].vendor == "sqlite":
        note += f"; “{LOCKED}” {locked}"
    cpu = checkin_cpu_bench(user, targets)
    return [
        Row(
            figure="check-in API throughput",
            measured=f"{real_load.throughput:.0f} req/s, p99 {p99 * 1000:.0f} ms",
            floor=f"{floor_load.throughput:.0f} req/s, p99 {floor_p99 * 1000:.0f} ms",
            ratio=ratio,
            goal="≥ 0.6× floor, p99 ≤ 100 ms, 0 errors",
            note=note,
            limit=0.06,
            higher_is_better=True,
        ),
        Row(
            figure="check-in API errors",
            measured=str(real_load.errors + locked),
            goal="0",
            ratio=float(real_load.errors + locked),
            note="non-2xx answers, connection failures and “database is locked” lines",
            limit=0.0,
        ),
        cpu,
    ]
