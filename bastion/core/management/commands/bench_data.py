"""`bastion bench-data --tier S|M|L [--seed N]`: build the benchmark dataset (issue 8)."""

from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from bastion.benchmarks.dataset import DatasetExists, dataset_build
from bastion.benchmarks.sheet import sheet_write
from bastion.benchmarks.tiers import TIERS, tier_scaled


def bench_database_only() -> str:
    """The benchmarks write millions of rows: refuse any database not named for them (the
    tests' throw-away databases aside)."""
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name and not name.startswith(("test_", "file:memorydb")):
        raise CommandError(f"只在名称含 bench 的临时数据库上运行（当前：{name}）。")
    return name


class Command(BaseCommand):
    help = "Build the seeded benchmark dataset of a tier on the real Zhuzhou tree."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tier", choices=sorted(TIERS), default="S")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--scale", type=float, default=1.0, help="shrink the tier (tests)")
        parser.add_argument("--today", type=date.fromisoformat, default=None)
        parser.add_argument("--sheet", default="", help="also write the screening sheet here")

    def handle(self, *args: Any, **options: Any) -> None:
        name = bench_database_only()
        call_command("migrate", interactive=False, verbosity=0)
        tier = TIERS[options["tier"]]
        if options["scale"] != 1.0:
            tier = tier_scaled(tier, options["scale"])
        self.stdout.write(f"building tier {tier.name} in {name} (seed {options['seed']})")
        try:
            built = dataset_build(
                tier=tier,
                seed=options["seed"],
                today=options["today"],
                progress=lambda text: self.stdout.write("  " + text),
            )
        except DatasetExists as e:
            raise CommandError(str(e)) from None
        for key, value in built.counts.items():
            if key != "first_person_id":
                self.stdout.write(f"  {key}: {value:,}")
        self.stdout.write(f"  seconds: {built.seconds} (total {sum(built.seconds.values()):.1f})")
        if options["sheet"]:
            rows = sheet_write(options["sheet"], tier=tier, seed=options["seed"])
            self.stdout.write(f"  sheet: {options['sheet']} ({rows:,} rows)")
