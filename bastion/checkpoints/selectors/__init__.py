"""Scoped reads of the checkpoints app. Every function takes the acting user first and reads
through `bastion.accounts.jurisdiction.scoped`."""

from bastion.checkpoints.selectors.checkpoints import (
    checkpoint_get,
    checkpoint_list,
    destination_get,
    destination_search,
    duty_candidate_get,
    duty_candidates,
    responsible_candidates,
)
from bastion.checkpoints.selectors.origins import (
    OriginSuggestion,
    high_risk_area_for,
    origin_suggestions,
)
from bastion.checkpoints.selectors.passages import (
    SEARCH_LIMIT,
    LookupKind,
    checkpoint_passages,
    lookup_value,
    open_hand_overs,
    passage_get,
    passage_search,
    shift_passages,
)
from bastion.checkpoints.selectors.reports import TrafficReport, report_range, traffic_report
from bastion.checkpoints.selectors.rosters import (
    ShiftSummary,
    WeekPlan,
    assignment_get,
    previous_shift,
    shift_get,
    shift_summary,
    shifts_of_day,
    staffing_gaps,
    week_plan,
    week_shifts,
    week_start,
)

__all__ = [
    "SEARCH_LIMIT",
    "LookupKind",
    "OriginSuggestion",
    "ShiftSummary",
    "TrafficReport",
    "WeekPlan",
    "assignment_get",
    "checkpoint_get",
    "checkpoint_list",
    "checkpoint_passages",
    "destination_get",
    "destination_search",
    "duty_candidate_get",
    "duty_candidates",
    "high_risk_area_for",
    "lookup_value",
    "open_hand_overs",
    "origin_suggestions",
    "passage_get",
    "passage_search",
    "previous_shift",
    "report_range",
    "responsible_candidates",
    "shift_get",
    "shift_passages",
    "shift_summary",
    "shifts_of_day",
    "staffing_gaps",
    "traffic_report",
    "week_plan",
    "week_shifts",
    "week_start",
]
