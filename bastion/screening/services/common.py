"""Small cleaning helpers shared by the screening services."""

import re

from bastion.core.validators import to_halfwidth

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def clean_text(value: object, limit: int, field: str, label: str, errors: dict[str, str]) -> str:
    """Full-width to half-width, runs of spaces to one, trimmed; a Chinese error when it holds
    control characters or is longer than `limit`."""
    text = _SPACES.sub(" ", to_halfwidth("" if value is None else str(value))).strip()
    if CONTROL.search(text):
        errors[field] = f"{label}含有无效字符。"
    elif len(text) > limit:
        errors[field] = f"{label}不能超过 {limit} 个字。"
    return text
