"""Writes for the returnee list import (导入): plan a file against the registry, apply it in
one transaction. The import jobs that run both in the background are `services.import_jobs`.

Re-importing the same file changes nothing; a corrected file updates, never duplicates: a
person is found by ID number (anywhere) or by name and phone (in the unit), a household by
its address in the unit, a travel record by person and arrival day.

result: the counts and the units an import may go into; route: rows above the village to
their villages; lookups: what the registry holds, in bulk; plan: what is new or changed;
write: the bulk write and the signals; flow: the whole import.
"""

from bastion.screening.services.imports.flow import returnees_import, returnees_import_file
from bastion.screening.services.imports.result import (
    BATCH,
    IMPORT_LEVELS,
    ROUTING_LEVELS,
    ImportResult,
    Progress,
    import_unit_check,
    import_year,
)
from bastion.screening.services.imports.route import UNROUTED, import_route

__all__ = [
    "BATCH",
    "IMPORT_LEVELS",
    "ROUTING_LEVELS",
    "UNROUTED",
    "ImportResult",
    "Progress",
    "import_route",
    "import_unit_check",
    "import_year",
    "returnees_import",
    "returnees_import_file",
]
