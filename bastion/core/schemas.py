"""Schemas shared by every API router."""

from ninja import Schema


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
