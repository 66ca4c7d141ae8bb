"""Mobilisation pages under /mobilisation/: the unit's pages (pages) and a member's page with
the account they sign in with (members)."""

from bastion.mobilisation.views.members import link_by_mobile, member_detail
from bastion.mobilisation.views.pages import (
    application_decide,
    assignment_list,
    call_apply,
    call_close,
    call_create,
    call_detail,
    call_list,
    member_create,
    member_list,
    mobilisation_index,
    pledge_create,
    team_create,
    team_detail,
    unit_summary,
    work_log_create,
)

__all__ = [
    "application_decide",
    "assignment_list",
    "call_apply",
    "call_close",
    "call_create",
    "call_detail",
    "call_list",
    "link_by_mobile",
    "member_create",
    "member_detail",
    "member_list",
    "mobilisation_index",
    "pledge_create",
    "team_create",
    "team_detail",
    "unit_summary",
    "work_log_create",
]
