"""Figure 2, beside the load: the CPU one check-in costs this process, through Django's whole
WSGI handler (every middleware, the token, ninja, the service), against the floor's, with
the statements of one check-in listed. Under load the throughput ratio moves with whatever
else shares the cores; the CPU per request hardly does, and it is what a profile explains.

In-process and sequential: no server, no network; the database work is the database's.
"""

import io
import json
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bastion.accounts.services import token_create
from bastion.benchmarks.measure import Row

Call = Callable[[int], tuple[str, bytes]]


def _caller(app: WSGIHandler) -> Callable[[str, dict[str, Any], dict[str, str]], tuple[str, bytes]]:
    def call(path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[str, bytes]:
        data = json.dumps(body).encode()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        for name, value in headers.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status: list[str] = []
        out = b"".join(app(environ, lambda s, h, *a: status.append(s)))  # type: ignore[arg-type]
        return status[0], out

    return call


def checkin_request(
    targets: list[tuple[int, str]], raw_token: str, k: int, *, fever: bool = False
) -> tuple[str, dict[str, Any], dict[str, str]]:
    """The k-th check-in the load sends: path, body and headers (a fresh key each)."""
    obs, _code = targets[k % len(targets)]
    key = str(uuid.uuid4())
    body = {
        "client_uuid": key,
        "temperature": "38.2" if fever else "36.6",  # a fever now and then: the alert path
        "site": "forehead",
        "source": "visit",
    }
    headers = {"Authorization": f"Bearer {raw_token}", "Idempotency-Key": key}
    return f"/api/v1/observations/{obs}/checkins", body, headers


def floor_request(targets: list[tuple[int, str]], k: int) -> tuple[str, dict[str, Any]]:
    """The k-th request to the floor: its path and body."""
    obs, code = targets[k % len(targets)]
    body = {"observation_id": obs, "unit_code": code, "client_uuid": str(uuid.uuid4())}
    return "/bench/floor/checkin/", body


def _cpu_per_request(fn: Call, requests: int) -> float:
    for k in range(20):  # warm: imports, the token memory, the policy versions
        status, out = fn(k)
        if not status.startswith("20"):
            raise RuntimeError(f"{status}: {out[:200]!r}")
    started = time.process_time()
    for k in range(requests):
        fn(1000 + k)
    return (time.process_time() - started) / requests


def checkin_cpu_bench(user: Any, targets: list[tuple[int, str]], *, requests: int = 500) -> Row:
    _token, raw = token_create(user=user, name="bench-cpu")
    call = _caller(WSGIHandler())

    def real(k: int) -> tuple[str, bytes]:
        return call(*checkin_request(targets, raw, k * 7919))

    def floor(k: int) -> tuple[str, bytes]:
        return call(*floor_request(targets, k * 7919), {})

    floor_cpu = _cpu_per_request(floor, requests)
    real_cpu = _cpu_per_request(real, requests)
    with CaptureQueriesContext(connection) as queries:
        real(10**6)
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    return Row(
        figure="check-in CPU per request (in-process, this process only)",
        measured=f"{real_cpu * 1000:.2f} ms",
        floor=f"{floor_cpu * 1000:.2f} ms",
        ratio=real_cpu / floor_cpu,
        goal="(context for the throughput)",
        note=f"{requests} sequential requests each; one check-in: {' '.join(statements)}",
        limit=10.0,
    )
