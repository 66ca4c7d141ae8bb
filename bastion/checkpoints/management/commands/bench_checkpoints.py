"""`manage.py bench_checkpoints`: time the lookups by plate, ID number and phone."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bastion.checkpoints.bench import lookup_benchmark


class Command(BaseCommand):
    help = "Time the roadside lookups over 30 days of synthetic traffic (rolled back afterwards)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--passages", type=int, default=200_000)
        parser.add_argument("--repeats", type=int, default=50)
        parser.add_argument("--plans", action="store_true", help="print the query plans")

    def handle(self, *args: Any, **options: Any) -> None:
        result = lookup_benchmark(passages=options["passages"], repeats=options["repeats"])
        self.stdout.write(
            f"{result['passages']} 辆车、{result['occupants']} 人次（30 天），"
            f"写入用时 {result['fill_seconds']} 秒"
        )
        for t in result["timings"]:
            self.stdout.write(
                f"  {t.kind:<10} 中位 {t.median_ms:>7} ms   P95 {t.p95_ms:>7} ms"
                f"   同样 SQL 直接执行 P95 {t.floor_p95_ms:>7} ms"
            )
            if options["plans"]:
                self.stdout.write("    " + t.plan.replace("\n", "\n    "))
