"""The dashboard's figures against the hand-built scene (see test_dashboard_facts)."""

from datetime import timedelta

import pytest

from bastion.orgs.selectors import home_unit
from bastion.reports.dashboard.attention import attention
from bastion.reports.dashboard.common import VIEW, children_of
from bastion.reports.dashboard.selectors import dashboard_get
from bastion.reports.dashboard.trends import MIN_PERIOD_DAYS, period_start, trends
from bastion.reports.selectors import situation_report
from bastion.reports.tests import test_dashboard_facts as given
from bastion.reports.tests.test_dashboard_facts import early, today
from bastion.screening.models import Signal

facts, scene = given.facts, given.scene  # the fixtures


def test_headline_compares_today_with_yesterday(scene, personas):
    # given the scene, as the county officer
    # when
    board = dashboard_get(user=personas.county_officer, unit=scene.tree.tianyuan)
    # then
    figures = {f.key: f for f in board.headline}
    assert (figures["signals.found"].today, figures["signals.found"].yesterday) == (3, 1)
    assert (figures["observation.active"].today, figures["observation.active"].yesterday) == (3, 3)
    assert figures["observation.fevers"].today == 1
    assert (figures["checkpoints.vehicles"].today, figures["checkpoints.vehicles"].yesterday) == (
        2,
        1,
    )
    assert figures["checkpoints.persons"].today == 3
    assert figures["checkpoints.fevers"].today == 1
    assert figures["signals.found"].trend == "up"
    assert figures["signals.found"].tone == "bad"
    assert figures["signals.found"].shown_delta == "2"


def test_headline_is_the_situation_report(scene, personas):
    board = dashboard_get(user=personas.county_officer, unit=scene.tree.liyu)
    report = situation_report(scene.tree.liyu, today())
    yesterday = situation_report(scene.tree.liyu, today() - timedelta(days=1))
    for figure in board.headline:
        assert figure.today == report.value(figure.key), figure.key
        assert figure.yesterday == yesterday.value(figure.key), figure.key


def test_other_county_facts_never_count(scene, personas):
    board = dashboard_get(user=personas.county_officer, unit=scene.tree.tianyuan)
    assert board.trends.series["signals.found"].last == 3
    assert board.trends.series["observation.active"].last == 3


def test_ranking_puts_the_unit_with_most_to_do_first(scene, personas):
    # when the township officer looks at 栗雨街道
    rows = attention(
        user=personas.township_officer,
        unit=scene.tree.liyu,
        children=children_of(user=personas.township_officer, unit=scene.tree.liyu),
    )
    # then 月塘 (2 open alerts, 1 missed, 1 hand-over) before 栗雨居委会 (an overdue site, low
    # masks) before the checkpoint (one shift short)
    assert [r.unit.code for r in rows] == [
        scene.tree.yuetang.code,
        scene.tree.liyujuwei.code,
        scene.checkpoint.unit_code,
    ]
    yuetang, liyujuwei, checkpoint = (r.values for r in rows)
    assert yuetang == {
        "alerts_open": 2,
        "missed": 1,
        "handovers": 1,
        "transfers": 0,
        "staffing": 0,
        "disinfection": 0,
        "low_stock": 0,
    }
    assert (liyujuwei["disinfection"], liyujuwei["low_stock"], sum(liyujuwei.values())) == (1, 1, 2)
    assert (checkpoint["staffing"], sum(checkpoint.values())) == (1, 1)


def test_ranking_rolls_villages_up_into_their_township_and_keeps_zero_rows(scene, personas):
    rows = attention(
        user=personas.county_officer,
        unit=scene.tree.tianyuan,
        children=children_of(user=personas.county_officer, unit=scene.tree.tianyuan),
    )
    assert [(r.unit.code, r.score) for r in rows] == [
        (scene.tree.liyu.code, 7),
        (scene.songshan.code, 0),
    ]


def test_a_run_takes_the_site_off_the_overdue_count(scene, personas, facts):
    facts.run(scene.site, early(today()))
    rows = attention(
        user=personas.township_officer,
        unit=scene.tree.liyu,
        children=children_of(user=personas.township_officer, unit=scene.tree.liyu),
    )
    by_code = {r.unit.code: r.values for r in rows}
    assert by_code[scene.tree.liyujuwei.code]["disinfection"] == 0


def test_trends_are_zero_filled_over_the_period(scene, personas):
    user, unit = personas.county_officer, scene.tree.tianyuan
    start = period_start(user=user, unit=unit, today=today())
    result = trends(user=user, unit=unit, start=start, end=today())
    # The first facts are 6 days old: the period is the shortest one, every day present.
    assert len(result.days) == MIN_PERIOD_DAYS
    assert result.days[-1] == today()
    for series in result.series.values():
        assert len(series.values) == MIN_PERIOD_DAYS
    signals = result.series["signals.found"].values
    assert signals[:-2] == [0] * (MIN_PERIOD_DAYS - 2)
    assert signals[-2:] == [1, 3]
    assert result.series["checkpoints.vehicles"].values[-2:] == [1, 2]
    assert result.series["checkpoints.persons"].values[-2:] == [1, 3]
    assert result.series["observation.fevers"].values[-1] == 1
    assert result.series["checkpoints.fevers"].values[-1] == 1


@pytest.mark.parametrize("days_back", [8, 3])
def test_active_observations_per_day_agree_with_the_daily_report(scene, personas, days_back):
    # 8 days back: every observation starts inside the period; 3: they started before it
    unit = scene.tree.liyu
    start = today() - timedelta(days=days_back)
    result = trends(user=personas.township_officer, unit=unit, start=start, end=today())
    expected = [situation_report(unit, day).value("observation.active") for day in result.days]
    assert result.series["observation.active"].values == expected
    assert expected[-3:] == [4, 3, 3]
    if days_back == 8:
        assert expected[:2] == [0, 0]


def test_period_reaches_back_to_the_first_fact(scene, personas, facts):
    facts.signal(scene.tree.yuetang, early(today() - timedelta(days=40)))
    start = period_start(user=personas.county_officer, unit=scene.tree.tianyuan, today=today())
    assert start == today() - timedelta(days=40)


def test_home_unit_is_the_highest_unit_with_reports(personas, tree):
    assert home_unit(user=personas.county_officer, capability=VIEW) == tree.tianyuan
    assert home_unit(user=personas.auditor, capability=VIEW) == tree.city
    assert home_unit(user=personas.outsider, capability=VIEW) == tree.wenhualu


def test_transfers_and_hand_overs_wait_until_taken_up(scene, personas, facts):
    # given an observation moved into 栗雨居委会, not yet accepted, and 月塘's hand-over taken up
    facts.observation(scene.tree.liyujuwei, early(today()), status="moved")
    Signal.objects.filter(source="checkpoint").update(status="under_observation")
    # when
    rows = attention(
        user=personas.township_officer,
        unit=scene.tree.liyu,
        children=children_of(user=personas.township_officer, unit=scene.tree.liyu),
    )
    # then
    by_code = {r.unit.code: r.values for r in rows}
    assert by_code[scene.tree.liyujuwei.code]["transfers"] == 1
    assert by_code[scene.tree.yuetang.code]["handovers"] == 0
