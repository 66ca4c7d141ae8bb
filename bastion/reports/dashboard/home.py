"""The dashboard's headline on the officer's home page (首页要情).

The home page (bastion.core) includes `reports/dashboard/_headline.html` with the context
`{"headline": headline_for(request.user)}`; None for users who may not see reports.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.urls import reverse

from bastion.accounts.jurisdiction import has_capability
from bastion.orgs.models import OrgUnit
from bastion.orgs.selectors import home_unit
from bastion.reports.catalogue import FIGURES
from bastion.reports.dashboard import links
from bastion.reports.dashboard.common import VIEW, today_of
from bastion.reports.dashboard.headline import headline_values
from bastion.reports.dashboard.selectors import HOME_KEYS, Figure


@dataclass
class Headline:
    unit: OrgUnit
    figures: list[tuple[Figure, str | None]]
    url: str


def headline_for(user: Any) -> Headline | None:
    """Today's key figures of the user's home unit against yesterday's, each with the list
    behind it, and the way to the full dashboard. Four aggregate queries (`headline`), not two
    situation reports."""
    if not has_capability(user, VIEW):
        return None
    unit = home_unit(user=user, capability=VIEW)
    if unit is None:
        return None
    today = today_of(None)
    values = headline_values(unit=unit, today=today)
    yesterday = today - timedelta(days=1)
    figures = [
        Figure(
            key=key,
            label=str(FIGURES[key].label),
            unit=str(FIGURES[key].unit),
            today=values[today][key],
            yesterday=values[yesterday][key],
        )
        for key in HOME_KEYS
    ]
    return Headline(
        unit=unit,
        figures=[(f, links.link(user, f.key, unit.code, start=today)) for f in figures],
        url=reverse("dashboard:unit", args=[unit.code]),
    )
