"""Template filters of the checkpoint pages: personal data masked, decisions coloured."""

from django import template

from bastion.checkpoints.models import StaffKind
from bastion.core.masking import mask_id_number, mask_mobile

register = template.Library()

DECISION_COLOURS = {
    "pass": "success",
    "pass_and_hand_over": "warning",
    "refer_fever_point": "danger",
    "turn_back": "secondary",
}


@register.filter
def masked_id(value: str) -> str:
    return mask_id_number(value)


@register.filter
def masked_mobile(value: str) -> str:
    return mask_mobile(value)


@register.filter
def decision_colour(decision: str) -> str:
    return DECISION_COLOURS.get(decision, "secondary")


@register.filter
def hours(value: float) -> str:
    """16.0 -> '16', 7.5 -> '7.5'."""
    return f"{value:g}"


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key, "")


STAFF_KIND_LABELS = dict(StaffKind.choices)


@register.filter
def staff_kind_label(kind: str) -> str:
    return str(STAFF_KIND_LABELS.get(kind, kind))
