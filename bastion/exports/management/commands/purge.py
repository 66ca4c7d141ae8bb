"""`bastion purge [--dry-run] [--now ISO]`: anonymise personal data past the retention period
(保存期清理), and delete the files of expired exports. Idempotent: run it daily; a second run
changes nothing."""

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bastion.exports.retention import retention_purge
from bastion.exports.services import export_files_expire


class Command(BaseCommand):
    help = "匿名化超过保存期的医学观察对象个人信息（保留报表所需的统计数字）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改")
        parser.add_argument("--now", help="以此时刻计算保存期（ISO 时间，默认现在）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        now = self._parse(options["now"]) if options["now"] else timezone.now()
        dry_run = options["dry_run"]
        result = retention_purge(now=now, dry_run=dry_run)
        files = export_files_expire(now=now, dry_run=dry_run)
        if options["json"]:
            out = {**result.as_dict(), "export_files": files}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        verb = "将清理" if dry_run else "已清理"
        self.stdout.write(
            f"{verb}：医学观察 {result.observations}，人员 {result.persons}，"
            f"住户 {result.households}，线索 {result.signals}，备注 {result.texts}，"
            f"过期导出文件 {files}"
        )

    @staticmethod
    def _parse(value: str) -> datetime:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError("--now 应为 ISO 时间，例如 2020-09-01T03:00") from None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
