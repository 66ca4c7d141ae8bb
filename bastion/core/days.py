"""Local calendar days as time bounds: a day is the Asia/Shanghai day (TIME_ZONE), and facts
stamped with a time are compared with aware bounds so that their indexes stay usable."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def midnight(day: date) -> datetime:
    """00:00 of `day`, local time."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end + 1 day 00:00) in local time."""
    return midnight(start), midnight(end + timedelta(days=1))
