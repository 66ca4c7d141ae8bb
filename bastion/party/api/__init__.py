"""Party API (党建引领): engagement, coverage, organisations, vanguard posts, deeds and
briefings. Reads are scoped (out of jurisdiction = 404); creates honour `Idempotency-Key`;
briefing edits carry the version read (409 with the current copy when stale). Names of deed
subjects are masked outside the recording unit's chain until the subject agreed to publication.
"""

from ninja import Router

from bastion.party.api import briefings, deeds, front

router = Router(tags=["party"])
router.add_router("", front.router)
router.add_router("", deeds.router)
router.add_router("", briefings.router)
