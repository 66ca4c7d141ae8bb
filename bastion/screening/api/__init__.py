"""Screening API (排查): signals, sweeps and visits, travel records, verification lists and
import jobs. Every read is scoped to the caller's jurisdiction; personal data is masked."""

from ninja import Router

router = Router(tags=["screening"])

# The modules register their operations on `router`.
from bastion.screening.api import imports, signals, sweeps, travel, verification  # noqa: E402

__all__ = ["imports", "router", "signals", "sweeps", "travel", "verification"]
