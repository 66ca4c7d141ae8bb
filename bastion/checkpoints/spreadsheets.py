"""The duty roster (勤务表) of one checkpoint and week as Excel (xlsxwriter, constant memory).

The selector (`week_plan`) supplies the shifts, people and warnings; this writer lays them
out row by row (constant memory writes each row once, in order). Phones are masked: the file
leaves the system.
"""

import io
from typing import Any

import xlsxwriter
from django.utils import timezone

from bastion.checkpoints.models import DutyAssignment, StaffKind
from bastion.checkpoints.selectors import WeekPlan
from bastion.core.masking import mask_mobile

ROSTER_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_LABELS = dict(StaffKind.choices)


def _local(moment: Any) -> Any:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def roster_workbook(plan: WeekPlan) -> tuple[bytes, int]:
    """Three sheets: 排班 (one row per person per shift), 工时 (hours per person), 提醒 (the
    warnings). Returns the file and the number of roster rows."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    title = book.add_format({"bold": True, "font_size": 14})
    day_format = book.add_format({"num_format": "yyyy-mm-dd"})
    time_format = book.add_format({"num_format": "hh:mm"})
    moment = book.add_format({"num_format": "mm-dd hh:mm"})
    red = book.add_format({"font_color": "#C00000", "bold": True})

    sheet = book.add_worksheet("排班")
    headers = ["日期", "班次", "开始", "结束", "力量类别", "姓名", "手机号", "到岗", "离岗", "缺员"]
    widths = [11, 8, 7, 7, 12, 10, 13, 12, 12, 30]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    end = plan.days[-1] if plan.days else plan.start
    sheet.write(
        0, 0, f"{plan.checkpoint.unit.name} 勤务表 {plan.start:%Y-%m-%d} 至 {end:%m-%d}", title
    )
    for col, header in enumerate(headers):
        sheet.write(1, col, header, bold)
    sheet.freeze_panes(2, 0)
    row = 1
    for cell in sorted(plan.cells, key=lambda c: c.shift.starts_at):
        s = cell.shift
        people: list[DutyAssignment | None] = [*cell.assignments] or [None]
        for n, a in enumerate(people):
            row += 1
            sheet.write_datetime(row, 0, s.day, day_format)
            sheet.write(row, 1, s.label)
            sheet.write_datetime(row, 2, _local(s.starts_at), time_format)
            sheet.write_datetime(row, 3, _local(s.ends_at), time_format)
            if a is not None:
                sheet.write(row, 4, str(KIND_LABELS.get(a.staff_kind, a.staff_kind)))
                sheet.write(row, 5, a.person_name)
                sheet.write(row, 6, mask_mobile(a.phone))
                for col, value in ((7, a.checked_in_at), (8, a.checked_out_at)):
                    if value:
                        sheet.write_datetime(row, col, _local(value), moment)
            if n == 0 and cell.gaps:
                sheet.write(row, 9, "；".join(cell.gaps), red)
    rows = row - 1

    hours = book.add_worksheet("工时")
    for col, (header, width) in enumerate(
        zip(
            ["姓名", "力量类别", "班次数", "本周小时", "24 小时内最长", "超时"],
            [10, 12, 8, 10, 14, 8],
            strict=True,
        )
    ):
        hours.set_column(col, col, width)
        hours.write(0, col, header, bold)
    for n, p in enumerate(plan.people, start=1):
        hours.write(n, 0, p.name)
        hours.write(n, 1, str(KIND_LABELS.get(p.kind, p.kind)))
        hours.write_number(n, 2, p.shifts)
        hours.write_number(n, 3, p.hours)
        hours.write_number(n, 4, p.max_in_24, red if p.over_limit else None)
        hours.write(n, 5, "是" if p.over_limit else "", red if p.over_limit else None)

    notes = book.add_worksheet("提醒")
    notes.set_column(0, 0, 60)
    notes.write(0, 0, "提醒", bold)
    for n, warning in enumerate(plan.warnings, start=1):
        notes.write(n, 0, warning)
    book.close()
    return out.getvalue(), rows
