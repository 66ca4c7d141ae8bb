"""An import above the village (乡镇、区县): each row goes to the village of its ID number,
phone or address (`services.routing`); a row that goes nowhere stays with the uploader."""

from bastion.orgs.models import OrgUnit
from bastion.screening.services.imports.result import IMPORT_LEVELS, ImportResult
from bastion.screening.services.routing import UnitRouter
from bastion.screening.spreadsheets.reading import CellError
from bastion.screening.spreadsheets.returnees import ImportRow, ReadResult

UNROUTED = "未能分派到村（社区）：身份证号、手机号都不在本辖区登记，住址中也没有村（社区）名称。"


def import_route(unit: OrgUnit, read: ReadResult, result: ImportResult) -> list[OrgUnit]:
    """The unit of every accepted row. At village or grid level, the import's own; above,
    the village of the row's ID number, phone or address (services.routing). A row that
    routes nowhere stays with the uploader: it is taken out of `read.rows` and listed among
    the rejected rows with the reason, so the preview and the download both show it."""
    if unit.level in IMPORT_LEVELS:
        return [unit] * len(read.rows)
    router = UnitRouter(unit, (r.id_number or "" for r in read.rows), (r.mobile for r in read.rows))
    kept: list[ImportRow] = []
    units: list[OrgUnit] = []
    for row in read.rows:
        target, _how, _person = router.route(
            id_number=row.id_number or "", mobile=row.mobile, address=row.address
        )
        if target is None or target.level not in IMPORT_LEVELS:
            error = CellError(row.sheet, row.row, row.address_column, UNROUTED)
            if row.origin is not None:
                read.rejected.append((row.origin, [error]))
            read.errors.append(error)
            result.unrouted += 1
            continue
        kept.append(row)
        units.append(target)
        result.routed[target.code] = result.routed.get(target.code, 0) + 1
    read.rows = kept
    # The file's order: by sheet as the file has them, then row.
    order = {r.sheet: i for i, r in enumerate(reversed(kept))}
    read.rejected.sort(key=lambda r: (order.get(r[0].sheet, 0), r[0].row))
    read.errors.sort(key=lambda e: (order.get(e.sheet, 0), e.row))
    return units
