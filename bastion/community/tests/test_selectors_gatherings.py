from datetime import date

import pytest
from django.http import Http404

from bastion.community.selectors import (
    attendees_of,
    gathering_counts,
    gathering_get,
    gathering_list,
    gathering_warnings,
    unit_children,
)
from bastion.community.services import gathering_attendees_set
from bastion.community.tests.conftest import TODAY
from bastion.orgs.services import unit_create


def test_pending_gatherings_come_first(personas, record_gathering):
    # given
    done = record_gathering(host_name="甲", planned_date=date(2020, 2, 20), outcome="cancelled")
    done_earlier = record_gathering(
        host_name="乙", planned_date=date(2020, 2, 2), outcome="postponed"
    )
    later = record_gathering(host_name="丙", planned_date=date(2020, 2, 10))
    sooner = record_gathering(host_name="丁", planned_date=date(2020, 2, 1))
    # when
    rows = list(gathering_list(user=personas.village_worker))
    # then: pending ones by the nearest date, then the others by the latest
    assert rows == [sooner, later, done, done_earlier]


def test_filters_by_outcome_period_and_unit(tree, personas, record_gathering):
    record_gathering(host_name="甲", outcome="postponed", planned_date=date(2020, 2, 1))
    record_gathering(host_name="乙", planned_date=date(2020, 2, 9))
    record_gathering(
        actor=personas.neighbour_worker, unit=tree.liyujuwei, host_name="丙", outcome="cancelled"
    )
    officer = personas.township_officer

    def names(**filters):
        return [g.host_name for g in gathering_list(user=officer, **filters)]

    assert names(outcome="pending") == ["乙"]
    assert names(outcome="postponed") == ["甲"]
    assert names(date_from=date(2020, 2, 5)) == ["乙", "丙"]
    assert names(date_to=date(2020, 2, 5)) == ["甲"]
    assert names(unit_code=tree.liyujuwei.code) == ["丙"]


def test_lists_only_the_jurisdiction(tree, personas, record_gathering):
    gathering = record_gathering()
    assert list(gathering_list(user=personas.neighbour_worker)) == []
    assert list(gathering_list(user=personas.auditor)) == [gathering]
    with pytest.raises(Http404):
        gathering_list(user=personas.neighbour_worker, unit_code=tree.yuetang.code)
    with pytest.raises(Http404):
        gathering_get(user=personas.outsider, gathering_id=gathering.pk)


def test_counts_by_outcome_per_village_the_articles_way(tree, personas, record_gathering):
    # given: 月塘 postponed two weddings and cancelled a birthday banquet (the article), and
    # one wedding is still pending; 栗雨居委会 downsized a funeral
    record_gathering(host_name="甲", outcome="postponed", persuaded_by="龙建忠")
    record_gathering(host_name="乙", outcome="postponed", persuaded_by="龙建忠")
    record_gathering(host_name="丙", kind="birthday", outcome="cancelled", persuaded_by="龙建忠")
    record_gathering(host_name="丁")
    record_gathering(
        actor=personas.neighbour_worker,
        unit=tree.liyujuwei,
        host_name="戊",
        kind="funeral",
        expected_guests=60,
        actual_guests=30,
        outcome="downsized",
    )
    user = personas.township_officer
    children = unit_children(user=user, unit=tree.liyu, capability="view_gatherings")
    # when
    rows, total = gathering_counts(user=user, unit=tree.liyu, children=children)
    # then
    by_unit = {r.unit.code: r for r in rows}
    yuetang, liyujuwei = by_unit[tree.yuetang.code], by_unit[tree.liyujuwei.code]
    assert (yuetang.total, yuetang.persuaded, yuetang.pending) == (4, 3, 1)
    assert (yuetang.of("postponed"), yuetang.of("cancelled")) == (2, 1)
    assert (liyujuwei.total, liyujuwei.held, liyujuwei.of("downsized")) == (1, 1, 1)
    assert (total.total, total.persuaded, total.pending, total.held) == (5, 3, 1, 1)
    assert tree.liyu.code not in by_unit  # nothing filed on the township itself


def test_counts_roll_grids_up_to_their_village(tree, personas, record_gathering):
    grid = unit_create(parent=tree.yuetang, name="第1网格", kind="grid")
    record_gathering(unit=grid, outcome="cancelled")
    record_gathering(outcome="postponed")
    user = personas.township_officer
    rows, _total = gathering_counts(user=user, unit=tree.liyu, children=[tree.yuetang])
    assert [(r.unit, r.persuaded) for r in rows] == [(tree.yuetang, 2)]


def test_counts_for_a_period_of_planned_dates(tree, personas, record_gathering):
    record_gathering(outcome="postponed", planned_date=date(2020, 1, 26))
    record_gathering(outcome="postponed", planned_date=date(2020, 2, 26))
    _, total = gathering_counts(
        user=personas.village_worker,
        unit=tree.yuetang,
        children=[],
        date_from=date(2020, 1, 24),
        date_to=date(2020, 2, 1),
    )
    assert total.persuaded == 1


def test_counts_take_one_query(tree, personas, record_gathering, django_assert_num_queries):
    for i in range(10):
        record_gathering(host_name=f"户{i}", outcome="postponed" if i % 2 else "")
    user = personas.township_officer
    children = unit_children(user=user, unit=tree.liyu, capability="view_gatherings")
    with django_assert_num_queries(1):
        gathering_counts(user=user, unit=tree.liyu, children=children)


def test_counts_see_only_the_jurisdiction(tree, personas, record_gathering):
    record_gathering(outcome="postponed")
    _, total = gathering_counts(
        user=personas.neighbour_worker, unit=tree.liyu, children=[tree.yuetang, tree.liyujuwei]
    )
    assert total.total == 0


def test_warns_about_a_pending_gathering_over_the_limit(record_gathering):
    gathering = record_gathering(expected_guests=120)
    assert gathering_warnings(gathering, today=TODAY) == [
        "预计 120 人，超过宴席人数上限 50 人：请劝导延期、取消或缩小规模。"
    ]


def test_warns_when_the_planned_date_passed_without_an_outcome(record_gathering):
    gathering = record_gathering(expected_guests=8, kind="birthday", family_only=True)
    assert gathering_warnings(gathering, today=date(2020, 2, 9)) == ["计划日期已过，请记录结果。"]


def test_warns_about_a_gathering_held_against_advice(record_gathering):
    gathering = record_gathering(
        outcome="held_against_advice", family_only=True, kind="birthday", actual_guests=14
    )
    assert gathering_warnings(gathering, today=TODAY) == [
        "劝阻无效仍举办：请登记参加人员，做好跟踪。",
        "14 人，超过家庭聚会人数上限 10 人。",
    ]


def test_no_warning_once_persuaded(record_gathering):
    assert gathering_warnings(record_gathering(outcome="postponed"), today=TODAY) == []


def test_attendees_are_masked_and_named_only_in_jurisdiction(
    personas, record_gathering, villager, neighbour_villager
):
    # given: the township registered a villager of each village
    gathering = record_gathering(
        kind="funeral",
        expected_guests=30,
        outcome="held_with_plan",
        has_prevention_plan=True,
        approved_by="栗雨街道指挥部",
    )
    gathering_attendees_set(
        actor=personas.township_officer, gathering=gathering, persons=[villager, neighbour_villager]
    )
    # when: the village worker of 月塘 reads them
    rows = attendees_of(user=personas.village_worker, gathering=gathering)
    # then
    assert [(a.name, a.id_number_masked, a.mobile_masked) for a in rows] == [
        ("李*", "4302**********0023", "139****9000"),
        ("张三", "4302**********0011", "138****8000"),
    ]
