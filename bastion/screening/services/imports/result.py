"""What an import did, the units it may go into, and the year of dates written without one."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.screening.models import Sweep
from bastion.screening.spreadsheets.reading import CellError

BATCH = 2000
IMPORT_LEVELS = (Level.VILLAGE, Level.GRID)
# Above the village an import is routed row by row, like a verification list.
ROUTING_LEVELS = (Level.TOWNSHIP, Level.COUNTY)
Progress = Callable[[str, int], None]  # (stage, percent of the whole job)


@dataclass
class ImportResult:
    """What an import did (or, dry, would do): the contract's counts and errors."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    unrouted: int = 0
    routed: dict[str, int] = field(default_factory=dict)  # unit code -> rows
    errors: list[CellError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The contract of `bastion import-screening --json`."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [e.as_dict() for e in self.errors],
        }

    def as_job(self) -> dict[str, Any]:
        """What a job keeps: the contract, plus duplicates and where rows were routed."""
        return self.as_json() | {
            "duplicates": self.duplicates,
            "unrouted": self.unrouted,
            "routed": self.routed,
        }


def import_unit_check(actor: Any, unit: OrgUnit | None) -> OrgUnit:
    """The unit rows are imported into: a village or grid, or a township or county whose rows
    are routed to their villages (of the actor's jurisdiction; the command line, without an
    actor, may import anywhere)."""
    if unit is None or (
        actor is not None and not code_in_scope(actor, unit.code, Capability.RECORD_SCREENING)
    ):
        raise ValidationError({"unit": "请选择您辖区内的区县、乡镇（街道）、村（社区）或网格。"})
    if unit.kind != Kind.TERRITORIAL or unit.level not in (*IMPORT_LEVELS, *ROUTING_LEVELS):
        raise ValidationError({"unit": "导入单元必须是区县、乡镇（街道）、村（社区）或网格。"})
    return unit


def import_year(unit: OrgUnit, today: date) -> int:
    """The year for dates written without one (1月25日): the latest sweep over the unit's."""
    prefixes = [unit.code[:i] for i in range(2, len(unit.code) + 1)]
    sweep = Sweep.objects.filter(scope_prefix__in=prefixes, starts_on__lte=today).first()
    return sweep.starts_on.year if sweep else today.year
