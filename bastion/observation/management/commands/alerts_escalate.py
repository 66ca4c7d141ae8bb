"""`bastion alerts-escalate`: raise missed-check-in alerts and escalate unacknowledged ones.

Idempotent: run it every minute (cron, or `--every 60` beside the worker). `--now` replays the
clock at another instant, e.g. to check what a morning would have raised.
"""

import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bastion.observation.services import alerts_escalate, outbox_deliver


class Command(BaseCommand):
    help = "Raise missed check-in alerts, escalate unacknowledged alerts, send notifications."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="act as of this ISO time (default: now)")
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        fixed = self._parse(options["now"]) if options["now"] else None
        every = options["every"]
        while True:
            result = alerts_escalate(now=fixed or timezone.now())
            sent = outbox_deliver(now=fixed)
            self.stdout.write(
                f"missed={result.missed} township={result.to_township} "
                f"county={result.to_county} sent={sent}"
            )
            if every <= 0 or fixed is not None:
                return
            time.sleep(every)

    @staticmethod
    def _parse(value: str) -> datetime:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError("--now 应为 ISO 时间，例如 2020-02-01T12:05") from None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
