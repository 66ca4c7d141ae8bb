"""Field types, error answers and the period query shared by the Party API modules."""

from datetime import date
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema

from bastion.core.errors import ValidationError
from bastion.core.schemas import MAX_ID, Day, ErrorOut, UnitCode

Text = r"^[^\x00-\x1f\x7f]*$"
LongText = r"^[^\x00]*$"
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# 400: a body that is not JSON (or not a form) cannot be parsed at all.
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_DAYS = 92


class PeriodQuery(Schema):
    unit: UnitCode
    start: Day | None = None
    end: Day | None = None


def period(q: PeriodQuery) -> tuple[date, date]:
    start = q.start or timezone.localdate()
    end = q.end or start
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    if (end - start).days >= MAX_DAYS:
        raise ValidationError({"end": f"期间不超过 {MAX_DAYS} 天。"})
    return start, end
