"""`bastion bench --tier S|M|L`: the speed figures of issue 8, each beside its floor,
measured in the same run on the same data; prints a markdown table.

Writes millions of rows: it runs only on a database whose name contains "bench" (`make
bench` and `make bench-postgres` point it at a scratch one). Builds the tier's dataset
first unless the database holds one. A figure whose part is missing prints
"not available: <why>"; `--check` fails when a ratio passes its generous limit (10× the
goal: CI's smoke test catches a collapse, not a 10 % drift).
"""

import dataclasses
import os
import platform
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import django
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from bastion.accounts.models import User
from bastion.benchmarks.checkin_load import checkin_load_bench
from bastion.benchmarks.dataset import BENCH_USER, dataset_build
from bastion.benchmarks.export import export_bench
from bastion.benchmarks.importing import import_bench
from bastion.benchmarks.lookups import lookup_bench
from bastion.benchmarks.measure import Row
from bastion.benchmarks.pages import pages_bench
from bastion.benchmarks.report import report_bench
from bastion.benchmarks.tiers import TIERS, tier_scaled
from bastion.core.management.commands.bench_data import bench_database_only
from bastion.orgs.services import divisions_load

FIGURES = ("lookups", "report", "pages", "export", "checkin", "import")


def machine() -> str:
    with open("/proc/meminfo") as f:
        memory = int(f.readline().split()[1]) / 2**20
    version = ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = "PostgreSQL " + cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = "SQLite " + cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GB, {platform.machine()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, {version}"
    )


class Command(BaseCommand):
    help = "Benchmark the figures of issue 8 against their floors (scratch database only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tier", choices=sorted(TIERS), default="S")
        parser.add_argument("--scale", type=float, default=1.0, help="shrink the tier")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--only", default=",".join(FIGURES), help="comma-separated")
        parser.add_argument("--seconds", type=float, default=20.0, help="load per side")
        parser.add_argument("--pages", type=int, default=40, help="pages per persona")
        parser.add_argument("--repeats", type=int, default=100, help="queries per lookup")
        parser.add_argument("--sheet-rows", type=int, default=0, help="override the sheet size")
        parser.add_argument("--check", action="store_true", help="fail past the limits")

    def handle(self, *args: Any, **options: Any) -> None:
        name = bench_database_only()
        call_command("migrate", interactive=False, verbosity=0)
        divisions_load()
        tier = TIERS[options["tier"]]
        if options["scale"] != 1.0:
            tier = tier_scaled(tier, options["scale"])
        if options["sheet_rows"]:
            tier = dataclasses.replace(tier, sheet_rows=options["sheet_rows"])
        only = {f.strip() for f in options["only"].split(",") if f.strip()}
        unknown = only - set(FIGURES)
        if unknown:
            raise CommandError(f"未知的项目：{', '.join(sorted(unknown))}")
        self.stdout.write(f"machine: {machine()}\ndatabase: {connection.vendor} ({name})")
        rows: list[Row] = []
        user = User.objects.filter(username=BENCH_USER).first()
        if user is None:
            self.stdout.write(f"building tier {tier.name} (seed {options['seed']}) ...")
            started = time.perf_counter()
            built = dataset_build(tier=tier, seed=options["seed"])
            spent = time.perf_counter() - started
            counts = {k: v for k, v in built.counts.items() if k != "first_person_id"}
            rows.append(
                Row(
                    f"dataset build, tier {tier.name}",
                    f"{spent:.1f} s",
                    note=", ".join(f"{k} {v:,}" for k, v in counts.items()),
                )
            )
            user = User.objects.get(username=BENCH_USER)
        today = timezone.localdate()
        steps: dict[str, Callable[[], list[Row]]] = {
            "lookups": lambda: lookup_bench(user, repeats=options["repeats"]),
            "report": lambda: report_bench(
                user, today - timedelta(days=1), repeats=min(5, options["repeats"])
            ),
            "pages": lambda: pages_bench(limit=options["pages"]),
            "export": lambda: export_bench(user, today),
            "checkin": lambda: checkin_load_bench(user, seconds=options["seconds"]),
            "import": lambda: import_bench(tier, options["seed"]),
        }
        failed = []
        for key in FIGURES:
            if key not in only:
                continue
            self.stdout.write(f"measuring {key} ...")
            started = time.perf_counter()
            try:
                rows += steps[key]()
            except Exception as e:  # one broken figure must not hide the others
                failed.append(key)
                rows.append(Row(key, f"failed: {type(e).__name__}: {e}"))
                self.stderr.write(traceback.format_exc())
            self.stdout.write(f"  {key}: {time.perf_counter() - started:.1f} s")
        self.stdout.write(
            f"\ntier {tier.name}, {connection.vendor}\n\n"
            "| figure | measured | floor | ratio | goal | notes |\n|---|---|---|---|---|---|"
        )
        for row in rows:
            self.stdout.write(row.markdown())
        beyond = [r.figure for r in rows if not r.ok()]
        if failed:
            raise CommandError(f"失败的项目：{', '.join(failed)}")
        if options["check"] and beyond:
            raise CommandError(f"超出限度：{'; '.join(beyond)}")
