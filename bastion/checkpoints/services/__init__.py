"""Writes of the checkpoints app: master data, duty rosters, and registration at the roadside.

Every function takes keyword-only arguments and raises one django `ValidationError` whose dict
maps each bad field to a Chinese message; the form, the API and any import answer alike.
"""

from bastion.checkpoints.services.checkpoints import (
    checkpoint_attach,
    checkpoint_create,
    checkpoint_update,
)
from bastion.checkpoints.services.disclosure import (
    passage_list_log,
    passage_view_log,
    roster_export_log,
)
from bastion.checkpoints.services.passages import OccupantIn, passage_register
from bastion.checkpoints.services.rosters import (
    assignment_add,
    assignment_remove,
    attendance_check_in,
    attendance_check_out,
    shift_for,
    shift_handover,
    shifts_ensure,
)

__all__ = [
    "OccupantIn",
    "assignment_add",
    "assignment_remove",
    "attendance_check_in",
    "attendance_check_out",
    "checkpoint_attach",
    "checkpoint_create",
    "checkpoint_update",
    "passage_list_log",
    "passage_register",
    "passage_view_log",
    "roster_export_log",
    "shift_for",
    "shift_handover",
    "shifts_ensure",
]
