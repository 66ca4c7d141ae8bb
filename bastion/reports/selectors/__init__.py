"""Reads of the reports app: the situation report and its sign-offs."""

from bastion.reports.selectors.report import (
    MAX_RANGE_DAYS,
    ReportRow,
    SituationReport,
    situation_report,
)

__all__ = ["MAX_RANGE_DAYS", "ReportRow", "SituationReport", "situation_report"]
