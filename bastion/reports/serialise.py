"""The report as plain JSON data: what the CLI prints with --json and the API serves (the
federation interface between cities)."""

from typing import Any

from bastion.reports.selectors.report import ReportRow, SituationReport


def row_json(row: ReportRow) -> dict[str, Any]:
    return {"code": row.code, "name": row.name, "level": row.level, "values": dict(row.values)}


def report_json(report: SituationReport) -> dict[str, Any]:
    return {
        "unit": {"code": report.unit.code, "name": report.unit.name, "level": report.unit.level},
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "sections": [
            {
                "key": s.key,
                "label": str(s.label),
                "figures": [
                    {
                        "key": f.key,
                        "label": str(f.label),
                        "unit": str(f.unit),
                        "additive": f.additive,
                    }
                    for f in s.figures
                ],
            }
            for s in report.sections
        ],
        "own": row_json(report.own),
        "children": [row_json(r) for r in report.children],
        "direct": row_json(report.direct) if report.direct else None,
    }
