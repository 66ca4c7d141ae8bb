"""Scoped reads of verification lists (核查名单): the lists an uploader pushed down, the rows
a village must verify, and the progress per village."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.orgs.models import OrgUnit
from bastion.screening.models import RowStatus, VerificationList, VerificationRow


def vlist_list(*, user: Any) -> QuerySet[VerificationList]:
    return scoped(
        user, VerificationList.objects.select_related("unit"), Capability.VIEW_SCREENING
    ).annotate(n_rows=Count("rows"))


def vlist_get(*, user: Any, vlist_id: int) -> VerificationList:
    return get_scoped_or_404(
        user,
        VerificationList.objects.select_related("unit"),
        Capability.VIEW_SCREENING,
        pk=vlist_id,
    )


def vrow_list(
    *,
    user: Any,
    vlist: VerificationList | None = None,
    status: str | None = None,
    unrouted: bool = False,
    capability: Capability = Capability.VIEW_SCREENING,
) -> QuerySet[VerificationRow]:
    """Rows the user may see: a village its own, the uploader all of the list's."""
    qs = scoped(
        user,
        VerificationRow.objects.select_related("vlist", "unit", "verified_by"),
        capability,
    )
    if vlist is not None:
        qs = qs.filter(vlist=vlist)
    if status in RowStatus.values:
        qs = qs.filter(status=status)
    if unrouted:
        qs = qs.filter(unit__isnull=True)
    return qs.order_by("status", "vlist_id", "sheet", "row_number")


def vrow_get(
    *, user: Any, row_id: int, capability: Capability = Capability.VIEW_SCREENING
) -> VerificationRow:
    return get_scoped_or_404(
        user,
        VerificationRow.objects.select_related("vlist__unit", "unit", "signal"),
        capability,
        pk=row_id,
    )


@dataclass
class Progress:
    """How far one village got with its rows (核查进度)."""

    unit: OrgUnit | None
    total: int = 0
    pending: int = 0
    found_correct: int = 0
    found_corrected: int = 0
    not_here: int = 0
    unreachable: int = 0

    @property
    def done(self) -> int:
        return self.total - self.pending

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def vlist_progress(*, user: Any, vlist: VerificationList) -> tuple[Progress, list[Progress]]:
    """Progress of the list in total and per routed unit; unrouted rows come as a row with
    no unit. One grouped query."""
    rows = (
        scoped(user, VerificationRow.objects.filter(vlist=vlist), Capability.VIEW_SCREENING)
        .values("unit_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_unit: dict[int | None, Progress] = {}
    total = Progress(unit=vlist.unit)
    for row in rows:
        progress = per_unit.setdefault(row["unit_id"], Progress(unit=None))
        for p in (progress, total):
            p.total += row["n"]
            setattr(p, row["status"], getattr(p, row["status"]) + row["n"])
    units = OrgUnit.objects.in_bulk([k for k in per_unit if k is not None])
    for unit_id, progress in per_unit.items():
        progress.unit = units.get(unit_id) if unit_id is not None else None
    ordered = sorted(
        per_unit.values(),
        key=lambda p: (p.unit is not None, p.percent, p.unit.code if p.unit else ""),
    )
    return total, ordered


def vlist_for_export(*, user: Any, vlist: VerificationList) -> QuerySet[VerificationRow]:
    """The rows of the list to send back up, in the list's own order."""
    if not vlist.pk:
        raise Http404("未找到")
    return (
        scoped(user, VerificationRow.objects.filter(vlist=vlist), Capability.VIEW_SCREENING)
        .select_related("unit")
        .order_by("sheet", "row_number")
    )
