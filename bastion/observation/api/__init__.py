"""Observation API (医学观察): observations, check-ins, alerts, cases and the unit summary,
scoped to the caller's jurisdiction, idempotent on client UUIDs and Idempotency-Key."""

from ninja import Router

from bastion.observation.api.alerts import router as alerts_router
from bastion.observation.api.observations import router as observations_router

router = Router(tags=["observation"])
router.add_router("", observations_router)
router.add_router("", alerts_router)

__all__ = ["router"]
