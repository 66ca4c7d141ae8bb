"""Helpers shared by the community services: cleaning free text, the clock."""

import re
from datetime import datetime

from django.utils import timezone

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def clean_text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    errors: dict[str, str],
    required: str = "",
) -> str:
    """Trimmed single-line text. `required` is the message when it is empty (else optional)."""
    text = _SPACES.sub(" ", _CONTROL.sub("", value or "")).strip()
    if not text and required:
        errors[field] = required
    elif len(text) > max_length:
        errors[field] = f"不能超过 {max_length} 个字。"
    return text


def now_or(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()
