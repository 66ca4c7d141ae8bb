"""`bastion report --unit CODE --date YYYY-MM-DD [--to YYYY-MM-DD] [--json | --xlsx FILE]`:
the daily situation report (日报) of a unit, computed from the facts.

A plain text table per section by default (the child units as rows); `--json` prints the
same figures as the API; `--xlsx` writes the Excel workbook (one sheet per section).
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bastion.orgs.models import OrgUnit
from bastion.reports.formatting import display
from bastion.reports.selectors import MAX_RANGE_DAYS, situation_report
from bastion.reports.selectors.report import SituationReport
from bastion.reports.serialise import report_json
from bastion.reports.spreadsheets import report_title, report_workbook


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} 的日期格式应为 YYYY-MM-DD：{value}") from None


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters are two wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def text_table(report: SituationReport) -> str:
    lines = [report_title(report), ""]
    for section in report.sections:
        header = ["单位", *(f"{f.label}({f.unit})" for f in section.figures)]
        rows = [
            [row.name, *(display(row.values.get(f.key), f) for f in section.figures)]
            for row in report.rows
        ]
        rows.append(["合计", *(display(report.own.values.get(f.key), f) for f in section.figures)])
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines.append(f"【{section.label}】")
        for row in [header, *rows]:
            cells = [_pad(row[0], widths[0])]
            cells += [_pad(v, w, right=True) for v, w in zip(row[1:], widths[1:], strict=True)]
            lines.append("  ".join(cells).rstrip())
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "输出一个单位某日（或一段日期）的疫情防控日报。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="单位代码")
        parser.add_argument("--date", default="", help="日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--to", default="", help="结束日期 YYYY-MM-DD（含当天，可选）")
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true", help="以 JSON 输出")
        output.add_argument("--xlsx", default="", metavar="FILE", help="写入 Excel 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = OrgUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"找不到单位：{options['unit']}")
        start = _day(options["date"], "--date") if options["date"] else timezone.localdate()
        end = _day(options["to"], "--to") if options["to"] else start
        if end < start:
            raise CommandError("结束日期不能早于开始日期。")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise CommandError(f"一次最多查询 {MAX_RANGE_DAYS} 天。")
        report = situation_report(unit, start, end)
        if options["json"]:
            self.stdout.write(json.dumps(report_json(report), ensure_ascii=False, indent=2))
        elif options["xlsx"]:
            path = Path(options["xlsx"])
            try:
                path.write_bytes(report_workbook(report))
            except OSError as error:
                raise CommandError(f"无法写入文件：{path}（{error.strerror}）") from None
            self.stdout.write(f"已写入 {path}")
        else:
            self.stdout.write(text_table(report))
