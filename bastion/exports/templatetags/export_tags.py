"""`{% export_button "persons" %}`: the "导出" button of a list, carrying its current filter to
the export request page. Shown only to users who may export that list."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from bastion.accounts.jurisdiction import has_capability
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.exports.datasets import DATASETS

register = template.Library()


@register.simple_tag(takes_context=True)
def export_button(context: Any, dataset: str, unit: str = "", **filters: Any) -> SafeString:
    request = context.get("request")
    found = DATASETS.get(dataset)
    user = getattr(request, "user", None)
    if request is None or found is None or user is None:
        return SafeString("")
    if not (
        has_capability(user, Capability.EXPORT_LISTS) and has_capability(user, found.capability)
    ):
        return SafeString("")
    query: dict[str, str] = {"dataset": dataset}
    unit = unit or request.GET.get("unit", "")
    if unit:
        query["unit"] = str(unit)
    for f in found.filters:
        value = str(filters.get(f.name) or request.GET.get(f.name, ""))[:40]
        try:
            # Only values the export understands: "all" or a stray page number stay behind.
            query[f.name] = f.parse(value) if value else ""
        except ValidationError:
            continue
    query = {k: v for k, v in query.items() if v}
    return format_html(
        '<a class="btn btn-outline-secondary btn-sm" href="{}?{}" data-export-button>'
        '<i class="bi bi-file-earmark-spreadsheet"></i> {}</a>',
        reverse("exports:new"),
        urlencode(query),
        _("导出"),
    )
