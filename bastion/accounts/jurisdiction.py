"""The one scoping function (DESIGN.md §1.2).

Every read of jurisdictional data goes through `scoped()`: it keeps the rows whose unit code
starts with one of the scope prefixes where the acting user holds the needed capability.
`get_scoped_or_404()` is the single-object form: a row that is missing and a row out of
jurisdiction raise the same Http404, so nobody can probe for records beyond their units.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from bastion.accounts.roles import ROLE_CAPABILITIES, Capability
from bastion.core import fastsql

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_bastion_memberships"


def active_memberships(user: Any) -> list[Any]:
    """The user's active memberships with their units, loaded once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            user.memberships.filter(is_active=True, unit__is_active=True)
            .select_related("unit")
            .order_by("unit__code")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def remember_memberships(user: Any, memberships: list[Any]) -> None:
    """Hand over memberships already loaded the way `active_memberships` loads them (the
    token look-up reads them in its own query)."""
    setattr(user, _CACHE_ATTR, memberships)


def forget_memberships(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _minimal(prefixes: Iterable[str]) -> tuple[str, ...]:
    """Drop prefixes covered by a shorter one: ('4302', '430211') -> ('4302',)."""
    kept: list[str] = []
    for p in sorted(set(prefixes), key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(sorted(kept))


def scope_prefixes(user: Any, capability: Capability) -> tuple[str, ...]:
    """The scope prefixes of the units where `user` holds `capability`."""
    return _minimal(
        m.unit.scope_prefix
        for m in active_memberships(user)
        if capability in ROLE_CAPABILITIES.get(m.role, frozenset())
    )


def has_capability(user: Any, capability: Capability) -> bool:
    return bool(scope_prefixes(user, capability))


def code_in_scope(user: Any, code: str, capability: Capability) -> bool:
    return any(code.startswith(p) for p in scope_prefixes(user, capability))


def scoped(
    user: Any,
    queryset: QuerySet[M],
    capability: Capability = Capability.VIEW_PERSONS,
    *,
    field: str | None = None,
) -> QuerySet[M]:
    """Rows of `queryset` inside the user's jurisdiction for `capability`.

    `field` names the unit-code column; by default the model's `scope_field` attribute.
    """
    field = field or queryset.model.scope_field  # type: ignore[attr-defined]
    prefixes = scope_prefixes(user, capability)
    if not prefixes:
        return queryset.none()
    condition = Q()
    for prefix in prefixes:
        condition |= code_under(field, prefix)
    return queryset.filter(condition)


_CODE_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_prefix(prefix: str) -> str | None:
    """The first code after every code that starts with `prefix` ('430211' -> '430212',
    '4302G9' -> '4302GA', '43Z' -> '44'); None when there is none or the prefix holds a
    character codes do not use."""
    chars = list(prefix)
    while chars:
        position = _CODE_CHARACTERS.find(chars[-1])
        if position < 0:
            return None
        if position + 1 < len(_CODE_CHARACTERS):
            chars[-1] = _CODE_CHARACTERS[position + 1]
            return "".join(chars)
        chars.pop()
    return None


def code_under(field: str, prefix: str) -> Q:
    """`field` holds a code that starts with `prefix`, written as the range
    [prefix, next prefix).

    A plain b-tree index on the code answers the range and keeps the code order, and the
    planner estimates it from the column's histogram. With LIKE 'prefix%' PostgreSQL, asked
    for a small scope's rows in code order, walked the whole code index and filtered it (a
    village worker's registry page at tier L: 770 ms; with the range, 6 ms). Codes are digits
    and capital letters, which sort the same way in every collation; a prefix with any other
    character keeps the LIKE."""
    upper = _next_prefix(prefix)
    if upper is None:
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def get_scoped_or_404(
    user: Any,
    queryset: QuerySet[M],
    capability: Capability = Capability.VIEW_PERSONS,
    *,
    field: str | None = None,
    **lookup: Any,
) -> M:
    try:
        return scoped(user, queryset, capability, field=field).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("未找到") from None


def get_by_pk_scoped_or_404(
    user: Any, model: type[M], pk: int, capability: Capability = Capability.VIEW_PERSONS
) -> M:
    """`get_scoped_or_404(user, model.objects.all(), capability, pk=pk)` for the hottest
    paths (a check-in): the row is read by its primary key alone, with a statement built once
    (`core.fastsql.get`), and its unit code is tested against the same scope prefixes here.
    A missing row and a row out of jurisdiction raise the same Http404."""
    row = fastsql.get(model, pk)
    code = getattr(row, model.scope_field, None)  # type: ignore[attr-defined]
    if row is None or not isinstance(code, str) or not code_in_scope(user, code, capability):
        raise Http404("未找到")
    return row
