"""Screening (排查): signals (线索) are the heart, because every other domain raises them;
sweeps and household visits, travel records, verification lists and import jobs feed them.
"""

from bastion.screening.models.imports import ImportJob, ImportStatus
from bastion.screening.models.signals import (
    CLOSED_STATUSES,
    NEXT_STATUSES,
    OPEN_STATUSES,
    Signal,
    SignalEvent,
    SignalSource,
    SignalStatus,
)
from bastion.screening.models.sweeps import (
    DONE_RESULTS,
    HouseholdVisit,
    Relation,
    Sweep,
    VisitMember,
    VisitResult,
)
from bastion.screening.models.travel import (
    HighRiskArea,
    RegistrationPoint,
    Transport,
    TravelRecord,
    TravelSource,
)
from bastion.screening.models.verification import (
    CORRECTABLE,
    RoutedBy,
    RowStatus,
    VerificationList,
    VerificationRow,
)

__all__ = [
    "CLOSED_STATUSES",
    "CORRECTABLE",
    "DONE_RESULTS",
    "NEXT_STATUSES",
    "OPEN_STATUSES",
    "HighRiskArea",
    "HouseholdVisit",
    "ImportJob",
    "ImportStatus",
    "RegistrationPoint",
    "Relation",
    "RoutedBy",
    "RowStatus",
    "Signal",
    "SignalEvent",
    "SignalSource",
    "SignalStatus",
    "Sweep",
    "Transport",
    "TravelRecord",
    "TravelSource",
    "VerificationList",
    "VerificationRow",
    "VisitMember",
    "VisitResult",
]
