"""`bastion serve`: gunicorn on the configured database, optionally with the task worker."""

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def start_worker() -> list[subprocess.Popen[bytes]]:
    """The background processes, same settings: the django-tasks database worker, and the
    clock that raises missed-check-in alerts and escalates unacknowledged ones every minute."""
    commands = [
        ["db_worker", "--queue-name", "default"],
        ["alerts_escalate", "--every", "60"],
    ]
    return [
        subprocess.Popen(  # noqa: S603 - our own interpreter and command, no user input
            [sys.executable, "-m", "bastion.cli", *command], env=os.environ.copy()
        )
        for command in commands
    ]


# gunicorn's shape on the small server (2 cores): two processes of four threads. Measured
# against 4 x 2 and 5 sync workers for the check-in API (docs/benchmarks.md): no better, and
# the sync workers lose keep-alive.
WORKERS = 2
THREADS = 4


def gunicorn_args(
    *, host: str, port: int, workers: int = WORKERS, threads: int = THREADS
) -> list[str]:
    """The command line `bastion serve` runs; the check-in benchmark starts the same one."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "120",
        # The access log holds paths only; no query strings reach it (see settings.LOGGING).
        "--access-logfile",
        "-",
        "--access-logformat",
        "%(t)s %(m)s %(U)s %(s)s %(M)sms",
    ]


def run_gunicorn(*, host: str, port: int, workers: int) -> int:
    args = gunicorn_args(host=host, port=port, workers=workers)
    return subprocess.call(args, env=os.environ.copy())  # noqa: S603


class Command(BaseCommand):
    help = "Serve the web app with gunicorn (and, with --with-worker, the worker and the clock)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=WORKERS)
        parser.add_argument("--with-worker", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        serve(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            with_worker=options["with_worker"],
        )


def serve(*, host: str, port: int, workers: int, with_worker: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
    # A SIGTERM (systemd, `kill`) must run the clean-up below too, not only Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    background = start_worker() if with_worker else []
    try:
        run_gunicorn(host=host, port=port, workers=workers)
    finally:
        for process in background:
            process.send_signal(signal.SIGTERM)
        for process in background:
            process.wait(timeout=10)
