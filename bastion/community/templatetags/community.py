"""Template tags of the community pages: a form field in Bootstrap markup, outcome badges."""

from typing import Any

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from bastion.community.models import Gathering, GatheringOutcome
from bastion.community.selectors import OutcomeCounts

register = template.Library()

OUTCOME_STYLES = {
    GatheringOutcome.POSTPONED: "text-bg-success",
    GatheringOutcome.CANCELLED: "text-bg-success",
    GatheringOutcome.DOWNSIZED: "text-bg-info",
    GatheringOutcome.HELD_WITH_PLAN: "text-bg-secondary",
    GatheringOutcome.HELD_AGAINST_ADVICE: "text-bg-danger",
}


@register.inclusion_tag("community/_field.html")
def field(bound: forms.BoundField) -> dict[str, Any]:
    """A labelled field with its errors; an invalid one is marked for Bootstrap."""
    css = bound.field.widget.attrs.get("class", "")
    if bound.widget_type == "checkbox":
        css = "form-check-input"
    if bound.errors:
        css = f"{css} is-invalid"
    return {"field": bound, "widget": bound.as_widget(attrs={"class": css.strip()})}


@register.simple_tag
def outcome_badge(gathering: Gathering) -> SafeString:
    if not gathering.outcome:
        return format_html('<span class="badge text-bg-warning" data-outcome="">{}</span>', "待定")
    return format_html(
        '<span class="badge {}" data-outcome="{}">{}</span>',
        OUTCOME_STYLES.get(GatheringOutcome(gathering.outcome), "text-bg-light"),
        gathering.outcome,
        gathering.get_outcome_display(),
    )


@register.filter
def percent(rate: float | None) -> str:
    """0.875 → '88%'; no runs due → '—'."""
    return "—" if rate is None else f"{round(rate * 100)}%"


@register.simple_tag
def outcome_count(counts: OutcomeCounts, outcome: str) -> int:
    return counts.of(outcome)
