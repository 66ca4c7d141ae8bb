"""`bastion bench`: the speed figures against their floors, measured in the same run.

Writes synthetic rows: run it on a scratch database (`make bench` and `make bench-postgres`
point it at one). Each figure is printed beside its floor and the ratio between them.
"""

import platform
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from bastion.checkpoints.bench import lookup_benchmark
from bastion.orgs.services import divisions_load
from bastion.screening.bench import bench_import


class Command(BaseCommand):
    help = "Benchmark the import and the lookups against their floors (scratch database only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--import-rows", type=int, default=20_000)
        parser.add_argument("--passages", type=int, default=100_000)

    def handle(self, *args: Any, **options: Any) -> None:
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError(f"只在名称含 bench 的临时数据库上运行（当前：{name}）。")
        call_command("migrate", interactive=False, verbosity=0)
        divisions_load()
        self.stdout.write(
            f"machine: {platform.machine()}, Python {platform.python_version()}, "
            f"database: {connection.vendor} ({name})"
        )
        result = bench_import(unit_code="430211003016", rows=options["import_rows"])
        self.stdout.write(
            "| figure | measured | floor | ratio |\n|---|---|---|---|\n"
            f"| import of {result['rows']:,} rows (created {result['created']:,}) "
            f"| {result['import_seconds']} s | {result['floor_seconds']} s "
            f"| {result['ratio']}x |\n"
            f"| re-import of the same file (unchanged {result['reimport_unchanged']:,}) "
            f"| {result['reimport_seconds']} s | {result['floor_seconds']} s "
            f"| {round(result['reimport_seconds'] / result['floor_seconds'], 1)}x |"
        )
        lookups = lookup_benchmark(passages=options["passages"], repeats=50)
        self.stdout.write(
            f"\nlookups over {lookups['passages']:,} vehicles / {lookups['occupants']:,} "
            "occupants (30 days):\n| lookup | median | p95 |\n|---|---|---|"
        )
        for t in lookups["timings"]:
            self.stdout.write(f"| {t.kind} | {t.median_ms} ms | {t.p95_ms} ms |")
