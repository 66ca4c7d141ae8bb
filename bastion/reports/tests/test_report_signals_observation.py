"""The signals and observation sections, against hand-computed facts at every level."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from bastion.observation.models import Observation, Policy
from bastion.reports.selectors import situation_report
from bastion.reports.tests import facts
from bastion.reports.tests.facts import DAY, at
from bastion.testing import Tree

NEXT = DAY + timedelta(days=1)
PREV = DAY - timedelta(days=1)


def test_signals_per_child_and_totals(tree: Tree) -> None:
    # given: 月塘 found 2 today (one handled after 90 minutes), 1 yesterday still open;
    # 栗雨居委会 found 1 today (handled after 30 minutes); a grid of 月塘 found 1 today
    g1 = facts.grid(tree.yuetang)
    facts.signal(tree.yuetang, at(DAY, "08:00"), at(DAY, "09:30"))
    facts.signal(tree.yuetang, at(DAY, "10:00"))
    facts.signal(tree.yuetang, at(PREV, "10:00"))
    facts.signal(tree.liyujuwei, at(DAY, "08:00"), at(DAY, "08:30"), status="cleared")
    facts.signal(g1, at(DAY, "11:00"))
    # and one in the other county that must never count
    facts.signal(tree.wenhualu, at(DAY, "08:00"))

    # when
    township = situation_report(tree.liyu, DAY)

    # then
    assert township.value("signals.found") == 4
    assert township.value("signals.found", code=tree.yuetang.code) == 3
    assert township.value("signals.found", code=tree.liyujuwei.code) == 1
    assert township.value("signals.handled") == 2
    assert township.value("signals.to_observation", code=tree.yuetang.code) == 1
    assert township.value("signals.to_observation", code=tree.liyujuwei.code) == 0
    assert township.value("signals.open", code=tree.yuetang.code) == 3
    assert township.value("signals.handling_median") == 1.0
    assert township.value("signals.handling_median", code=tree.yuetang.code) == 1.5
    assert township.direct is None

    village = situation_report(tree.yuetang, DAY)
    assert [r.code for r in village.children] == [g1.code]
    assert village.value("signals.found", code=g1.code) == 1
    # the village's own facts are shown as its direct row, so the rows add up
    assert village.direct is not None
    assert village.direct.values["signals.found"] == 2
    assert village.direct.values["signals.handling_median"] is None

    city = situation_report(tree.city, DAY)
    assert city.value("signals.found") == 5
    assert city.value("signals.found", code=tree.tianyuan.code) == 4
    assert city.value("signals.found", code=tree.hetang.code) == 1


def test_additive_figures_of_the_children_add_up_to_the_parent(tree: Tree) -> None:
    facts.signal(tree.yuetang, at(DAY, "08:00"), at(DAY, "09:30"))
    facts.signal(tree.liyujuwei, at(DAY, "08:00"))
    facts.observation(tree.yuetang, at(DAY, "08:00"))
    facts.observation(tree.liyujuwei, at(PREV, "08:00"), kind="centralised")
    for unit in (tree.city, tree.tianyuan, tree.liyu):
        report = situation_report(unit, DAY)
        for section in report.sections:
            for figure in section.figures:
                if figure.additive:
                    total = sum(r.values[figure.key] or 0 for r in report.rows)
                    assert total == report.value(figure.key), (unit.name, figure.key)


def test_units_without_activity_report_zero(tree: Tree) -> None:
    report = situation_report(tree.liyu, DAY)
    assert {r.code for r in report.children} == {tree.yuetang.code, tree.liyujuwei.code}
    for row in [report.own, *report.children]:
        assert row.values["signals.found"] == 0
        assert row.values["observation.active"] == 0
        assert row.values["observation.checkins_due"] == 0
        # rates and medians have nothing to measure: None, not 0
        assert row.values["observation.checkin_rate"] is None


def test_observations_new_active_and_ended_by_kind(tree: Tree) -> None:
    # given in 月塘: one started yesterday (home), one started today (centralised), one
    # completed today, one referred today, one lost yesterday, one started tomorrow
    facts.observation(tree.yuetang, at(PREV, "10:00"))
    facts.observation(tree.yuetang, at(DAY, "10:00"), kind="centralised")
    facts.observation(
        tree.yuetang, at(date(2020, 1, 26)), ended=at(DAY, "09:00"), status="completed"
    )
    facts.observation(
        tree.yuetang, at(date(2020, 1, 28)), ended=at(DAY, "15:00"), status="referred"
    )
    facts.observation(
        tree.yuetang, at(date(2020, 1, 28)), ended=at(PREV, "15:00"), status="lost_to_follow_up"
    )
    facts.observation(tree.yuetang, at(NEXT, "10:00"))
    # and one hospital observation in 栗雨居委会
    facts.observation(tree.liyujuwei, at(PREV, "10:00"), kind="hospital")

    report = situation_report(tree.liyu, DAY)

    y = tree.yuetang.code
    assert report.value("observation.new", code=y) == 1
    assert report.value("observation.active", code=y) == 2
    assert report.value("observation.active_home", code=y) == 1
    assert report.value("observation.active_centralised", code=y) == 1
    assert report.value("observation.completed", code=y) == 1
    assert report.value("observation.referred", code=y) == 1
    assert report.value("observation.lost", code=y) == 0
    assert report.value("observation.active_hospital") == 1
    assert report.value("observation.active") == 3
    # the day before: the lost one was lost, the completed and referred ones still active
    before = situation_report(tree.liyu, PREV)
    assert before.value("observation.lost", code=y) == 1
    assert before.value("observation.active", code=y) == 3


def test_checkins_due_done_missed_and_fevers(tree: Tree) -> None:
    obs = facts.observation(tree.yuetang, at(PREV, "10:00"))
    facts.checkin(obs, DAY)
    corrected = facts.checkin(obs, DAY, slot="evening", fever=True)
    correction = facts.checkin(obs, DAY, slot="evening")
    correction.corrects = corrected
    correction.save()
    facts.missed(obs, DAY, slot="noon")
    other = facts.observation(tree.liyujuwei, at(PREV, "10:00"))
    facts.checkin(other, DAY, fever=True)
    facts.checkin(other, DAY, slot="evening", outcome="unavailable")
    facts.checkin(other, PREV)

    report = situation_report(tree.liyu, DAY)

    y, n = tree.yuetang.code, tree.liyujuwei.code
    assert report.value("observation.checkins_done", code=y) == 2
    assert report.value("observation.checkins_missed", code=y) == 1
    assert report.value("observation.checkins_due", code=y) == 2  # morning and evening
    assert report.value("observation.checkin_rate", code=y) == 100.0
    assert report.value("observation.fevers", code=y) == 0
    assert report.value("observation.fevers", code=n) == 1
    assert report.value("observation.checkins_done", code=n) == 1
    assert report.value("observation.checkin_rate", code=n) == 50.0
    assert report.value("observation.fevers") == 1


@pytest.mark.parametrize(
    ("clock", "due", "done"),
    [("10:00", 0, 0), ("13:00", 1, 1), ("23:00", 2, 2)],
)
def test_on_the_day_itself_done_counts_the_closed_slots_as_due_does(
    tree: Tree, monkeypatch: pytest.MonkeyPatch, clock: str, due: int, done: int
) -> None:
    # given the default policy (morning closes 12:00, evening 22:00) and 月塘's check-ins of
    # both slots, each taken while its slot was open
    obs = facts.observation(tree.yuetang, at(PREV, "10:00"))
    facts.checkin(obs, DAY)
    facts.checkin(obs, DAY, slot="evening", fever=True)
    # when the report of the day is read at `clock` that day
    monkeypatch.setattr(timezone, "now", lambda: at(DAY, clock))
    report = situation_report(tree.liyu, DAY)
    # then a slot counts once it has closed, in 应测温 and in 已测温 alike
    assert report.value("observation.checkins_due", code=tree.yuetang.code) == due
    assert report.value("observation.checkins_done", code=tree.yuetang.code) == done
    # a fever is news at once
    assert report.value("observation.fevers", code=tree.yuetang.code) == 1


def test_a_policy_that_closes_a_slot_later_keeps_its_check_ins_until_then(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given 月塘's observed on the default policy (morning closes 12:00) and 栗雨居委会's on
    # one whose morning closes at 13:00, each with a morning check-in
    late = Policy.objects.create(
        version=2,
        name="午间截止",
        effective_from=date(2020, 1, 1),
        slots=[{"code": "morning", "label": "早", "opens": "06:00", "closes": "13:00"}],
    )
    early = facts.observation(tree.yuetang, at(PREV, "10:00"))
    other = facts.observation(tree.liyujuwei, at(PREV, "10:00"))
    Observation.objects.filter(pk=other.pk).update(policy=late)
    facts.checkin(early, DAY)
    facts.checkin(other, DAY)
    # when the day's report is read at 12:30
    monkeypatch.setattr(timezone, "now", lambda: at(DAY, "12:30"))
    report = situation_report(tree.liyu, DAY)
    # then each counts by its own policy's slot
    for code, counted in ((tree.yuetang.code, 1), (tree.liyujuwei.code, 0)):
        assert report.value("observation.checkins_due", code=code) == counted
        assert report.value("observation.checkins_done", code=code) == counted


def test_slots_are_due_only_while_the_observation_is_open(tree: Tree) -> None:
    # given the default policy: morning slot closes 12:00, evening 22:00
    facts.observation(tree.yuetang, at(DAY, "14:00"))  # after the morning closed: 1
    facts.observation(
        tree.yuetang, at(date(2020, 2, 1)), ended=at(DAY, "13:00"), status="completed"
    )  # ended before the evening closed: 1
    facts.observation(tree.yuetang, at(NEXT, "08:00"))  # not yet: 0
    backdated = facts.observation(tree.liyujuwei, at(PREV, "10:00"))  # both days: 2 + 2
    backdated.start_date = date(2020, 1, 25)  # arrival long before it was registered
    backdated.save()

    one_day = situation_report(tree.liyu, DAY)
    assert one_day.value("observation.checkins_due", code=tree.yuetang.code) == 2
    two_days = situation_report(tree.liyu, PREV, DAY)
    assert two_days.value("observation.checkins_due", code=tree.liyujuwei.code) == 4
    # the completed one: 2 on PREV, 1 on DAY
    assert two_days.value("observation.checkins_due", code=tree.yuetang.code) == 4


def test_a_range_of_days_counts_every_day(tree: Tree) -> None:
    facts.signal(tree.yuetang, at(PREV, "08:00"))
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    facts.signal(tree.yuetang, at(NEXT, "08:00"))
    report = situation_report(tree.liyu, PREV, DAY)
    assert (report.start, report.end, report.days) == (PREV, DAY, 2)
    assert report.value("signals.found") == 2
