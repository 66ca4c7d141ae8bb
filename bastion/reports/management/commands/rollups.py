"""`bastion rollups [--days 30]`: recompute the daily roll-ups (decision 0006) of the closed days
of the last N days, whatever their stamps.

The roll-ups fill themselves at the first read of a day; run this after a bulk load that
bypassed the models' signals, on a schedule on the primary when the pages read a replica, or
once after a deployment so that no page pays for rolling up a whole period.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from bastion.reports import rollups


class Command(BaseCommand):
    help = "重算最近若干天的每日汇总（卡点、打卡）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        days = rollups.rebuild(today - timedelta(days=max(options["days"], 1)), today)
        self.stdout.write(f"{days} days rolled up")
