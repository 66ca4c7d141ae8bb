"""Figure 3, the daily situation report: every unit of the city for one day, through
`bastion.reports.selectors.situation_report`, beside its floor, one hand-written SQL query
computing the main figures (observation and checkpoint sections) for the city's children.
The report's page (and the dashboard) are timed too when they exist."""

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bastion.benchmarks.measure import Row, ms, percentile
from bastion.orgs.models import OrgUnit

CITY = "430200000000"
REPEATS = 5
# The floor's figures, named as the report's catalogue names them.
FLOOR_FIGURES = (
    "observation.active",
    "observation.new",
    "observation.checkins_done",
    "observation.fevers",
    "checkpoints.vehicles",
    "checkpoints.persons",
    "checkpoints.fevers",
    "checkpoints.turned_back",
)
FLOOR_SQL = """
SELECT substr(unit_code, 1, 6) AS county, 'observation.active', count(*)
  FROM observation_observation
 WHERE unit_code LIKE %(city)s AND start_date <= %(day)s AND planned_end >= %(day)s
   AND (status = 'active' OR (ended_at IS NOT NULL AND ended_at >= %(until)s))
   AND started_at < %(until)s
 GROUP BY 1
UNION ALL
SELECT substr(unit_code, 1, 6), 'observation.new', count(*)
  FROM observation_observation
 WHERE unit_code LIKE %(city)s AND start_date = %(day)s GROUP BY 1
UNION ALL
SELECT substr(unit_code, 1, 6), 'observation.checkins_done', count(*)
  FROM observation_checkin
 WHERE unit_code LIKE %(city)s AND day = %(day)s AND outcome = 'cooperative' GROUP BY 1
UNION ALL
SELECT substr(unit_code, 1, 6), 'observation.fevers', count(*)
  FROM observation_checkin
 WHERE unit_code LIKE %(city)s AND day = %(day)s AND is_fever GROUP BY 1
UNION ALL
SELECT substr(unit_code, 1, 6), 'checkpoints.vehicles', count(*)
  FROM checkpoints_vehiclepassage
 WHERE unit_code LIKE %(city)s AND occurred_at >= %(since)s AND occurred_at < %(until)s
 GROUP BY 1
UNION ALL
SELECT substr(unit_code, 1, 6), 'checkpoints.turned_back', count(*)
  FROM checkpoints_vehiclepassage
 WHERE unit_code LIKE %(city)s AND occurred_at >= %(since)s AND occurred_at < %(until)s
   AND disposition = 'turned_back' GROUP BY 1
UNION ALL
SELECT substr(unit_code, 1, 6), 'checkpoints.persons', count(*)
  FROM checkpoints_passengercheck
 WHERE unit_code LIKE %(city)s AND occurred_at >= %(since)s AND occurred_at < %(until)s
 GROUP BY 1
UNION ALL
SELECT substr(unit_code, 1, 6), 'checkpoints.fevers', count(*)
  FROM checkpoints_passengercheck
 WHERE unit_code LIKE %(city)s AND occurred_at >= %(since)s AND occurred_at < %(until)s
   AND is_fever GROUP BY 1
"""


def report_floor(day: date) -> dict[tuple[str, str], int]:
    """{(county code6, figure): value} for the city's counties, in one query."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(day, clock.min, tzinfo=tz)
    params: dict[str, Any] = {
        "city": CITY[:4] + "%",
        "day": day,
        "since": since,
        "until": since + timedelta(days=1),
    }
    if connection.vendor == "sqlite":  # Django stores naive UTC text there
        for key in ("since", "until"):
            params[key] = timezone.make_naive(params[key], UTC).isoformat(" ")
        params["day"] = day.isoformat()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, params)
        return {(code, figure): int(n) for code, figure, n in cursor.fetchall()}


def _best(fn: Any, repeats: int = REPEATS) -> tuple[Any, list[float]]:
    spent, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        spent.append(time.perf_counter() - started)
    return result, spent


def _compare(report: Any, floor: dict[tuple[str, str], int]) -> str:
    """How many of the floor's figures the report matches, child by child."""
    same = differ = 0
    for row in report.children:
        for figure in FLOOR_FIGURES:
            if figure not in row.values:
                continue
            mine = floor.get((row.code[:6], figure), 0)
            if row.values[figure] == mine:
                same += 1
            else:
                differ += 1
    return f"{same} figures equal to the floor's, {differ} differ"


def report_bench(user: Any, day: date, *, repeats: int = REPEATS) -> list[Row]:
    try:
        from bastion.reports.selectors import situation_report
    except ImportError as e:
        return [Row("situation report", f"not available: {e}")]
    city = OrgUnit.objects.get(code=CITY)
    report, spent = _best(lambda: situation_report(city, day), repeats)
    floor, floor_spent = _best(lambda: report_floor(day), repeats)
    median, floor_median = percentile(spent, 0.5), percentile(floor_spent, 0.5)
    rows = [
        Row(
            figure=f"situation report, city + {len(report.children)} children, one day",
            measured=ms(median),
            floor=ms(floor_median),
            ratio=median / floor_median,
            goal="≤ 1 s (PostgreSQL), ≤ 1.5× floor",
            # The first run may roll up the day's closed facts (decision 0006): shown apart.
            note=(
                f"median of {repeats} (first {spent[0] * 1000:.0f} ms); "
                f"{_compare(report, floor)} (the floor has 8 figures)"
            ),
            limit=15.0,
        )
    ]
    client = Client()
    client.force_login(user)
    for label, name in (("report page", "reports:unit"), ("dashboard page", "dashboard:unit")):
        try:
            url = reverse(name, kwargs={"code": CITY})
        except NoReverseMatch:
            rows.append(Row(f"{label} (city)", f"not available: no URL named {name}"))
            continue
        query = f"?date={day.isoformat()}" if name.startswith("reports") else ""
        responses, page_spent = _best(lambda u=url + query: client.get(u), repeats)
        status = responses.status_code
        page = percentile(page_spent, 0.5)
        rows.append(
            Row(
                figure=f"{label} (city, one day)",
                measured=ms(page),
                floor=ms(floor_median),
                ratio=page / floor_median,
                goal="≤ 150 ms server time",
                note=f"HTTP {status}; floor = the report's SQL floor",
            )
        )
    return rows
