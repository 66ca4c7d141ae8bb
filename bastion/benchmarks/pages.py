"""Figure 6, the pages: a crawl of the logged-in UI as each persona, with the Django test
client (server time: middleware, views, queries and templates; no network), following the
links each page offers, a bounded number of pages per persona. Files (the report's Excel and
PDF, downloads) are not pages and are not timed. Each persona's crawl is run twice and the
second is timed (see `pages_bench`).

`page_stats` is also what the query-count test uses: the number of queries of a page must
not grow with the data.
"""

import re
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bastion.accounts.models import Membership, User
from bastion.accounts.roles import Role
from bastion.benchmarks.measure import Row, percentile
from bastion.core.startup import freeze_loaded
from bastion.orgs.models import OrgUnit
from bastion.people.models import Person

LINK = re.compile(r'href="(/[^"#]*)"')
# Not pages to time: leaving, switching language, files, the admin, the API.
SKIP = re.compile(
    r"logout|/i18n/|/api/|django-admin|/file/|download|\.xlsx|\.csv|\.pdf|/xlsx/|/pdf/|/static/"
)
PER_PATTERN = 2  # /persons/1/ and /persons/2/ are one page; time two of each
PAGE_GOAL_MS = 150.0


@dataclass
class Crawl:
    persona: str
    times: dict[str, float] = field(default_factory=dict)  # path -> seconds
    queries: dict[str, int] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)


def personas() -> dict[str, User]:
    """The crawl's personas on the real tree, placed where the dataset's people are."""
    village_code = (
        Person.objects.values_list("unit_code", flat=True).order_by("pk").first() or "430211003016"
    )
    village = OrgUnit.objects.get(code=village_code)
    township = village.parent or village
    county = township.parent or township
    city = OrgUnit.objects.get(code="430200000000")
    places = {
        "commander": (Role.CITY_COMMAND, city),
        "county_officer": (Role.COUNTY_COMMAND, county),
        "township_officer": (Role.TOWNSHIP_OFFICER, township),
        "village_worker": (Role.VILLAGE_WORKER, village),
        "checkpoint_officer": (Role.CHECKPOINT_OFFICER, county),
        "auditor": (Role.AUDITOR, city),
    }
    users = {}
    for name, (role, unit) in places.items():
        user, _created = User.objects.get_or_create(username=f"bench-{name}")
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        users[name] = user
    return users


def page_stats(client: Client, path: str) -> tuple[int, float, int, str]:
    """(status, seconds, queries, body) of one GET; for a redirect, the body is where to."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        spent = time.perf_counter() - started
    if response.status_code in (301, 302):
        return response.status_code, spent, len(queries), str(response.get("Location", ""))
    body = response.content.decode(errors="replace") if response.status_code == 200 else ""
    return response.status_code, spent, len(queries), body


def _pattern(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("?")[0]) + ("?" if "?" in path else "")


def crawl(name: str, user: User, *, limit: int = 40) -> Crawl:
    client = Client()
    client.force_login(user)
    result = Crawl(name)
    queue, seen, patterns = ["/"], {"/"}, Counter[str]()
    while queue and len(result.times) < limit:
        path = queue.pop(0)
        status, spent, count, body = page_stats(client, path)
        result.statuses[status] += 1
        if status in (301, 302) and body.startswith("/") and body not in seen:
            seen.add(body)
            queue.append(body)
        if status != 200:
            continue
        result.times[path] = spent
        result.queries[path] = count
        for link in LINK.findall(body):
            link = link.replace("&amp;", "&")
            key = _pattern(link)
            if link in seen or SKIP.search(link) or patterns[key] >= PER_PATTERN:
                continue
            seen.add(link)
            patterns[key] += 1
            queue.append(link)
    return result


def pages_bench(*, limit: int = 40) -> list[Row]:
    rows = []
    # As a server worker does once loaded (config/wsgi.py): otherwise a full collection of
    # the whole process lands on some page of the crawl (130-140 ms at tier M).
    freeze_loaded()
    for name, user in personas().items():
        # Twice, the first untimed: a server process that has been up a while has its
        # templates compiled and the pages' database blocks cached; a page type's first
        # visit in a fresh process measures compiling its templates (the first crawled
        # page took 1.25 s that way at tier M).
        crawl(name, user, limit=limit)
        result = crawl(name, user, limit=limit)
        if not result.times:
            rows.append(Row(f"pages as {name}", "not available: no page answered 200"))
            continue
        times = list(result.times.values())
        p95 = percentile(times, 0.95) * 1000
        slowest = max(result.times, key=lambda p: result.times[p])
        rows.append(
            Row(
                figure=f"pages as {name} ({len(times)} pages)",
                measured=f"p95 {p95:.0f} ms (median {percentile(times, 0.5) * 1000:.0f})",
                goal=f"p95 ≤ {PAGE_GOAL_MS:.0f} ms",
                ratio=p95 / PAGE_GOAL_MS,
                note=(
                    f"slowest {_pattern(slowest)} {result.times[slowest] * 1000:.0f} ms, "
                    f"{result.queries[slowest]} queries; most queries "
                    f"{max(result.queries.values())}; statuses {dict(result.statuses)}"
                ),
                limit=30.0,  # the smoke's limit: the dashboard is slow today (docs)
            )
        )
    return rows
