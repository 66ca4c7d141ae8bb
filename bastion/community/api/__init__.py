"""Community API (社区防控): gatherings (酒宴) and disinfection (消毒消杀), scoped and idempotent.

Mounted at /api/v1/ with prefix "": the paths are /gatherings…, /sites…, /disinfection-runs
and /disinfection-compliance.
"""

from ninja import Router

from bastion.community.api import disinfection, gatherings

router = Router(tags=["community"])
router.add_router("", gatherings.router)
router.add_router("", disinfection.router)

__all__ = ["router"]
