from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bastion.orgs.services import DIVISIONS_CSV, divisions_load


class Command(BaseCommand):
    help = "Load the NBS division tree of Zhuzhou (idempotent; changed names update in place)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DIVISIONS_CSV)

    def handle(self, *args: Any, **options: Any) -> None:
        result = divisions_load(path=options["file"])
        self.stdout.write(
            f"divisions: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
