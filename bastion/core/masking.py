"""Server-side masking of personal data (DOMAIN.md, "Personal data").

Masked values are what every list, page, API response and export shows unless a full value is
deliberately revealed (see bastion.audit.services.reveal_log).
"""


def mask_id_number(value: str | None) -> str:
    """`430202199001010011` -> `4302**********0011` (first 4 and last 4 kept)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_mobile(value: str | None) -> str:
    """`13812345678` -> `138****5678`."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """`张三丰` -> `张**`: the family name stays, the rest is starred."""
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)
