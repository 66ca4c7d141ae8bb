"""The home page's four figures (`dashboard.headline`) are the situation report's, today and
yesterday, at every level of the tree, in four queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bastion.observation.models import CheckIn, Observation
from bastion.reports.dashboard.headline import KEYS, headline_values
from bastion.reports.dashboard.home import headline_for
from bastion.reports.dashboard.selectors import HOME_KEYS, headline_figures
from bastion.reports.tests import facts
from bastion.testing import Personas, Tree


def observe(village, started, *, ended=None, status="active") -> Observation:
    return Observation.objects.create(
        person=facts.person(village),
        unit=village,
        unit_code=village.code,
        policy=facts.policy(),
        kind="home",
        start_date=started.date(),
        planned_end=started.date() + timedelta(days=13),
        status=status,
        started_at=started,
        ended_at=ended,
    )


@pytest.fixture
def scene(tree: Tree) -> None:
    """Signals, observations, fevers (one corrected away) and cases over yesterday and today,
    in two counties."""
    t = timezone.localdate()
    y = t - timedelta(days=1)
    before = t - timedelta(days=5)
    for village in (tree.yuetang, tree.liyujuwei, tree.wenhualu):
        facts.signal(village, facts.at(before))
        facts.signal(village, facts.at(y), handled=facts.at(y, "12:00"))
        facts.signal(village, facts.at(y, "08:00"), handled=facts.at(t, "00:30"))
        obs = observe(village, facts.at(before))
        observe(village, facts.at(before), ended=facts.at(y, "18:00"), status="completed")
        observe(village, facts.at(t, "00:10"))
        fever = facts.checkin(obs, y, fever=True)
        facts.checkin(obs, t, fever=True)
        facts.checkin(obs, t, slot="evening")
        # a correction: yesterday's fever was a misreading
        correction = facts.checkin(obs, y, slot="morning")
        CheckIn.objects.filter(pk=correction.pk).update(corrects=fever)
        facts.case(obs, facts.at(before), confirmed_at=facts.at(y, "15:00"))
    facts.case(observe(tree.yuetang, facts.at(y)), facts.at(y), confirmed_at=facts.at(t, "01:00"))


@pytest.mark.usefixtures("scene")
@pytest.mark.parametrize("level", ["city", "tianyuan", "liyu", "yuetang"])
def test_home_figures_equal_the_report(tree: Tree, level: str) -> None:
    unit = getattr(tree, level)
    t = timezone.localdate()
    values = headline_values(unit=unit, today=t)
    figures = headline_figures(unit=unit, today=t, keys=KEYS)
    assert {f.key: f.today for f in figures} == values[t]
    assert {f.key: f.yesterday for f in figures} == values[t - timedelta(days=1)]
    assert set(HOME_KEYS) <= set(KEYS)


@pytest.mark.usefixtures("scene")
def test_the_home_headline_takes_four_queries_and_the_same_figures(
    tree: Tree, personas: Personas, django_assert_max_num_queries
) -> None:
    t = timezone.localdate()
    expected = headline_figures(unit=tree.city, today=t, keys=HOME_KEYS)
    with django_assert_max_num_queries(4 + 4):  # the four figures, the user's units and roles
        headline = headline_for(personas.commander)
    assert headline is not None
    assert [(f.key, f.today, f.yesterday) for f, _url in headline.figures] == [
        (f.key, f.today, f.yesterday) for f in expected
    ]
    assert any(f.today for f, _url in headline.figures)
