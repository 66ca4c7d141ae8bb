"""`bastion import-screening FILE --unit CODE [--dry-run] [--json]`: import a village's
returnee list from Excel (返乡人员名单导入).

Exit status 0 when the file was read, even with rejected rows; non-zero, with the reason,
when it could not be read at all (or the unit is wrong).
"""

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bastion.accounts.models import User
from bastion.core.errors import ValidationError
from bastion.orgs.models import OrgUnit
from bastion.screening.models import ImportJob, ImportStatus
from bastion.screening.services.imports import (
    import_unit_check,
    import_year,
    returnees_import_file,
)
from bastion.screening.spreadsheets.reading import UnreadableFile


class Command(BaseCommand):
    help = "导入返乡人员名单（Excel）到一个村（社区）或网格。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Excel 文件（.xlsx、.xls、.ods）")
        parser.add_argument("--unit", required=True, help="村（社区）或网格的代码")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--user", default="", help="记录为导入人的账号（可选）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        unit = OrgUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"找不到单元：{options['unit']}")
        try:
            import_unit_check(None, unit)
        except ValidationError as e:
            raise CommandError(e.messages[0]) from None
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"找不到账号：{options['user']}")
        try:
            content = path.read_bytes()
        except OSError:
            raise CommandError(f"找不到文件或无法打开：{path}") from None
        try:
            result = returnees_import_file(
                actor=actor, unit=unit, source=str(path), dry_run=options["dry_run"]
            )
        except UnreadableFile as e:
            raise CommandError(str(e)) from None
        if not options["dry_run"]:
            self._record(actor, unit, path, content, result.as_job())
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        verb = "将" if options["dry_run"] else "已"
        self.stdout.write(
            f"{verb}新增 {result.created} 条，{verb}更新 {result.updated} 条，"
            f"无变化 {result.unchanged} 条（其中重复 {result.duplicates} 条），"
            f"拒绝 {result.rejected} 条"
            + (f"（其中未能分派到村（社区）{result.unrouted} 条）。" if result.unrouted else "。")
        )
        for error in result.errors:
            self.stdout.write(
                f"  {error.sheet} 第 {error.row} 行 [{error.column}]：{error.message}"
            )
        sys.stdout.flush()

    def _record(
        self, actor: Any, unit: OrgUnit, path: Path, content: bytes, result: dict[str, Any]
    ) -> None:
        """Who imported what and when, as for an import from the browser."""
        digest = hashlib.sha256(content).hexdigest()
        job = ImportJob(
            unit=unit,
            unit_code=unit.code,
            file_name=path.name[:200],
            sha256=digest,
            year=import_year(unit, timezone.localdate()),
            status=ImportStatus.APPLIED,
            result=result,
            created_by=actor,
            applied_at=timezone.now(),
        )
        job.file.save(f"{digest[:16]}.xlsx", ContentFile(content), save=False)
        job.save()
