"""Excel export of the stock ledger (物资台账), written row by row in constant memory.

Counterparties that are private persons or households are masked: an export leaves the
system, and the ledger's purpose (how much went where) needs no names.
"""

from collections.abc import Iterable
from typing import IO

import xlsxwriter
from django.utils import timezone

from bastion.core.masking import mask_name
from bastion.supplies.models import PRIVATE_COUNTERPARTIES, StockMovement

LEDGER_COLUMNS: list[tuple[str, int]] = [
    ("发生时间", 17),
    ("单位", 22),
    ("单位代码", 15),
    ("物资", 14),
    ("类型", 9),
    ("数量", 9),
    ("库存变化", 9),
    ("计量单位", 8),
    ("来源", 9),
    ("对象类别", 10),
    ("对象", 24),
    ("对方单位", 22),
    ("经办人", 12),
    ("备注", 24),
]


def counterparty_for_export(movement: StockMovement) -> str:
    if movement.counterparty_kind in PRIVATE_COUNTERPARTIES:
        return mask_name(movement.counterparty)
    return movement.counterparty


def ledger_write(movements: Iterable[StockMovement], out: IO[bytes], *, title: str) -> int:
    """Write the movements to `out` as an .xlsx workbook; returns the number of rows."""
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet("台账")
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_string(0, 0, title, bold)
    for col, (header, width) in enumerate(LEDGER_COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write_string(1, col, header, bold)
    rows = 0
    for rows, m in enumerate(movements, start=1):
        r = rows + 1
        sheet.write_datetime(r, 0, timezone.localtime(m.occurred_at).replace(tzinfo=None), when)
        sheet.write_string(r, 1, m.unit.name)
        sheet.write_string(r, 2, m.unit_code)
        sheet.write_string(r, 3, m.item.name)
        sheet.write_string(r, 4, str(m.get_kind_display()))
        sheet.write_number(r, 5, m.quantity)
        sheet.write_number(r, 6, m.delta)
        sheet.write_string(r, 7, str(m.item.get_measure_display()))
        sheet.write_string(r, 8, str(m.get_source_display()) if m.source else "")
        kind = str(m.get_counterparty_kind_display()) if m.counterparty_kind else ""
        sheet.write_string(r, 9, kind)
        sheet.write_string(r, 10, counterparty_for_export(m))
        sheet.write_string(r, 11, m.counterparty_unit.name if m.counterparty_unit else "")
        sheet.write_string(r, 12, str(m.actor))
        sheet.write_string(r, 13, m.note)
    workbook.close()
    return rows
