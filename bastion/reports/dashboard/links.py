"""Where each figure of the dashboard leads: the list page behind it, filtered by unit (and by
day where the page takes one). A link is offered only when the user may open that page for
that unit; the page itself masks personal data per role, as it always does.

Checking a capability reads the memberships loaded once per request: no query per link.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability

C = Capability


@dataclass(frozen=True)
class Target:
    url_name: str
    needs: tuple[C, ...]
    query: tuple[tuple[str, str], ...] = ()
    code_in_path: bool = False
    by_day: tuple[str, str] | None = None  # the page's (from, to) parameters


_SIGNALS = Target("screening:inbox", (C.VIEW_SIGNALS,), (("status", "open"),))
_OBSERVATIONS = Target("observation:list", (C.VIEW_OBSERVATIONS,), (("status", "active"),))
_ALERTS = (C.VIEW_OBSERVATIONS, C.MANAGE_OBSERVATIONS)
_FIVE_EARLY = Target("observation:unit", (C.VIEW_OBSERVATIONS,), code_in_path=True)
_CHECKPOINTS = Target(
    "checkpoints:report",
    (C.VIEW_CHECKPOINTS, C.VIEW_UNITS),
    code_in_path=True,
    by_day=("from", "to"),
)
_SITES = Target("community:site_list", (C.VIEW_SITES,))

TARGETS: dict[str, Target] = {
    "signals.found": _SIGNALS,
    "signals.handled": Target("screening:inbox", (C.VIEW_SIGNALS,), (("status", "closed"),)),
    "signals.to_observation": Target(
        "screening:inbox", (C.VIEW_SIGNALS,), (("status", "under_observation"),)
    ),
    "signals.open": _SIGNALS,
    "observation.new": _OBSERVATIONS,
    "observation.active": _OBSERVATIONS,
    "observation.fevers": Target("observation:alerts", _ALERTS, (("kind", "fever"),)),
    "observation.checkins_missed": Target("observation:alerts", _ALERTS, (("kind", "missed"),)),
    "five_early.referred": _FIVE_EARLY,
    "five_early.suspected": _FIVE_EARLY,
    "five_early.confirmed": _FIVE_EARLY,
    # The latencies: the observation unit page's five-early table, for the same days.
    "five_early.latencies": Target(
        "observation:unit",
        (C.VIEW_OBSERVATIONS,),
        code_in_path=True,
        by_day=("date_from", "date_to"),
    ),
    "checkpoints.vehicles": _CHECKPOINTS,
    "checkpoints.persons": _CHECKPOINTS,
    "checkpoints.fevers": _CHECKPOINTS,
    "disinfection.rate": _SITES,
    "risk.no_case": Target("orgs:detail", (C.VIEW_UNITS,), code_in_path=True),
    "risk.case_or_outbreak": Target("orgs:detail", (C.VIEW_UNITS,), code_in_path=True),
    "risk.transmission": Target("orgs:detail", (C.VIEW_UNITS,), code_in_path=True),
    # The attention measures of the ranking.
    "alerts_open": Target("observation:alerts", _ALERTS, (("status", "open"),)),
    "missed": Target("observation:alerts", _ALERTS, (("kind", "missed"),)),
    "handovers": _SIGNALS,
    "transfers": Target("observation:list", (C.VIEW_OBSERVATIONS,), (("status", "moved"),)),
    "staffing": Target("checkpoints:report", (C.VIEW_CHECKPOINTS, C.VIEW_UNITS), code_in_path=True),
    "disinfection": Target("community:site_list", (C.VIEW_SITES,), (("overdue", "1"),)),
    "low_stock": Target("supplies:stock", (C.VIEW_SUPPLIES,), (("all", "1"),), code_in_path=True),
}


def link(
    user: Any, key: str, code: str, *, start: date | None = None, end: date | None = None
) -> str | None:
    """The list behind figure `key` of unit `code`, or None when there is none for the user."""
    target = TARGETS.get(key)
    if target is None or not all(code_in_scope(user, code, cap) for cap in target.needs):
        return None
    if target.code_in_path:
        url = reverse(target.url_name, args=[code])
        params: list[tuple[str, str]] = []
    else:
        url = reverse(target.url_name)
        params = [("unit", code)]
    params.extend(target.query)
    if target.by_day and start is not None:
        params += [
            (target.by_day[0], start.isoformat()),
            (target.by_day[1], (end or start).isoformat()),
        ]
    return f"{url}?{urlencode(params)}" if params else url
