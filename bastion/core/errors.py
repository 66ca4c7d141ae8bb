"""Errors that services raise and every adapter (form, API, import) turns into a clear answer."""

from typing import Any

from django.core.exceptions import ValidationError

__all__ = ["StaleVersion", "ValidationError"]


class StaleVersion(Exception):  # noqa: N818 - a state, not a fault: "the copy is stale"
    """An update carried an old version: the client must merge with `current` and retry."""

    def __init__(self, current: Any) -> None:
        super().__init__("记录已被他人修改，请刷新后再改。")
        self.current = current


def field_errors(error: ValidationError) -> list[dict[str, str]]:
    """Flatten a Django ValidationError to [{"field": ..., "message": ...}]."""
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "message": str(message)}
            for field, errors in error.message_dict.items()
            for message in errors
        ]
    return [{"field": "__all__", "message": str(m)} for m in error.messages]
