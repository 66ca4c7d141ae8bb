"""An import from end to end: read and check the file, route the rows, plan them against the
registry and, unless dry, write them in one transaction."""

from collections.abc import Callable
from datetime import datetime
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.orgs.models import OrgUnit
from bastion.screening.models import HighRiskArea
from bastion.screening.services.imports.plan import import_plan
from bastion.screening.services.imports.result import (
    IMPORT_LEVELS,
    ImportResult,
    Progress,
    import_year,
)
from bastion.screening.services.imports.route import import_route
from bastion.screening.services.imports.write import import_apply
from bastion.screening.spreadsheets.reading import collector_paused
from bastion.screening.spreadsheets.returnees import ReadResult, returnee_rows_read


def returnees_import(
    *,
    actor: Any,
    unit: OrgUnit,
    read: ReadResult,
    dry_run: bool,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Route and plan the checked rows against the registry and, unless `dry_run`, apply
    them: all accepted rows or none (one transaction). The plan is made before the write
    transaction (so that its progress can be seen); a row written meanwhile by someone else
    trips a unique constraint, and the import is planned again inside the transaction."""
    now = now or timezone.now()
    with collector_paused():  # as for reading: bulk objects, no cycles
        return _import(actor, unit, read, dry_run, now, progress)


def _import(
    actor: Any,
    unit: OrgUnit,
    read: ReadResult,
    dry_run: bool,
    now: datetime,
    progress: Progress | None,
) -> ImportResult:
    result = ImportResult(duplicates=read.duplicates, unchanged=read.duplicates)
    units = import_route(unit, read, result)
    result.rejected = len(read.rejected)
    result.errors = list(read.errors)
    if progress is not None:
        progress("planning", 60)
    plan = import_plan(actor, unit, read.rows, units, result)
    if dry_run:
        return result
    if progress is not None:
        progress("writing", 75)
    try:
        with transaction.atomic():
            import_apply(actor, unit, plan, now)
    except IntegrityError:
        result.created = result.updated = 0
        result.unchanged = read.duplicates
        with transaction.atomic():
            import_apply(actor, unit, import_plan(actor, unit, read.rows, units, result), now)
    return result


def returnees_import_file(
    *,
    actor: Any,
    unit: OrgUnit,
    source: str | IO[bytes],
    dry_run: bool,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read, check and import a file in one call (the command line). Raises UnreadableFile."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    read = returnee_rows_read(
        source,
        year=import_year(unit, today),
        today=today,
        areas=list(HighRiskArea.objects.all()),
        progress=progress,
        # Only a routed import sends rows back to the uploader after reading (unroutable).
        keep_rows=unit.level not in IMPORT_LEVELS,
    )
    return returnees_import(actor=actor, unit=unit, read=read, dry_run=dry_run, now=now)
