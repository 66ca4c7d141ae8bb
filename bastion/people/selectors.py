"""Scoped reads of the person registry (人员) and households (住户).

Every function takes the acting user first and reads through `scoped()`; a single row that is
missing or out of jurisdiction raises the same Http404.
"""

import contextlib
import re
from datetime import date
from enum import StrEnum
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Count, F, Func, Q, QuerySet, TextField, Value
from django.http import Http404

from bastion.accounts.jurisdiction import get_scoped_or_404, scope_prefixes, scoped
from bastion.accounts.roles import Capability
from bastion.core.kept import kept
from bastion.core.validators import citizen_id_canonical, normalize_mobile, to_halfwidth
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import CARE_TAGS, ENTRY_LEVELS, Household, Person

VIEW = Capability.VIEW_PERSONS
SEARCH_LIMIT = 50
# A fragment with at most this many matches is sorted after it is found (_first_matches).
CANDIDATES = 2000


class QueryKind(StrEnum):
    """What a search box held. Only the kind is logged, never the query itself."""

    EMPTY = "empty"
    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    NUMBER_FRAGMENT = "number_fragment"
    INITIALS = "initials"
    NAME = "name"


def _persons() -> QuerySet[Person]:
    return Person.objects.select_related("unit", "household")


def _unit_in_scope(user: Any, code: str, capability: Capability) -> OrgUnit:
    return get_scoped_or_404(user, OrgUnit.objects.all(), capability, code=code)


def person_list(
    *,
    user: Any,
    unit_code: str | None = None,
    care_tag: str | None = None,
    household_id: int | None = None,
    capability: Capability = VIEW,
) -> QuerySet[Person]:
    """Live (not merged) persons of the user's jurisdiction, optionally of one unit's
    jurisdiction and with one care tag. An out-of-scope unit code raises Http404."""
    qs = scoped(user, _persons().filter(merged_into__isnull=True), capability)
    if unit_code:
        unit = _unit_in_scope(user, unit_code, capability)
        qs = qs.filter(unit_code__startswith=unit.scope_prefix)
    if care_tag in CARE_TAGS:
        qs = qs.filter(**{care_tag: True})
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    return qs


_ID_CHARS = re.compile(r"^[0-9]+[Xx]?$")
_LETTERS = re.compile(r"^[A-Za-z]+$")
_SEPARATORS = re.compile(r"[\s\-()（）]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def search_kind(q: str) -> tuple[QueryKind, str]:
    """Decide what `q` is: an ID number, a mobile, a fragment of either, pinyin initials or a
    name fragment; return the kind and the normalised value to match."""
    text = _CONTROL.sub("", to_halfwidth(q or "")).strip()[:100]
    compact = _SEPARATORS.sub("", text)
    if not compact:
        return QueryKind.EMPTY, ""
    if compact.startswith(("+86", "0086")) or (compact.isdigit() and len(compact) in (11, 13)):
        try:
            return QueryKind.MOBILE, normalize_mobile(compact)
        except ValueError:
            pass
    if _ID_CHARS.match(compact):
        if len(compact) in (15, 18):
            try:
                return QueryKind.ID_NUMBER, citizen_id_canonical(compact)[0]
            except ValueError:
                pass
        return QueryKind.NUMBER_FRAGMENT, compact.upper()
    if _LETTERS.match(compact):
        return QueryKind.INITIALS, compact.lower()
    return QueryKind.NAME, text


class _Characters(Func):
    """`string_to_array(UPPER(x), NULL)`: the characters of a text, upper-cased. On the name
    column it is the expression of the GIN index `person_name_chars_gin` (people migration
    0002); only ever compared with `@>`, never loaded, hence no array output field."""

    function = "string_to_array"
    template = "string_to_array(UPPER(%(expressions)s), NULL)"
    output_field = TextField()


def _name_has_characters_of(value: str) -> Func:
    """The name holds every character of `value`: a superset of `name__icontains=value` that
    PostgreSQL answers from the GIN index (trigrams cannot: a fragment is mostly one or two
    Chinese characters). Both sides are upper-cased by the database, as `icontains` does."""
    return Func(
        _Characters(F("name")),
        _Characters(Value(value)),
        template="%(expressions)s",
        arg_joiner=" @> ",
        output_field=BooleanField(),
    )


def _first_matches(user: Any, matches: QuerySet[Person]) -> QuerySet[Person]:
    """The first SEARCH_LIMIT + 1 matches in the registry's order (one more than a page
    shows tells it there are more), with their household and unit.

    Their ids are read first, on their own: a fragment can match thousands of persons (`lp`
    about 3,000 of a million), and in one query PostgreSQL joined the household and unit to
    every match before sorting them, which was most of the time.

    A rare fragment is read unordered first (from its index), then only those persons are
    sorted: asked for the first matches in the registry's order, PostgreSQL walks the
    unit-code index and, when the matches are few, reads most of the table before it has a
    page (`dzz` at tier L: 434,000 rows for 53 matches, 0.6-0.9 s). A common fragment has
    more than CANDIDATES matches and takes the ordered walk, which finds a page at once."""
    candidates = list(matches.order_by().values_list("pk", flat=True)[: CANDIDATES + 1])
    if len(candidates) <= CANDIDATES:
        matches = Person.objects.filter(pk__in=candidates)
    ids = list(matches.values_list("pk", flat=True)[: SEARCH_LIMIT + 1])
    return scoped(user, _persons(), VIEW).filter(pk__in=ids) if ids else matches.none()


def person_search(*, user: Any, q: str) -> tuple[QueryKind, QuerySet[Person]]:
    """Live persons in scope matching a search box: exact ID number or mobile, a fragment of
    either (at least 4 digits), pinyin (`zs` or `zhangsan` for 张三) or part of the name.

    A fragment's answer is read at once and holds at most SEARCH_LIMIT + 1 persons (every
    caller shows one page of them)."""
    kind, value = search_kind(q)
    qs = scoped(user, _persons().filter(merged_into__isnull=True), VIEW)
    if kind == QueryKind.ID_NUMBER:
        return kind, qs.filter(id_number=value)
    if kind == QueryKind.MOBILE:
        return kind, qs.filter(mobile=value)
    if kind == QueryKind.NUMBER_FRAGMENT:
        if len(value) < 4:
            return kind, qs.none()
        return kind, _first_matches(
            user, qs.filter(Q(id_number__contains=value) | Q(mobile__contains=value))
        )
    if kind == QueryKind.INITIALS:
        return kind, _first_matches(
            user, qs.filter(Q(name_initials__startswith=value) | Q(name_pinyin__startswith=value))
        )
    if kind == QueryKind.NAME:
        qs = qs.filter(name__icontains=value)
        if connections[qs.db].vendor == "postgresql":
            qs = qs.filter(_name_has_characters_of(value))
        return kind, _first_matches(user, qs)
    return kind, qs.none()


def person_get(*, user: Any, person_id: int, capability: Capability = VIEW) -> Person:
    """One person in scope; a merged person's id resolves to the person it was merged into."""
    person = get_scoped_or_404(user, _persons(), capability, pk=person_id)
    seen = {person.pk}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        seen.add(person.merged_into_id)
        person = get_scoped_or_404(user, _persons(), capability, pk=person.merged_into_id)
    return person


def duplicate_candidates(
    *,
    user: Any,
    name: str,
    birth_date: date | None = None,
    mobile: str = "",
    id_number: str = "",
    exclude_id: int | None = None,
    limit: int = 10,
) -> list[Person]:
    """Live persons in scope who may be the same person: the same name and birth date, or the
    same name and mobile. A valid ID number supplies the birth date when none is given."""
    name = (name or "").strip()
    if not name:
        return []
    if birth_date is None and id_number:
        with contextlib.suppress(ValueError):
            birth_date = citizen_id_canonical(id_number)[1]
    try:
        normalized_mobile = normalize_mobile(mobile) if mobile else ""
    except ValueError:
        normalized_mobile = ""
    same: Q = Q()
    if birth_date is not None:
        same |= Q(birth_date=birth_date)
    if normalized_mobile:
        same |= Q(mobile=normalized_mobile)
    if not same:
        return []
    qs = scoped(user, _persons().filter(merged_into__isnull=True, name=name), VIEW).filter(same)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return list(qs[:limit])


def household_get(*, user: Any, household_id: int) -> Household:
    return get_scoped_or_404(user, Household.objects.select_related("unit"), VIEW, pk=household_id)


def household_list(*, user: Any, unit_code: str | None = None) -> QuerySet[Household]:
    """Households in scope with the number of live members each."""
    qs = scoped(user, Household.objects.select_related("unit"), VIEW)
    if unit_code:
        unit = _unit_in_scope(user, unit_code, VIEW)
        qs = qs.filter(unit_code__startswith=unit.scope_prefix)
    return qs.annotate(member_count=Count("members", filter=Q(members__merged_into__isnull=True)))


def household_members(*, user: Any, household: Household) -> QuerySet[Person]:
    return person_list(user=user, household_id=household.pk)


def entry_units(*, user: Any) -> QuerySet[OrgUnit]:
    """Villages and grids where the user may register persons."""
    return scoped(
        user,
        OrgUnit.objects.filter(is_active=True, level__in=ENTRY_LEVELS, kind=Kind.TERRITORIAL),
        Capability.EDIT_PERSONS,
    ).order_by("code")


def entry_unit(*, user: Any, code: str) -> OrgUnit | None:
    """The village or grid `code` if the user may register persons there, else None."""
    return entry_units(user=user).filter(code=code).first()


def filter_units(*, user: Any) -> list[tuple[str, str, int]]:
    """Units offered as a list filter: the territorial tree and grids in scope, as (code,
    name, depth) in code order. Tuples, not units: a city's tree is ~1,500 rows."""
    units = scoped(
        user,
        OrgUnit.objects.filter(
            is_active=True,
            kind=Kind.TERRITORIAL,
            level__in=(Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID),
        ),
        VIEW,
    ).order_by("code")
    return list(units.values_list("code", "name", "depth"))


def unit_for_filter(*, user: Any, code: str) -> OrgUnit:
    """The unit a list is filtered by; Http404 if it is not in scope."""
    if not code:
        raise Http404("未找到")
    return _unit_in_scope(user, code, VIEW)


# The registry's size per child changes slowly, and counting it scans the whole registry under
# the unit (a million persons for the city: 180 ms at tier M), on a page people open often:
# the counts are kept for a few minutes, per unit, children and the viewer's scope.
REGISTRY_COUNTS_SECONDS = 300


def registry_counts(
    *, user: Any, unit: OrgUnit, children: list[OrgUnit]
) -> tuple[dict[str, int], dict[str, int]]:
    """Live persons and households under each child of `unit`, at most a few minutes old."""
    scope = scope_prefixes(user, VIEW)
    args = {"user": user, "unit": unit, "children": children}

    def counts() -> tuple[dict[str, int], dict[str, int]]:
        everyone = _counts_per_code(queryset=Person.objects.all(), **args)
        merged = _counts_per_code(queryset=Person.objects.filter(merged_into__isnull=False), **args)
        return (
            {code: n - merged[code] for code, n in everyone.items()},
            _counts_per_code(queryset=Household.objects.all(), **args),
        )

    parts = (unit.code, [c.code for c in children], scope)
    return kept("people:registry-counts", parts, REGISTRY_COUNTS_SECONDS, counts)


def _counts_per_code(
    *, user: Any, queryset: QuerySet[Any], unit: OrgUnit, children: list[OrgUnit]
) -> dict[str, int]:
    """How many rows of `queryset` fall under each child (as `orgs.selectors.counts_by_child`
    counts them), grouped by the unit code itself and added up here: the count is then read
    from the code index alone, in code order, with no prefix computed per row (the city's
    million persons at tier M: 210 → 90 ms; the live ones are all minus the few merged, whose
    own index answers at once)."""
    by_length: dict[int, dict[str, str]] = {}
    for child in children:
        by_length.setdefault(len(child.scope_prefix), {})[child.scope_prefix] = child.code
    counts = {c.code: 0 for c in children}
    under = scoped(user, queryset.filter(unit_code__startswith=unit.scope_prefix), VIEW)
    for code, n in under.values_list("unit_code").annotate(n=Count("*")).order_by():
        for length, prefixes in by_length.items():
            under_child = prefixes.get(code[:length])
            if under_child is not None:
                counts[under_child] += n
    return counts
