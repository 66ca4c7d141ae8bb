"""Types shared by the community API modules."""

from typing import Annotated

from ninja import Path, Schema

from bastion.core.schemas import MAX_ID, ErrorOut

CHANNEL = "api"

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
# Dates a client may send: anything else is a typo (and keeps date arithmetic in range).
# No control characters: never part of a name or a place, and PostgreSQL refuses NUL.
TEXT = r"^[^\x00-\x1f\x7f]*$"

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut, 403: ErrorOut}
