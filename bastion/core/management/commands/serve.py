"""`bastion serve`: gunicorn on the configured database, optionally with the task worker."""

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def start_worker() -> subprocess.Popen[bytes]:
    """The django-tasks database worker, in its own process, same settings."""
    return subprocess.Popen(
        [sys.executable, "-m", "bastion.cli", "db_worker", "--queue-name", "default"],
        env=os.environ.copy(),
    )


def run_gunicorn(*, host: str, port: int, workers: int) -> int:
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--timeout",
        "120",
        # The access log holds paths only; no query strings reach it (see settings.LOGGING).
        "--access-logfile",
        "-",
        "--access-logformat",
        "%(t)s %(m)s %(U)s %(s)s %(M)sms",
    ]
    return subprocess.call(args, env=os.environ.copy())  # noqa: S603


class Command(BaseCommand):
    help = "Serve the web app with gunicorn (and, with --with-worker, the background worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
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
    worker = start_worker() if with_worker else None
    try:
        run_gunicorn(host=host, port=port, workers=workers)
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=10)
