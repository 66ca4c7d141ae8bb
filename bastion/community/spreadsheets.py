"""Excel exports of gatherings and disinfection runs (xlsxwriter, constant memory).

A selector supplies the rows (streamed); these writers only lay them out. Host names are
masked: an export leaves the system, so it carries no more personal data than needed.
"""

import io
from collections.abc import Iterable
from typing import Any

import xlsxwriter
from django.utils import timezone

from bastion.community.checklists import checklist_of
from bastion.community.models import DisinfectionRun, Gathering
from bastion.core.masking import mask_name


def _workbook(
    headers: list[str], widths: list[int], rows: Iterable[list[Any]], sheet: str
) -> tuple[bytes, int]:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "remove_timezone": True})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws = book.add_worksheet(sheet)
    for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
        ws.set_column(col, col, width)
        ws.write(0, col, header, bold)
    ws.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if hasattr(value, "hour"):
                ws.write_datetime(count, col, value, moment)
            elif hasattr(value, "isoformat"):
                ws.write_datetime(count, col, value, day)
            elif value is None:
                ws.write_blank(count, col, None)
            else:
                ws.write(count, col, value)
    book.close()
    return out.getvalue(), count


def _yes(value: bool) -> str:
    return "是" if value else "否"


def gatherings_workbook(gatherings: Iterable[Gathering]) -> tuple[bytes, int]:
    """The gathering register (酒宴登记); returns the file and the number of rows."""
    headers = [
        "单元代码",
        "单元",
        "办宴人",
        "类别",
        "计划日期",
        "预计人数",
        "家庭聚会",
        "地点",
        "劝导方式",
        "劝导日期",
        "劝导人",
        "结果",
        "实际人数",
        "人数上限",
        "超出上限",
        "防控方案",
        "审批单位",
        "登记参加人数",
        "备注",
    ]
    widths = [16, 14, 8, 10, 11, 8, 8, 20, 10, 11, 8, 16, 8, 8, 8, 8, 16, 12, 24]

    def rows() -> Iterable[list[Any]]:
        for g in gatherings:
            yield [
                g.unit_code,
                g.unit.name,
                mask_name(g.host_name),
                g.get_kind_display(),
                g.planned_date,
                g.expected_guests,
                _yes(g.family_only),
                g.place,
                g.get_action_display() if g.action else "",
                g.acted_on,
                g.persuaded_by,
                g.get_outcome_display() if g.outcome else "待定",
                g.actual_guests,
                g.guest_limit,
                _yes(g.over_limit),
                _yes(g.has_prevention_plan),
                g.approved_by,
                getattr(g, "n_attendees", 0),
                g.note,
            ]

    return _workbook(headers, widths, rows(), "酒宴登记")


def checklist_text(run: DisinfectionRun) -> str:
    """'地面✓ 蹲位✓ 门把手✗' in the order of the kind's checklist."""
    return " ".join(
        f"{item.label}{'✓' if run.checklist[item.code] else '✗'}"
        for item in checklist_of(run.site.kind)
        if item.code in run.checklist
    )


def runs_workbook(runs: Iterable[DisinfectionRun]) -> tuple[bytes, int]:
    """The disinfection log (消杀记录); returns the file and the number of rows."""
    headers = [
        "消杀时间",
        "单元代码",
        "单元",
        "点位",
        "类别",
        "消毒剂",
        "浓度",
        "浓度单位",
        "消杀人员",
        "清单全部完成",
        "清单",
        "备注",
    ]
    widths = [17, 16, 14, 20, 14, 12, 8, 8, 10, 12, 40, 24]

    def rows() -> Iterable[list[Any]]:
        for run in runs:
            yield [
                timezone.localtime(run.done_at),
                run.unit_code,
                run.site.unit.name,
                run.site.name,
                run.site.get_kind_display(),
                run.get_agent_display(),
                float(run.concentration),
                run.concentration_unit,
                run.operator,
                _yes(run.complete),
                checklist_text(run),
                run.note,
            ]

    return _workbook(headers, widths, rows(), "消杀记录")
