"""Writes to the person registry (人员) and households (住户).

Every function takes the acting user and keyword-only arguments, validates everything it is
given, and raises one django `ValidationError` whose dict maps each bad field to a Chinese
message, so the form, the API and the Excel import all answer the same way.
"""

from bastion.people.services.disclosure import person_list_log, person_reveal, person_view_log
from bastion.people.services.households import household_create
from bastion.people.services.persons import UPDATABLE, person_create, person_merge, person_update
from bastion.people.services.validation import (
    HOUSEHOLD_NOT_IN_SCOPE,
    REVEALABLE_FIELDS,
    UNIT_NOT_IN_SCOPE,
    DuplicatePerson,
    duplicate_exists,
    name_romanised,
)

__all__ = [
    "HOUSEHOLD_NOT_IN_SCOPE",
    "REVEALABLE_FIELDS",
    "UNIT_NOT_IN_SCOPE",
    "UPDATABLE",
    "DuplicatePerson",
    "duplicate_exists",
    "household_create",
    "name_romanised",
    "person_create",
    "person_list_log",
    "person_merge",
    "person_reveal",
    "person_update",
    "person_view_log",
]
