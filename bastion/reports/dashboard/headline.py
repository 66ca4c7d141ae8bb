"""The home page's four key figures (首页要情), today and yesterday, without the whole report.

The home page shows open signals, people under observation, fevers among them and confirmed
cases of the user's home unit. Computing two situation reports for that (every figure of three
sections, per child unit) cost the page most of its time; here each figure is one aggregate
over both days, with the situation report's own definitions (`reports.selectors.sections`).
`test_home_figures_equal_the_report` pins the equality.
"""

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from bastion.core.days import day_bounds
from bastion.observation.models import Case, CheckIn, Observation
from bastion.orgs.models import OrgUnit
from bastion.screening.models import Signal

# The figures computed here; the home page's HOME_KEYS must be among them.
KEYS = ("signals.open", "observation.active", "observation.fevers", "five_early.confirmed")


def _superseded() -> Exists:
    """A check-in that has a correction (as the report's observation section has it)."""
    return Exists(CheckIn.objects.filter(corrects__isnull=False, corrects=OuterRef("pk")))


def _per_day(days: list[date], condition: Any) -> dict[str, Any]:
    """One filtered count per day, named by the day."""
    return {f"d{i}": Count("pk", filter=condition(day)) for i, day in enumerate(days)}


def headline_values(*, unit: OrgUnit, today: date) -> dict[date, dict[str, int]]:
    """{day: {figure: value}} for yesterday and today (the unit scoped by the caller): four
    aggregate queries, whatever the size of the unit."""
    days = [today - timedelta(days=1), today]
    bounds = [day_bounds(d, d) for d in days]
    last_until = bounds[-1][1]
    under = {"unit_code__startswith": unit.scope_prefix}
    values: dict[date, dict[str, int]] = {d: {} for d in days}

    def put(key: str, counts: dict[str, Any]) -> None:
        for i, day in enumerate(days):
            values[day][key] = int(counts[f"d{i}"] or 0)

    # Open at the end of the day: found before it ended, not handled by then.
    put(
        "signals.open",
        Signal.objects.filter(found_at__lt=last_until, **under).aggregate(
            **{
                f"d{i}": Count(
                    "pk",
                    filter=Q(found_at__lt=b) & (Q(handled_at__isnull=True) | Q(handled_at__gte=b)),
                )
                for i, (_a, b) in enumerate(bounds)
            }
        ),
    )
    # Under observation at the end of the day: taken in before it ended, not ended by then.
    put(
        "observation.active",
        Observation.objects.filter(started_at__lt=last_until, **under)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=bounds[0][1]))
        .aggregate(
            **{
                f"d{i}": Count(
                    "pk",
                    filter=Q(started_at__lt=b) & (Q(ended_at__isnull=True) | Q(ended_at__gte=b)),
                )
                for i, (_a, b) in enumerate(bounds)
            }
        ),
    )
    # Fevers among the day's check-ins that no correction superseded.
    put(
        "observation.fevers",
        CheckIn.objects.filter(day__in=days, is_fever=True, **under)
        .filter(~_superseded())
        .aggregate(**_per_day(days, lambda d: Q(day=d))),
    )
    # Confirmed in the day (the report counts the cases referred before its end).
    put(
        "five_early.confirmed",
        Case.objects.filter(confirmed_at__gte=bounds[0][0], confirmed_at__lt=last_until, **under)
        .filter(referred_at__lt=last_until)
        .aggregate(
            **{
                f"d{i}": Count(
                    "pk", filter=Q(confirmed_at__gte=a, confirmed_at__lt=b, referred_at__lt=b)
                )
                for i, (a, b) in enumerate(bounds)
            }
        ),
    )
    return values
