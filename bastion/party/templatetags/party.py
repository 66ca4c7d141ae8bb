"""Template filters of the Party pages."""

from typing import Any

from django import template

from bastion.core.masking import mask_name

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def masked_name(value: str) -> str:
    return mask_name(value)
