"""The other sections, each against facts whose figures are computed by hand."""

from datetime import date, timedelta

import pytest
from django.db.models import Count

from bastion.orgs.models import RiskState
from bastion.people.models import Household
from bastion.reports.selectors import situation_report
from bastion.reports.selectors.grouping import Context, report_children, totals
from bastion.reports.tests import facts
from bastion.reports.tests.facts import DAY, at
from bastion.testing import Personas, Tree

PREV = DAY - timedelta(days=1)
NEXT = DAY + timedelta(days=1)


def test_the_households_count_is_kept_a_few_minutes(tree: Tree) -> None:
    from django.core.cache import cache

    # given a count read once
    facts.household(tree.yuetang)
    assert situation_report(tree.liyu, DAY).value("screening.households") == 1

    # when a household is added, the next reports within the minutes kept show the count read
    facts.household(tree.yuetang)
    assert situation_report(tree.liyu, NEXT).value("screening.households") == 1

    # and once it is no longer kept, the new one
    cache.clear()
    assert situation_report(tree.liyu, DAY).value("screening.households") == 2


def test_screening_sweeps_visits_and_household_coverage(tree: Tree) -> None:
    # given: 月塘 has 4 households (one in a grid), 栗雨居委会 2; a township sweep runs
    g1 = facts.grid(tree.yuetang)
    homes = [facts.household(tree.yuetang) for _ in range(3)] + [facts.household(g1)]
    other = [facts.household(tree.liyujuwei) for _ in range(2)]
    sweep = facts.sweep(tree.liyu, date(2020, 2, 5), date(2020, 2, 12))
    facts.visit(sweep, homes[0], at(PREV))  # done yesterday
    facts.visit(sweep, homes[1], at(DAY), "not_home")
    facts.visit(sweep, homes[1], at(DAY, "18:00"))  # done on the revisit
    facts.visit(sweep, homes[3], at(DAY), "refused")
    facts.visit(sweep, other[0], at(DAY), "moved_out")
    facts.visit(sweep, other[0], at(NEXT))  # tomorrow: not yet

    report = situation_report(tree.liyu, DAY)

    y, n = tree.yuetang.code, tree.liyujuwei.code
    assert report.value("screening.households", code=y) == 4
    assert report.value("screening.visits", code=y) == 3
    assert report.value("screening.not_home", code=y) == 1
    assert report.value("screening.refused", code=y) == 1
    assert report.value("screening.covered", code=y) == 2
    assert report.value("screening.coverage", code=y) == 50.0
    assert report.value("screening.covered", code=n) == 1
    assert report.value("screening.coverage", code=n) == 50.0
    assert report.value("screening.covered") == 3
    assert report.value("screening.coverage") == 50.0
    # the sweep is the township's own: counted in the total and its direct row
    assert report.value("screening.sweeps") == 1
    assert report.value("screening.sweeps", code=y) == 0
    assert report.direct is not None
    assert report.direct.values["screening.sweeps"] == 1


def test_five_early_counts_and_latencies(tree: Tree) -> None:
    # given two cases in 月塘 detected today: report after 1 h and 3 h, isolation 2 h later
    a = facts.observation(tree.yuetang, at(date(2020, 2, 1)))
    b = facts.observation(tree.yuetang, at(date(2020, 2, 1)))
    facts.case(
        a,
        at(DAY, "08:00"),
        reported_at=at(DAY, "09:00"),
        isolated_at=at(DAY, "11:00"),
        suspected_at=at(DAY, "12:00"),
    )
    facts.case(
        b,
        at(DAY, "08:00"),
        reported_at=at(DAY, "11:00"),
        isolated_at=at(DAY, "13:00"),
        diagnosed_at=at(NEXT, "13:00"),
        confirmed_at=at(NEXT, "13:00"),
    )
    c = facts.observation(tree.liyujuwei, at(date(2020, 2, 1)))
    facts.case(c, at(PREV, "08:00"), confirmed_at=at(PREV, "20:00"), diagnosed_at=at(PREV, "20:00"))

    today = situation_report(tree.liyu, DAY)
    y = tree.yuetang.code
    assert today.value("five_early.referred", code=y) == 2
    assert today.value("five_early.suspected", code=y) == 1
    assert today.value("five_early.confirmed") == 0
    assert today.value("five_early.confirmed_total") == 1
    assert today.value("five_early.report_median", code=y) == 2.0
    assert today.value("five_early.report_worst", code=y) == 3.0
    assert today.value("five_early.isolate_median", code=y) == 2.0
    assert today.value("five_early.diagnose_median", code=y) == 24.0
    assert today.value("five_early.treat_median", code=y) is None
    assert today.value("five_early.report_median", code=tree.liyujuwei.code) is None

    tomorrow = situation_report(tree.liyu, NEXT)
    assert tomorrow.value("five_early.confirmed") == 1
    assert tomorrow.value("five_early.confirmed_total") == 2
    assert tomorrow.value("five_early.report_median") is None


def test_checkpoints_vehicles_persons_fevers_hand_overs(tree: Tree) -> None:
    k1 = facts.attached(tree.liyu)  # a checkpoint attached to the township
    k2 = facts.attached(tree.yuetang)  # a checkpoint of the village
    cp1, cp2 = facts.checkpoint(k1), facts.checkpoint(k2)
    facts.passage(cp1, at(DAY, "08:00"), ["pass", "pass_and_hand_over"])
    facts.passage(cp1, at(DAY, "09:00"), ["refer_fever_point", "pass_and_hand_over"], fevers=1)
    facts.passage(cp1, at(DAY, "10:00"), ["turn_back"], disposition="turned_back")
    facts.passage(cp2, at(DAY, "11:00"), ["pass"])
    facts.passage(cp2, at(NEXT, "11:00"), ["pass"])

    report = situation_report(tree.liyu, DAY)

    # the township's checkpoint is a row of its own, beside the villages
    assert [r.code for r in report.children] == [tree.liyujuwei.code, tree.yuetang.code, k1.code]
    assert report.value("checkpoints.vehicles", code=k1.code) == 3
    assert report.value("checkpoints.persons", code=k1.code) == 5
    assert report.value("checkpoints.fevers", code=k1.code) == 1
    assert report.value("checkpoints.hand_overs", code=k1.code) == 2
    assert report.value("checkpoints.to_fever_point", code=k1.code) == 1
    assert report.value("checkpoints.turned_back", code=k1.code) == 1
    assert report.value("checkpoints.vehicles", code=tree.yuetang.code) == 1
    assert report.value("checkpoints.vehicles") == 4
    assert report.direct is None


def test_gatherings_by_outcome(tree: Tree) -> None:
    facts.gathering(tree.yuetang, DAY, "postponed")
    facts.gathering(tree.yuetang, DAY, "cancelled")
    facts.gathering(tree.yuetang, DAY)
    facts.gathering(tree.liyujuwei, DAY, "held_with_plan")
    facts.gathering(tree.liyujuwei, NEXT, "downsized")
    report = situation_report(tree.liyu, DAY)
    y = tree.yuetang.code
    assert report.value("gatherings.reported", code=y) == 3
    assert report.value("gatherings.postponed", code=y) == 1
    assert report.value("gatherings.cancelled", code=y) == 1
    assert report.value("gatherings.pending", code=y) == 1
    assert report.value("gatherings.held_with_plan") == 1
    assert report.value("gatherings.downsized") == 0
    assert situation_report(tree.liyu, DAY, NEXT).value("gatherings.reported") == 5


def test_disinfection_due_and_done(tree: Tree) -> None:
    s1 = facts.site(tree.yuetang, 2, date(2020, 2, 1))
    facts.site(tree.yuetang, 1, DAY)  # opens today
    facts.site(tree.liyujuwei, 2, NEXT)  # not yet open
    facts.run(s1, at(DAY, "09:00"))
    facts.run(s1, at(DAY, "15:00"))
    facts.run(s1, at(PREV, "15:00"))
    report = situation_report(tree.liyu, DAY)
    y = tree.yuetang.code
    assert report.value("disinfection.sites", code=y) == 2
    assert report.value("disinfection.due", code=y) == 3
    assert report.value("disinfection.done", code=y) == 2
    assert report.value("disinfection.rate", code=y) == 66.7
    assert report.value("disinfection.due", code=tree.liyujuwei.code) == 0
    assert report.value("disinfection.rate", code=tree.liyujuwei.code) is None
    # two days: yesterday the first site only (2 runs), today 3
    both = situation_report(tree.liyu, PREV, DAY)
    assert both.value("disinfection.due") == 5
    assert both.value("disinfection.done") == 3


def test_supplies_on_hand_and_days_of_supply(tree: Tree, personas: Personas) -> None:
    actor = personas.commander
    masks = facts.item("mask", "医用外科口罩")
    n95 = facts.item("mask", "N95口罩")
    suits = facts.item("protective", "防护服")
    facts.movement(tree.yuetang, masks, "receipt", 1000, at(date(2020, 2, 1)), actor)
    facts.movement(tree.yuetang, n95, "receipt", 400, at(date(2020, 2, 1)), actor)
    # issued 700 over the seven days before the end of the day: 100 a day
    facts.movement(tree.yuetang, masks, "issue", 300, at(date(2020, 2, 4)), actor)
    facts.movement(tree.yuetang, masks, "issue", 400, at(DAY, "10:00"), actor)
    facts.movement(tree.yuetang, masks, "issue", 50, at(NEXT, "10:00"), actor)  # after
    facts.movement(tree.liyujuwei, suits, "receipt", 20, at(DAY), actor)

    report = situation_report(tree.liyu, DAY)
    y = tree.yuetang.code
    assert report.value("supplies.masks", code=y) == 700
    assert report.value("supplies.masks_days", code=y) == 7.0
    assert report.value("supplies.issued", code=y) == 400
    assert report.value("supplies.protective", code=y) == 0
    assert report.value("supplies.protective_days", code=y) is None
    assert report.value("supplies.protective", code=tree.liyujuwei.code) == 20
    assert report.value("supplies.masks") == 700


def test_donations_money_and_goods(tree: Tree, personas: Personas) -> None:
    actor = personas.commander
    d1 = facts.donation(tree.yuetang, DAY, "1000.50", actor)
    facts.donation(tree.liyu, DAY, "2000", actor)  # to the township itself
    facts.donation(tree.yuetang, PREV, "300", actor)
    masks = facts.item("mask", "医用外科口罩")
    facts.movement(tree.yuetang, masks, "receipt", 500, at(DAY), actor, donation=d1)
    report = situation_report(tree.liyu, DAY)
    y = tree.yuetang.code
    assert report.value("donations.count", code=y) == 1
    assert report.value("donations.money", code=y) == pytest.approx(1000.5)
    assert report.value("donations.goods", code=y) == 500
    assert report.value("donations.money") == pytest.approx(3000.5)
    assert report.value("donations.count") == 2
    assert report.direct is not None
    assert report.direct.values["donations.money"] == 2000


def test_members_and_volunteers_on_duty(tree: Tree, personas: Personas) -> None:
    actor = personas.commander
    m1 = facts.member(tree.yuetang, party=True)
    m2 = facts.member(tree.yuetang)
    facts.member(tree.yuetang)  # not on duty
    m4 = facts.member(tree.liyujuwei, party=True)
    facts.member(tree.liyujuwei)
    facts.worklog(m1, DAY, "10.5", actor)
    facts.worklog(m1, PREV, "8", actor)
    facts.assignment(m2, date(2020, 2, 1), DAY)
    facts.assignment(m4, NEXT, date(2020, 2, 20))
    report = situation_report(tree.liyu, DAY)
    y = tree.yuetang.code
    assert report.value("mobilisation.members", code=y) == 3
    assert report.value("mobilisation.party_members", code=y) == 1
    assert report.value("mobilisation.on_duty", code=y) == 2
    assert report.value("mobilisation.party_on_duty", code=y) == 1
    assert report.value("mobilisation.volunteers_on_duty", code=y) == 1
    assert report.value("mobilisation.hours", code=y) == 10.5
    assert report.value("mobilisation.members") == 5
    assert report.value("mobilisation.on_duty", code=tree.liyujuwei.code) == 0


def test_community_risk_states(tree: Tree) -> None:
    tree.yuetang.risk_state = RiskState.CASE_OR_OUTBREAK
    tree.yuetang.save()
    county = situation_report(tree.tianyuan, DAY)
    assert county.value("risk.case_or_outbreak") == 1
    assert county.value("risk.no_case") == 1
    assert county.value("risk.case_or_outbreak", code=tree.liyu.code) == 1
    city = situation_report(tree.city, DAY)
    assert city.value("risk.no_case") == 2
    assert city.value("risk.no_case", code=tree.hetang.code) == 1
    village = situation_report(tree.yuetang, DAY)
    assert village.value("risk.case_or_outbreak") == 1


@pytest.mark.parametrize("unit", ["city", "tianyuan", "liyu", "yuetang"])
def test_a_count_per_code_adds_up_like_the_count_per_prefix(tree: Tree, unit: str) -> None:
    # given households on a township itself, in its villages, in a grid, in another county
    for place in (tree.liyu, tree.yuetang, tree.yuetang, facts.grid(tree.yuetang)):
        facts.household(place)
    facts.household(tree.liyujuwei)
    facts.household(tree.hetang)
    top = getattr(tree, unit)
    ctx = Context(unit=top, children=report_children(top), start=DAY, end=DAY)
    # when
    per_prefix = ctx.grouped(Household.objects.all(), n=Count("*"))
    per_code = ctx.grouped(Household.objects.all(), per_code=True, n=Count("*"))
    # then every row key holds the same total
    for key in ctx.keys:
        assert totals(per_code.get(key, []), "n") == totals(per_prefix.get(key, []), "n"), key
