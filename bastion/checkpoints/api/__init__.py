"""The checkpoints API, mounted at /api/v1/ with the prefix "": checkpoints, rosters and
registration at the roadside, all scoped to the caller's jurisdiction."""

from ninja import Router

from bastion.checkpoints.api.checkpoints import router as checkpoints_router
from bastion.checkpoints.api.passages import router as passages_router
from bastion.checkpoints.api.rosters import router as rosters_router

router = Router(tags=["checkpoints"])
router.add_router("", checkpoints_router)
router.add_router("", passages_router)
router.add_router("", rosters_router)

__all__ = ["router"]
