"""What a dataset (数据集) is: a scoped queryset, its filters and its columns with masking rules.

A dataset answers "which rows may this requester export, in this unit, with this filter":
the rows pass `scoped()` twice, once for the capability that shows the list and once for
EXPORT_LISTS, so an export never holds a row its requester could not see on the list.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bastion.accounts.jurisdiction import scoped
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.core.masking import mask_id_number, mask_mobile, mask_name


class Mask(StrEnum):
    """How a column is shown in a masked export (脱敏)."""

    NONE = "none"
    NAME = "name"
    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    ADDRESS = "address"
    PLATE = "plate"
    TEXT = "text"  # free text may hold anything personal: hidden entirely


def mask_address(value: str | None) -> str:
    """`月塘路 1 号 3 栋` -> `月塘路***`: the street stays, the door number goes."""
    if not value:
        return ""
    return value[:3] + "***"


def mask_plate(value: str | None) -> str:
    """`湘B12345` -> `湘B***45`."""
    if not value:
        return ""
    return value[:2] + "***" + value[-2:] if len(value) > 4 else "*" * len(value)


def _mask_text(value: str | None) -> str:
    return "***" if value else ""


MASKERS: dict[Mask, Callable[[Any], str]] = {
    Mask.NAME: mask_name,
    Mask.ID_NUMBER: mask_id_number,
    Mask.MOBILE: mask_mobile,
    Mask.ADDRESS: mask_address,
    Mask.PLATE: mask_plate,
    Mask.TEXT: _mask_text,
}


@dataclass(frozen=True)
class Column:
    header: str | Promise
    path: str  # a values_list path, e.g. "person__name"
    mask: Mask = Mask.NONE
    choices: Mapping[str, Any] | None = None  # stored value -> label

    def formatter(self, *, masked: bool) -> Callable[[Any], Any]:
        """The cell function of this column, decided once per export (not once per cell)."""
        if masked and self.mask is not Mask.NONE:
            masker = MASKERS[self.mask]
            return lambda v: "" if v is None else masker(str(v))
        if self.choices is not None:
            choices = {k: str(v) for k, v in self.choices.items()}
            return lambda v: "" if v is None else choices.get(v, str(v))
        yes, no = str(_("是")), str(_("否"))

        def plain(value: Any) -> Any:
            if value is None:
                return ""
            if isinstance(value, bool):
                return yes if value else no
            if isinstance(value, datetime):
                return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return float(value)
            if isinstance(value, list):
                return ", ".join(str(v) for v in value)
            if isinstance(value, dict):
                return str(value)
            return value

        return plain


class FilterKind(StrEnum):
    SINCE = "since"  # the day or later (local calendar day)
    UNTIL = "until"  # the day or earlier
    CHOICE = "choice"
    FLAG = "flag"  # the value names a boolean field that must be true (care tags)


@dataclass(frozen=True)
class Filter:
    name: str  # the list's query parameter
    label: str | Promise
    kind: FilterKind
    field: str
    choices: Mapping[str, Any] | None = None

    def parse(self, raw: str) -> str:
        """The cleaned value (a string, stored as the job's filter) or ValidationError."""
        if self.kind in (FilterKind.CHOICE, FilterKind.FLAG):
            if self.choices is None or raw not in self.choices:
                raise ValidationError({self.name: _("不是可选的值。")})
            return raw
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise ValidationError({self.name: _("日期格式应为 YYYY-MM-DD。")}) from None

    def apply(self, qs: QuerySet[Any], value: str, *, is_datetime: bool) -> QuerySet[Any]:
        if self.kind is FilterKind.CHOICE:
            return qs.filter(**{self.field: value})
        if self.kind is FilterKind.FLAG:
            return qs.filter(**{value: True})
        day = date.fromisoformat(value)
        if self.kind is FilterKind.UNTIL:
            day += timedelta(days=1)
        bound: date | datetime = day
        if is_datetime:
            # A day is the local calendar day (Asia/Shanghai): aware bounds, index-friendly.
            bound = timezone.make_aware(datetime.combine(day, time.min))
        op = "gte" if self.kind is FilterKind.SINCE else "lt"
        return qs.filter(**{f"{self.field}__{op}": bound})


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str | Promise
    capability: Capability
    base: Callable[[], QuerySet[Any]]
    columns: tuple[Column, ...]
    object_type: str
    filters: tuple[Filter, ...] = ()
    order_by: tuple[str, ...] = ("pk",)
    scope_field: str = "unit_code"
    datetime_fields: frozenset[str] = field(default_factory=frozenset)

    @property
    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    @property
    def has_personal_data(self) -> bool:
        return any(c.mask is not Mask.NONE for c in self.columns)

    def clean_filters(self, raw: Mapping[str, Any]) -> dict[str, str]:
        """Keep the known, non-empty filters (page numbers and the like are dropped)."""
        cleaned: dict[str, str] = {}
        errors: dict[str, Any] = {}
        for f in self.filters:
            value = str(raw.get(f.name) or "").strip()[:40]
            if not value:
                continue
            try:
                cleaned[f.name] = f.parse(value)
            except ValidationError as e:
                errors.update(e.message_dict)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def queryset(
        self, *, user: Any, scope_prefix: str, filters: Mapping[str, str]
    ) -> QuerySet[Any]:
        """The rows the requester may export; `scope_prefix` narrows to one unit's subtree."""
        qs = scoped(user, self.base(), self.capability, field=self.scope_field)
        qs = scoped(user, qs, Capability.EXPORT_LISTS, field=self.scope_field)
        if scope_prefix:
            qs = qs.filter(**{f"{self.scope_field}__startswith": scope_prefix})
        by_name = {f.name: f for f in self.filters}
        for name, value in filters.items():
            f = by_name.get(name)
            if f is not None:
                qs = f.apply(qs, value, is_datetime=f.field in self.datetime_fields)
        return qs.order_by(*self.order_by)

    def rows(self, qs: QuerySet[Any], *, masked: bool) -> Iterator[list[Any]]:
        """Stream the cells, 2,000 rows a round trip, without building model instances."""
        paths = [c.path for c in self.columns]
        cells = [c.formatter(masked=masked) for c in self.columns]
        for values in qs.values_list(*paths).iterator(chunk_size=2000):
            yield [cell(v) for cell, v in zip(cells, values, strict=True)]


def since_until(field_name: str) -> tuple[Filter, Filter]:
    return (
        Filter("since", _("起始日期"), FilterKind.SINCE, field_name),
        Filter("until", _("截止日期"), FilterKind.UNTIL, field_name),
    )


def choice(name: str, label: str | Promise, field_name: str, choices: Iterable[Any]) -> Filter:
    return Filter(name, label, FilterKind.CHOICE, field_name, dict(choices))


def labels(choices: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    return dict(choices)


def manager(model: type[Model]) -> Callable[[], QuerySet[Any]]:
    return lambda: model._default_manager.all()
