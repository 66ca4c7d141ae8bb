"""Engagement against the hand-counted front of conftest.py, at two levels."""

from decimal import Decimal

from bastion.party.engagement import coverage, engagement
from bastion.party.tests.conftest import TODAY, YESTERDAY


def test_township_engagement_today_matches_the_hand_count(tree, personas, front):
    # when
    e = engagement(user=personas.township_officer, unit=tree.liyu, start=TODAY)
    # then: the township's totals
    own = e.own.values
    assert own["members"] == 7
    assert own["party_members"] == 4
    assert own["on_duty"] == 4  # 龙建忠, 谭巧珍 (assignment), 周文勇, 言磊
    assert own["party_on_duty"] == 3
    assert own["non_party_on_duty"] == 1
    assert own["hours"] == Decimal(26)
    assert own["cancelled_leave"] == 1
    assert own["orgs"] == 3
    assert own["orgs_engaged"] == 2  # the committee's own unit has nobody on duty
    assert own["assignments"] == 1
    # and each child, zeros included
    assert e.value("on_duty", tree.yuetang.code) == 3
    assert e.value("party_on_duty", tree.yuetang.code) == 2
    assert e.value("hours", tree.yuetang.code) == Decimal(20)
    assert e.value("orgs_engaged", tree.yuetang.code) == 1
    assert e.value("on_duty", tree.liyujuwei.code) == 1
    assert e.value("hours", tree.liyujuwei.code) == Decimal(6)
    assert e.value("cancelled_leave", tree.liyujuwei.code) == 0
    assert e.value("orgs", front.liyu_committee.unit_code) == 1
    assert e.value("orgs_engaged", front.liyu_committee.unit_code) == 0


def test_city_engagement_over_two_days_rolls_up_both_counties(tree, personas, front):
    # when
    e = engagement(user=personas.commander, unit=tree.city, start=YESTERDAY, end=TODAY)
    # then: 阙立斌 worked yesterday, 魏天宇 in 荷塘区 today
    assert e.own.values["members"] == 8
    assert e.own.values["on_duty"] == 6
    assert e.own.values["hours"] == Decimal(41)
    assert e.own.values["orgs"] == 4
    assert e.own.values["orgs_engaged"] == 3
    assert e.value("on_duty", tree.tianyuan.code) == 5
    assert e.value("hours", tree.tianyuan.code) == Decimal(31)
    assert e.value("on_duty", tree.hetang.code) == 1
    assert e.value("party_on_duty", tree.hetang.code) == 1
    assert e.value("hours", tree.hetang.code) == Decimal(10)


def test_engagement_sees_nothing_outside_the_jurisdiction(tree, personas, front):
    # when: the 荷塘区 worker asks about their own village
    e = engagement(user=personas.outsider, unit=tree.wenhualu, start=TODAY)
    # then
    assert e.own.values["on_duty"] == 1
    # and the township officer's 栗雨街道 figures never include 荷塘区
    mine = engagement(user=personas.township_officer, unit=tree.liyu, start=TODAY)
    assert mine.own.values["hours"] == Decimal(26)


def test_engagement_takes_a_few_queries_whatever_the_children(
    tree, personas, front, django_assert_max_num_queries
):
    # 11 grouped figures (two queries each at one prefix length), the children, the duties;
    # the four "where they serve" facts of linked accounts added eight.
    with django_assert_max_num_queries(30):
        engagement(user=personas.commander, unit=tree.city, start=TODAY)


def test_coverage_counts_grids_with_an_area(tree, personas, front):
    # given: 月塘 has two grids, one with a responsibility area
    from bastion.orgs.services import unit_create
    from bastion.party.services import post_assign

    g1 = unit_create(parent=tree.yuetang, name="第1网格", kind="grid")
    unit_create(parent=tree.yuetang, name="第2网格", kind="grid")
    post_assign(
        actor=personas.township_officer,
        member=front.long,
        kind="area",
        title="月塘第1网格党员责任区",
        starts_on=TODAY,
        area=g1,
    )
    # when
    rows = coverage(user=personas.township_officer, unit=tree.liyu, on=TODAY)
    # then
    assert (rows[0].grids, rows[0].grids_covered, rows[0].grid_share) == (2, 1, 50.0)
    yuetang = next(r for r in rows if r.code == tree.yuetang.code)
    assert yuetang.grid_share == 50.0
    liyujuwei = next(r for r in rows if r.code == tree.liyujuwei.code)
    assert (liyujuwei.grids, liyujuwei.grid_share) == (0, None)
