"""Reports API: the daily situation report as JSON (also the federation interface between
cities) and its sign-offs. Figures only, no personal data; scoped like every read."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from bastion.core.errors import ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.schemas import Day, ErrorOut, UnitCode
from bastion.reports import services
from bastion.reports.models import ReportSignOff
from bastion.reports.selectors import MAX_RANGE_DAYS, situation_report
from bastion.reports.selectors.signoffs import changes_since, signoff_list
from bastion.reports.selectors.units import report_unit_get
from bastion.reports.serialise import report_json

router = Router(tags=["reports"])

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut}  # an unreadable body
Value = int | float | None


class FigureOut(Schema):
    key: str = Field(description="“<section>.<name>”")
    label: str
    unit: str
    additive: bool = Field(description="各下级之和等于本级合计")


class SectionOut(Schema):
    key: str
    label: str
    figures: list[FigureOut]


class UnitOut(Schema):
    code: str
    name: str
    level: str


class RowOut(Schema):
    code: str
    name: str
    level: str
    values: dict[str, Value]


class ReportOut(Schema):
    unit: UnitOut
    start: date
    end: date
    sections: list[SectionOut]
    own: RowOut = Field(description="本级合计（整个辖区）")
    children: list[RowOut] = Field(description="每个直接下级一行，无数据为 0")
    direct: RowOut | None = Field(description="记在本级或直属单位上的数据（可加项）")


class ReportFilters(Schema):
    unit: UnitCode
    date: Day
    to: Day | None = None


def _days(start: date, end: date | None) -> tuple[date, date]:
    end = end or start
    if end < start:
        raise ValidationError({"to": ["结束日期不能早于开始日期。"]})
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError({"to": [f"一次最多查询 {MAX_RANGE_DAYS} 天。"]})
    return start, end


@router.get(
    "/reports/daily",
    response={200: ReportOut, **ERRORS},
    summary="The daily situation report of a unit (日报): its totals and one row per child",
)
def report_daily(request: HttpRequest, filters: Query[ReportFilters]) -> Any:
    start, end = _days(filters.date, filters.to)
    unit = report_unit_get(user=request.user, code=filters.unit)
    return report_json(situation_report(unit, start, end))


class SignOffIn(Schema):
    unit: UnitCode
    date: Day
    note: str = Field("", max_length=500, pattern=r"^[^\x00]*$")


class ChangeOut(Schema):
    code: str
    figure: str
    old: Value
    new: Value


class SignOffOut(Schema):
    id: int
    unit: str
    date: date
    signed_by: str
    signed_at: datetime
    note: str
    figures: dict[str, Any] = Field(description="签发时的数据：own 与各行")

    @staticmethod
    def of(s: ReportSignOff) -> "SignOffOut":
        return SignOffOut(
            id=s.pk,
            unit=s.unit_code,
            date=s.day,
            signed_by=str(s.signed_by),
            signed_at=s.signed_at,
            note=s.note,
            figures=s.figures,
        )


class SignOffsOut(Schema):
    items: list[SignOffOut] = Field(description="最新的在前")
    changes: list[ChangeOut] = Field(description="最新一次签发后变化的数据")


class SignOffFilters(Schema):
    unit: UnitCode
    date: Day


@router.post(
    "/reports/signoffs",
    response={201: SignOffOut, **WRITE_ERRORS},
    summary="Sign a unit's report of a day (日报签发); honours Idempotency-Key",
)
def signoff_create(request: HttpRequest, payload: SignOffIn) -> Any:
    def work() -> tuple[int, Any]:
        unit = report_unit_get(user=request.user, code=payload.unit)
        signed = services.signoff_create(
            actor=request.user, unit=unit, day=payload.date, note=payload.note
        )
        return 201, SignOffOut.of(signed)

    return Status(*idempotent(request, work))


@router.get(
    "/reports/signoffs",
    response={200: SignOffsOut, **ERRORS},
    summary="Sign-offs of a unit's day and the changes since the latest",
)
def signoff_index(request: HttpRequest, filters: Query[SignOffFilters]) -> Any:
    unit = report_unit_get(user=request.user, code=filters.unit)
    items = list(signoff_list(unit=unit, day=filters.date))
    changes = []
    if items:
        report = situation_report(unit, filters.date)
        changes = [
            ChangeOut(code=c.code, figure=c.figure.key, old=c.old, new=c.new)
            for c in changes_since(items[0], report)
        ]
    return SignOffsOut(items=[SignOffOut.of(s) for s in items], changes=changes)
