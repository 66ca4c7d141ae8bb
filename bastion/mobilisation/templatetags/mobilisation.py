"""Template filters of the mobilisation pages."""

from django import template

from bastion.core.masking import mask_name
from bastion.mobilisation.models import Member, Skill

register = template.Library()


@register.filter
def masked_name(value: str) -> str:
    return mask_name(value)


@register.filter
def skill_labels(member: Member) -> list[str]:
    return [str(Skill(s).label) for s in member.skills if s in Skill.values]
