"""`{{ _("用途")|colon }}`: a label followed by the colon of the active language.

Chinese takes the full-width "：" with no space and English ": "; gluing "：" after a translated
label in the template showed "Purpose：" in the English interface.
"""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def colon(label: object) -> str:
    return gettext("%(label)s：") % {"label": label}
