"""Routing a row of a list uploaded above the village (乡镇、区县) to the village that must
act on it: by ID number in the registry, then by a phone that only one village knows, then
by a village's name written in the address. Verification lists and the returnee import at
township or county level share it. The lookups are batched: a few queries for any list.
"""

from collections import defaultdict
from collections.abc import Iterable

from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Person
from bastion.screening.models import RoutedBy

BATCH = 2000


class UnitRouter:
    """Built once for a list (its normalised ID numbers and phones), asked once per row."""

    def __init__(self, unit: OrgUnit, id_numbers: Iterable[str], mobiles: Iterable[str]) -> None:
        persons = Person.objects.filter(
            merged_into__isnull=True, unit_code__startswith=unit.scope_prefix
        ).select_related("unit")
        self.by_id: dict[str, Person] = {}
        ids = sorted(set(id_numbers) - {""})
        for i in range(0, len(ids), BATCH):
            for p in persons.filter(id_number__in=ids[i : i + BATCH]):
                self.by_id[p.id_number or ""] = p
        by_mobile: dict[str, list[Person]] = defaultdict(list)
        phones = sorted(set(mobiles) - {""})
        for i in range(0, len(phones), BATCH):
            for p in persons.filter(mobile__in=phones[i : i + BATCH]):
                by_mobile[p.mobile].append(p)
        # A phone shared across villages (a family's, a landlord's) routes nowhere.
        self.by_mobile = {
            m: ps[0] for m, ps in by_mobile.items() if len({p.unit_code for p in ps}) == 1
        }
        villages = OrgUnit.objects.filter(
            code__startswith=unit.scope_prefix,
            level=Level.VILLAGE,
            kind=Kind.TERRITORIAL,
            is_active=True,
        )
        names = [(name, v) for v in villages for name in {v.name, v.short_name} - {""}]
        # Longest names first: 月塘社区居委会 before 月塘社区.
        self.names = sorted(names, key=lambda n: -len(n[0]))

    def route(
        self, *, id_number: str, mobile: str, address: str
    ) -> tuple[OrgUnit | None, str, Person | None]:
        """(unit, how, person found) for normalised values; (None, "", None) if nowhere."""
        if id_number and id_number in self.by_id:
            person = self.by_id[id_number]
            return person.unit, RoutedBy.ID_NUMBER, person
        if mobile and mobile in self.by_mobile:
            person = self.by_mobile[mobile]
            return person.unit, RoutedBy.MOBILE, person
        compact = address.replace(" ", "")
        matches = {v.code: v for name, v in self.names if name in compact}
        if len(matches) == 1:
            return next(iter(matches.values())), RoutedBy.ADDRESS, None
        return None, RoutedBy.NONE, None
