"""Writes of the Party app. Callers pass objects they already scoped; services validate and write
in one transaction. One module per part: organisations and posts, deeds, briefings."""

from bastion.party.services.briefings import MAX_BRIEFING_DAYS, briefing_create, briefing_update
from bastion.party.services.deeds import (
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    deed_commend,
    deed_consent,
    deed_fact_link,
    deed_nominate,
    deed_photo_add,
    deed_record,
)
from bastion.party.services.orgs import (
    party_kind_label,
    party_org_create,
    party_org_profile,
    post_assign,
    post_end,
)

__all__ = [
    "MAX_BRIEFING_DAYS",
    "MAX_PHOTOS",
    "MAX_PHOTO_BYTES",
    "briefing_create",
    "briefing_update",
    "deed_commend",
    "deed_consent",
    "deed_fact_link",
    "deed_nominate",
    "deed_photo_add",
    "deed_record",
    "party_kind_label",
    "party_org_create",
    "party_org_profile",
    "post_assign",
    "post_end",
]
