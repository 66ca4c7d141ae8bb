"""The faster paths of the report give the same figures: the due check-ins counted per group of
observations, and a report limited to some sections."""

from datetime import timedelta

import pytest

from bastion.reports.selectors import situation_report
from bastion.reports.tests import facts
from bastion.reports.tests.facts import DAY, at
from bastion.testing import Tree

PREV = DAY - timedelta(days=1)


def test_due_checkins_of_grouped_and_single_observations_add_up(tree: Tree) -> None:
    # given the default policy (morning closes 12:00, evening 22:00):
    # open since yesterday, counted by group: 2 each
    facts.observation(tree.yuetang, at(PREV, "10:00"))
    facts.observation(tree.yuetang, at(PREV, "11:00"))
    facts.observation(tree.liyu, at(PREV, "10:00"))  # the township's own: its direct row
    # its period ended yesterday: nothing due today
    over = facts.observation(tree.yuetang, at(PREV, "10:00"))
    over.planned_end = PREV
    over.save()
    # started today after the morning closed, read row by row: 1
    facts.observation(tree.yuetang, at(DAY, "14:00"))
    # ended today before the evening closed: 1
    facts.observation(tree.liyujuwei, at(PREV, "09:00"), ended=at(DAY, "13:00"), status="completed")

    report = situation_report(tree.liyu, DAY)

    assert report.value("observation.checkins_due", code=tree.yuetang.code) == 5
    assert report.value("observation.checkins_due", code=tree.liyujuwei.code) == 1
    assert report.direct is not None
    assert report.direct.values["observation.checkins_due"] == 2
    assert report.value("observation.checkins_due") == 8
    # a two-day range adds yesterday: both slots of the three in 月塘 (started before the
    # morning closed) and of the one in 栗雨居委会
    two_days = situation_report(tree.liyu, PREV, DAY)
    assert two_days.value("observation.checkins_due", code=tree.yuetang.code) == 5 + 6
    assert two_days.value("observation.checkins_due", code=tree.liyujuwei.code) == 1 + 2


def test_sections_limit_what_is_computed(tree: Tree) -> None:
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    facts.observation(tree.yuetang, at(PREV, "10:00"))

    full = situation_report(tree.liyu, DAY)
    only = situation_report(tree.liyu, DAY, sections=["signals"])

    assert [s.key for s in only.sections] == ["signals"]
    assert only.value("signals.found") == full.value("signals.found") == 1
    assert only.value("signals.found", code=tree.yuetang.code) == 1
    assert only.value("observation.active") is None
    assert full.value("observation.active") == 1
    assert situation_report(tree.liyu, DAY, sections=None).own == full.own
    with pytest.raises(ValueError, match="unknown sections"):
        situation_report(tree.liyu, DAY, sections=["nonsense"])
