"""Local dates of timestamps (`core.days.LocalDate`): the same days as TruncDate in the local
zone, on both databases, with the cheap fixed offset on PostgreSQL only where it is exact."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.models.functions import TruncDate
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.accounts.models import User
from bastion.core.days import LocalDate, fixed_offset
from bastion.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

START, END = date(2020, 1, 20), date(2020, 2, 20)


def _stamped(user: User, moments: list[datetime]) -> None:
    for i, moment in enumerate(moments):
        record = IdempotencyRecord.objects.create(
            user=user, key=f"k{i}", method="POST", path="/", request_hash="", status=201, body={}
        )
        IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=moment)


def _dates(expression: object) -> dict[int, date]:
    rows = IdempotencyRecord.objects.annotate(d=expression).values_list("pk", "d")
    return dict(rows)


def test_days_either_side_of_local_midnight() -> None:
    user = User.objects.create(username="days")
    # 15:59:59 and 16:00:00 UTC are 23:59:59 and 00:00:00 in Zhuzhou.
    moments = [
        datetime(2020, 1, 31, 15, 59, 59, tzinfo=UTC),
        datetime(2020, 1, 31, 16, 0, 0, tzinfo=UTC),
        datetime(2020, 2, 1, 0, 0, 0, tzinfo=UTC),
    ]
    _stamped(user, moments)
    found = _dates(LocalDate("created_at", start=START, end=END))
    assert sorted(found.values()) == [date(2020, 1, 31), date(2020, 2, 1), date(2020, 2, 1)]
    tz = timezone.get_current_timezone()
    assert found == _dates(TruncDate("created_at", tzinfo=tz))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=31 * 86400 - 1), min_size=1, max_size=8))
def test_same_days_as_the_named_zone(seconds: list[int]) -> None:
    IdempotencyRecord.objects.all().delete()
    user, _ = User.objects.get_or_create(username="days-h")
    origin = datetime(2020, 1, 20, tzinfo=UTC)
    _stamped(user, [origin + timedelta(seconds=s) for s in seconds])
    tz = timezone.get_current_timezone()
    assert _dates(LocalDate("created_at", start=START, end=END)) == _dates(
        TruncDate("created_at", tzinfo=tz)
    )


def test_fixed_offset_only_where_the_zone_keeps_one() -> None:
    assert fixed_offset(START, END) == timedelta(hours=8)
    with timezone.override("Europe/Berlin"):
        # Summer time began on 29 March 2020.
        assert fixed_offset(date(2020, 3, 1), date(2020, 4, 1)) is None
        assert fixed_offset(date(2020, 1, 1), date(2020, 3, 1)) == timedelta(hours=1)


def test_across_a_change_of_offset_the_zone_rules_decide() -> None:
    user = User.objects.create(username="days-dst")
    with timezone.override("Europe/Berlin"):
        # 23:30 UTC is 00:30 the next day in winter, 01:30 in summer.
        _stamped(
            user,
            [
                datetime(2020, 3, 20, 23, 30, tzinfo=UTC),
                datetime(2020, 4, 1, 22, 30, tzinfo=UTC),
            ],
        )
        expression = LocalDate("created_at", start=date(2020, 3, 1), end=date(2020, 4, 5))
        with CaptureQueriesContext(connection) as queries:
            found = _dates(expression)
        assert sorted(found.values()) == [date(2020, 3, 21), date(2020, 4, 2)]
        assert "::interval" not in queries.captured_queries[0]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fixed offset is PostgreSQL's")
def test_postgresql_groups_by_the_fixed_offset() -> None:
    with CaptureQueriesContext(connection) as queries:
        _dates(LocalDate("created_at", start=START, end=END))
    sql = queries.captured_queries[0]["sql"]
    assert "AT TIME ZONE '+08:00'::interval" in sql
    assert "Asia/Shanghai" not in sql
