from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bastion.accounts.models import User
from bastion.accounts.services import token_create


class Command(BaseCommand):
    help = "API tokens: `bastion token create USERNAME [--name NAME]` prints a new token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有这个有效账号：{options['username']}")
        _token, raw = token_create(user=user, name=options["name"])
        self.stdout.write(raw)
