"""Schemas and field types shared by every API router."""

from datetime import date
from typing import Annotated

from ninja import Schema
from pydantic import Field

# The largest id a BigAutoField holds; larger path or body ids are refused (422), never a 500.
MAX_ID = 2**63 - 1
# A unit code: NBS digits, possibly extended by kind letters and numbers (decision 0003).
UnitCode = Annotated[str, Field(pattern=r"^[0-9A-Z]{2,40}$", description="单元代码")]
# A calendar day within the range any record of this system can carry.
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2099, 12, 31))]


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class Page(Schema):
    count: int
    page: int
    page_size: int


def page_bounds(page: int, page_size: int) -> tuple[int, int]:
    """Offsets of a 1-based page; callers constrain page >= 1 and 1 <= page_size <= 200."""
    start = (page - 1) * page_size
    return start, start + page_size
