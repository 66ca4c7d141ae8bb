"""`bastion demo`: build (or reuse) the SQLite demo, then serve it with the worker."""

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bastion.core.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_build, demo_is_built
from bastion.core.management.commands.serve import serve


class Command(BaseCommand):
    help = "Build or reuse the demo database with Zhuzhou data and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="build or reuse, then exit")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.BASTION_DEMO:
            raise CommandError("演示数据只能在演示配置下生成（config.settings.local）。")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if demo_is_built():
            self.stdout.write("演示数据已存在，直接使用。")
        else:
            self.stdout.write("正在生成演示数据（株洲市真实区划 + 合成人员）…")
            counts = demo_build()
            self.stdout.write(
                f"已生成：{counts['villages']} 个村（社区）、{counts['households']} 户、"
                f"{counts['persons']} 人。"
            )
        self._ensure_static()
        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"\n堡垒演示：{url}\n"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<12} {login.display_name}")
        if options["no_serve"]:
            return
        self.stdout.write("")
        serve(host=options["host"], port=options["port"], workers=2, with_worker=True)

    def _ensure_static(self) -> None:
        """Static files must be collected for whitenoise; `make install` usually did it. Collect
        again when any static file is missing from the manifest (a new app's script, say)."""
        from django.contrib.staticfiles import finders

        wanted = {path for finder in finders.get_finders() for path, _storage in finder.list([])}
        collected = set(getattr(staticfiles_storage, "hashed_files", {}))
        if not wanted <= collected:
            self.stdout.write("正在收集静态文件…")
            call_command("collectstatic", interactive=False, verbosity=0)
