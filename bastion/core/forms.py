"""Form helpers shared by every app."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString


class FastSelect(forms.Select):
    """`forms.Select` with the same HTML written directly. Django renders two templates per
    option; a unit list of the city's tree is ~1,500 options, and that rendering was most of
    the server time of the pages that offer one (50-90 ms at tier M: issue 8, figure 6).
    Plain and grouped choices; one option selected, as `forms.Select` does."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        parts: list[str] = []
        for group, options in self._groups():
            if group is not None:
                parts.append(f'\n  <optgroup label="{escape(str(group))}">')
            for v, label in options:
                key = "" if v is None else str(v)
                picked = key in chosen
                if picked:
                    chosen = set()  # the first match only, as a single select
                parts.append(
                    f'\n  <option value="{escape(key)}"{" selected" if picked else ""}>'
                    f"{escape(str(label))}</option>"
                )
            if group is not None:
                parts.append("\n  </optgroup>")
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html(
            '<select name="{}"{}>{}\n</select>', name, attributes, SafeString("".join(parts))
        )

    def _groups(self) -> Iterable[tuple[Any, list[tuple[Any, Any]]]]:
        for v, label in self.choices:
            if isinstance(label, list | tuple):
                yield v, list(label)
            else:
                yield None, [(v, label)]


class BootstrapForm(forms.Form):
    """A form whose widgets carry Bootstrap 5 classes, large for phones; its single selects
    are written by `FastSelect`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                old = field.widget
                field.widget = FastSelect(attrs=old.attrs, choices=old.choices)
                field.widget.is_required = old.is_required
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors beside their fields, the
    rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
