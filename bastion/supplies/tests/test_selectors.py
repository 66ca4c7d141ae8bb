import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from bastion.accounts.jurisdiction import active_memberships
from bastion.supplies import selectors, services
from bastion.supplies.tests.conftest import NOW, days_ago


def level_of(levels, name):
    return next(lv for lv in levels if lv.item.name == name)


def test_burn_rate_is_a_weeks_issues_over_seven_days(tree, personas, masks, receive, issue):
    # given: 1,000 received; 70 issued within the last week, 500 before it
    receive(tree.yuetang, masks, 1000, at=days_ago(20))
    issue(tree.yuetang, masks, 500, at=days_ago(10))
    issue(tree.yuetang, masks, 30, at=days_ago(6.9))
    issue(tree.yuetang, masks, 40, at=days_ago(1))
    # when
    levels = selectors.stock_levels(user=personas.village_worker, unit=tree.yuetang, now=NOW)
    # then
    lv = level_of(levels, "口罩")
    assert (lv.on_hand, lv.issued) == (430, 70)
    assert lv.burn_rate == 10
    assert lv.days_of_supply == 43
    assert not lv.is_low


def test_the_clock_decides_the_window(tree, personas, masks, receive, issue):
    receive(tree.yuetang, masks, 100, at=days_ago(20))
    issue(tree.yuetang, masks, 70, at=days_ago(1))
    # a week later nothing was issued in the window: no burn rate, no days of supply
    later = NOW.replace(day=9)
    lv = level_of(
        selectors.stock_levels(user=personas.commander, unit=tree.yuetang, now=later), "口罩"
    )
    assert (lv.issued, lv.days_of_supply, lv.is_low) == (0, None, False)


def test_flags_stock_that_lasts_fewer_than_three_days(tree, personas, masks, items, receive, issue):
    # given: 300 masks, 140 a day over the week → 300 / 140 ≈ 2.1 days
    receive(tree.yuetang, masks, 1280, at=days_ago(8))
    issue(tree.yuetang, masks, 980, at=days_ago(3))
    receive(tree.yuetang, items["84 消毒液"], 40, at=days_ago(8))
    # when
    levels = selectors.stock_levels(user=personas.village_worker, unit=tree.yuetang, now=NOW)
    # then
    masks_level = level_of(levels, "口罩")
    assert masks_level.runs_out_soon and masks_level.is_low
    assert round(masks_level.days_of_supply, 2) == 2.14
    assert not level_of(levels, "84 消毒液").is_low


def test_flags_stock_below_the_units_minimum(tree, personas, items, receive):
    receive(tree.yuetang, items["84 消毒液"], 40)
    services.stock_minimum_set(
        actor=personas.village_worker, unit=tree.yuetang, item=items["84 消毒液"], minimum=50
    )
    services.stock_minimum_set(
        actor=personas.village_worker, unit=tree.yuetang, item=items["防护服"], minimum=5
    )
    levels = selectors.stock_levels(user=personas.village_worker, unit=tree.yuetang, now=NOW)
    assert level_of(levels, "84 消毒液").below_minimum
    # an item with a minimum and no stock at all is listed, and low
    suits = level_of(levels, "防护服")
    assert (suits.on_hand, suits.is_low) == (0, True)


def test_rollup_sums_the_units_inside(tree, personas, masks, receive, issue):
    receive(tree.liyu, masks, 100)
    receive(tree.yuetang, masks, 50)
    receive(tree.liyujuwei, masks, 20)
    receive(tree.wenhualu, masks, 999)
    own = selectors.stock_levels(user=personas.township_officer, unit=tree.liyu, now=NOW)
    rolled = selectors.stock_levels(
        user=personas.township_officer, unit=tree.liyu, rollup=True, now=NOW
    )
    assert level_of(own, "口罩").on_hand == 100
    assert level_of(rolled, "口罩").on_hand == 170


def test_stock_figures_take_three_queries_whatever_the_number_of_items(
    tree, personas, items, receive, issue, django_assert_num_queries
):
    for item in items.values():
        receive(tree.yuetang, item, 100)
        issue(tree.yuetang, item, 10)
    user = personas.village_worker
    active_memberships(user)  # loads the memberships once
    with django_assert_num_queries(3):
        levels = selectors.stock_levels(user=user, unit=tree.yuetang, now=NOW)
    assert len(levels) == len(items)


def test_low_stock_below_lists_the_villages_running_out(
    tree, personas, masks, receive, issue, django_assert_max_num_queries
):
    # given: 月塘 runs out, 栗雨居委会 is fine, and the township itself is not listed
    receive(tree.yuetang, masks, 100, at=days_ago(8))
    issue(tree.yuetang, masks, 90, at=days_ago(2))
    receive(tree.liyujuwei, masks, 1000, at=days_ago(8))
    issue(tree.liyujuwei, masks, 70, at=days_ago(2))
    receive(tree.liyu, masks, 5, at=days_ago(8))
    issue(tree.liyu, masks, 5, at=days_ago(2))
    user = personas.township_officer
    active_memberships(user)
    # when
    with django_assert_max_num_queries(4):
        low = selectors.low_stock_below(user=user, unit=tree.liyu, now=NOW)
    # then
    assert [(row.unit.code, row.level.item.name) for row in low] == [(tree.yuetang.code, "口罩")]


def test_out_of_jurisdiction_units_are_not_found(tree, personas):
    with pytest.raises(Http404):
        selectors.unit_get(user=personas.village_worker, code=tree.liyujuwei.code)
    with pytest.raises(Http404):
        selectors.unit_get(user=personas.village_worker, code="430299999999")


def test_the_ledger_is_scoped_and_newest_first(tree, personas, masks, receive, issue):
    receive(tree.yuetang, masks, 100, at=days_ago(3))
    issue(tree.yuetang, masks, 5, at=days_ago(1))
    receive(tree.liyujuwei, masks, 100)
    rows = list(
        selectors.movement_list(user=personas.township_officer, unit=tree.liyu, rollup=True)
    )
    assert [(r.unit_code, r.kind) for r in rows] == [
        (tree.liyujuwei.code, "receipt"),
        (tree.yuetang.code, "issue"),
        (tree.yuetang.code, "receipt"),
    ]
    mine = selectors.movement_list(user=personas.village_worker, unit=tree.yuetang, kind="issue")
    assert [r.delta for r in mine] == [-5]


def test_record_units_are_own_units_and_those_below(tree, personas):
    units = selectors.record_units(user=personas.township_officer)
    assert [u.code for u in units] == [tree.liyu.code, tree.liyujuwei.code, tree.yuetang.code]
    assert selectors.record_unit(user=personas.village_worker, code=tree.liyujuwei.code) is None


def test_donation_totals(tree, personas, masks):
    for money, goods in ((Decimal("100.50"), []), (Decimal("0"), [(masks, 5000)])):
        services.donation_record(
            actor=personas.township_officer,
            unit=tree.liyu,
            donor_name="捐赠方",
            donor_kind="soe",
            money=money,
            goods=goods,
            donated_on=date(2020, 1, 30),
            client_uuid=uuid.uuid4(),
            now=NOW,
        )
    totals = selectors.donation_totals(
        donations=selectors.donation_list(user=personas.township_officer)
    )
    assert (totals.count, totals.money) == (2, Decimal("100.50"))
    assert [(g.item_name, g.quantity, g.measure) for g in totals.goods] == [("口罩", 5000, "个")]
    assert selectors.donation_list(user=personas.outsider).count() == 0


def test_the_public_list_names_only_organisations_and_consenting_individuals(
    tree, personas, masks, django_assert_max_num_queries
):
    # given
    for name, kind, consent in (
        ("湖南华源荣康药业有限公司", "private_enterprise", False),
        ("王小明", "individual", True),
        ("李秘密", "individual", False),
    ):
        services.donation_record(
            actor=personas.county_officer,
            unit=tree.liyu,
            donor_name=name,
            donor_kind=kind,
            public_consent=consent,
            money=Decimal("100"),
            goods=[(masks, 10)],
            donated_on=date(2020, 1, 28),
            client_uuid=uuid.uuid4(),
            now=NOW,
        )
    # when
    with django_assert_max_num_queries(2):
        units = selectors.public_donations()
    # then
    (unit,) = units
    assert unit.unit_name == "栗雨街道" and unit.money == Decimal("300.00")
    assert [(g.item_name, g.quantity) for g in unit.goods_totals] == [("口罩", 30)]
    assert sorted(d.donor for d in unit.donations) == sorted(
        ["湖南华源荣康药业有限公司", "王小明", "爱心人士"]
    )
