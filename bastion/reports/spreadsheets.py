"""The daily report as Excel: one sheet per section, the child units as rows, the figures as
columns, a totals row, and a title row with the unit and the dates (the layout the levels
above ask for)."""

import io

import xlsxwriter
from django.utils.translation import gettext as _

from bastion.reports.selectors.report import ReportRow, SituationReport


def report_title(report: SituationReport) -> str:
    if report.start == report.end:
        days = report.start.isoformat()
    else:
        days = f"{report.start.isoformat()} — {report.end.isoformat()}"
    return _("%(unit)s 疫情防控日报 %(days)s") % {"unit": report.unit.name, "days": days}


def report_workbook(report: SituationReport) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1})
    total = book.add_format({"bold": True, "border": 1, "top": 2})
    for section in report.sections:
        sheet = book.add_worksheet(str(section.label)[:31])
        sheet.write(0, 0, f"{report_title(report)} · {section.label}", title)
        sheet.write_row(1, 0, [_("代码"), _("单位")], head)
        for col, figure in enumerate(section.figures, start=2):
            sheet.write(1, col, f"{figure.label}（{figure.unit}）", head)
        row_index = 2
        rows: list[tuple[ReportRow, object]] = [(r, cell) for r in report.rows]
        rows.append((report.own, total))
        for row, fmt in rows:
            name = _("合计") if row is report.own else row.name
            sheet.write_row(row_index, 0, [row.code, name], fmt)
            for col, figure in enumerate(section.figures, start=2):
                value = row.values.get(figure.key)
                if value is None:
                    sheet.write_blank(row_index, col, None, fmt)
                else:
                    sheet.write_number(row_index, col, value, fmt)
            row_index += 1
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 1, 20)
        sheet.set_column(2, 1 + len(section.figures), 12)
        sheet.freeze_panes(2, 2)
    book.close()
    return out.getvalue()
