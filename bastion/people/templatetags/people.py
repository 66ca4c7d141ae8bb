"""Template filters that show personal data masked (DOMAIN.md, "Personal data").

Templates never print `person.id_number` or `person.mobile` themselves: they use these filters,
and a full value reaches a page only through the logged reveal.
"""

from django import template

from bastion.core.masking import mask_id_number, mask_mobile
from bastion.people.models import Person

register = template.Library()

CARE_TAG_LABELS = dict(Person.CARE_TAGS)


@register.filter
def masked_id(person: Person) -> str:
    return mask_id_number(person.id_number)


@register.filter
def masked_mobile(person: Person) -> str:
    return mask_mobile(person.mobile)


@register.filter
def care_tag_label(tag: str) -> str:
    return str(CARE_TAG_LABELS.get(tag, tag))
