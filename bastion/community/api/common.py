"""Types shared by the community API modules."""

from datetime import date
from typing import Annotated

from ninja import Field, Path, Schema

from bastion.core.schemas import ErrorOut

MAX_ID = 2**63 - 1
CHANNEL = "api"

UnitCode = Annotated[str, Field(pattern=r"^[0-9A-Z]{2,40}$", description="单元代码")]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
# Dates a client may send: anything else is a typo (and keeps date arithmetic in range).
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2099, 12, 31))]
# No control characters: never part of a name or a place, and PostgreSQL refuses NUL.
TEXT = r"^[^\x00-\x1f\x7f]*$"

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut, 403: ErrorOut}
