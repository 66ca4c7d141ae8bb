"""Template filters of the report tables."""

from typing import Any

from django import template

from bastion.reports.catalogue import Figure
from bastion.reports.formatting import display

register = template.Library()


@register.filter
def figure_value(values: dict[str, Any], figure: Figure) -> str:
    """`{{ row.values|figure_value:figure }}`: the formatted value (0 is 0, None is —)."""
    return display(values.get(figure.key), figure)


@register.filter
def shown(value: Any, figure: Figure) -> str:
    return display(value, figure)
