"""Writes of the observation app. Every public service is importable from here."""

from bastion.observation.services.access import observation_access_log
from bastion.observation.services.alerts import (
    TickResult,
    alert_acknowledge,
    alert_resolve,
    alerts_acknowledge_missed,
    alerts_escalate,
    alerts_raise_missed,
)
from bastion.observation.services.care import (
    care_needs,
    care_visit_cancel,
    care_visit_record,
    care_visit_schedule,
    supply_deliver,
)
from bastion.observation.services.cases import (
    case_admit,
    case_classify,
    case_close,
    case_isolate,
    case_record_test,
    case_refer,
    case_return,
    community_risk_update,
)
from bastion.observation.services.changes import (
    observation_accept,
    observation_assign_workers,
    observation_change_period,
    observation_transfer,
)
from bastion.observation.services.checkins import (
    checkin_record,
    checkin_token_find,
    checkin_token_hit,
    checkin_token_issue,
    checkin_tokens_revoke,
)
from bastion.observation.services.observations import (
    Started,
    observation_complete,
    observation_start,
    observation_transition,
    observations_start,
)
from bastion.observation.services.outbox import outbox_deliver
from bastion.observation.services.policies import policy_create_version, policy_in_force

__all__ = [
    "Started",
    "TickResult",
    "alert_acknowledge",
    "alert_resolve",
    "alerts_acknowledge_missed",
    "alerts_escalate",
    "alerts_raise_missed",
    "care_needs",
    "care_visit_cancel",
    "care_visit_record",
    "care_visit_schedule",
    "case_admit",
    "case_classify",
    "case_close",
    "case_isolate",
    "case_record_test",
    "case_refer",
    "case_return",
    "checkin_record",
    "checkin_token_find",
    "checkin_token_hit",
    "checkin_token_issue",
    "checkin_tokens_revoke",
    "community_risk_update",
    "observation_accept",
    "observation_access_log",
    "observation_assign_workers",
    "observation_change_period",
    "observation_complete",
    "observation_start",
    "observation_transfer",
    "observation_transition",
    "observations_start",
    "outbox_deliver",
    "policy_create_version",
    "policy_in_force",
    "supply_deliver",
]
