from datetime import date, timedelta

import pytest
from django.http import Http404

from bastion.community.models import SiteKind
from bastion.community.selectors import (
    compliance,
    run_list,
    site_get,
    site_status,
    site_statuses,
    unit_children,
)
from bastion.community.services import site_create, site_update
from bastion.community.tests.conftest import NOW, TODAY, at
from bastion.orgs.services import unit_create
from bastion.testing import person_of

YESTERDAY = TODAY - timedelta(days=1)


# overdue, on a fixed clock


def test_a_site_is_not_due_before_its_first_deadline(personas, toilet):
    # when: 07:30, the first deadline is 08:00
    [status] = site_statuses(user=personas.village_worker, now=at(7, 30))
    # then
    assert (status.due_now, status.runs_today, status.overdue) == (0, 0, False)
    assert status.next_deadline == "08:00"


def test_a_site_without_a_run_by_its_deadline_is_overdue(personas, toilet):
    [status] = site_statuses(user=personas.village_worker, now=at(8, 1))
    assert (status.due_now, status.overdue, status.missing) == (1, True, 1)


def test_an_early_run_counts_for_the_first_deadline(personas, toilet, run_at):
    # given: one run at 07:10
    run_at(toilet, at(7, 10))
    # then: not overdue at 09:00, overdue again at 14:05
    [status] = site_statuses(user=personas.village_worker, now=at(9))
    assert (status.runs_today, status.overdue, status.next_deadline) == (1, False, "14:00")
    [status] = site_statuses(user=personas.village_worker, now=at(14, 5))
    assert (status.due_now, status.overdue) == (2, True)


def test_yesterdays_runs_do_not_count_today(personas, toilet, run_at):
    run_at(toilet, at(20, day=YESTERDAY))
    run_at(toilet, at(21, day=YESTERDAY))
    [status] = site_statuses(user=personas.village_worker, now=at(8, 30))
    assert (status.runs_today, status.overdue) == (0, True)


def test_runs_after_now_are_not_counted(personas, toilet, run_at):
    # given: a run at 14:30 (recorded on another clock)
    run_at(toilet, at(14, 30), now=at(14, 30))
    # then: seen at 14:10, the day had no run yet
    [status] = site_statuses(user=personas.village_worker, now=at(14, 10))
    assert (status.runs_today, status.overdue) == (0, True)


def test_a_day_done_shows_no_next_deadline(personas, toilet, run_at):
    run_at(toilet, at(7))
    run_at(toilet, at(13))
    [status] = site_statuses(user=personas.village_worker, now=NOW)
    assert (status.overdue, status.next_deadline) == (False, "")


def test_a_site_is_not_due_before_it_was_set_up(tree, personas):
    site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="明日公厕",
        kind=SiteKind.PUBLIC_TOILET,
        times=["08:00"],
        now=at(9, day=TODAY + timedelta(days=1)),
    )
    [status] = site_statuses(user=personas.village_worker, now=NOW)
    assert (status.due_now, status.overdue) == (0, False)


def test_overdue_sites_come_first_and_can_be_listed_alone(tree, personas, toilet, run_at):
    # given: the market is done for the day, the toilet is not
    market = site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="月塘市场",
        kind=SiteKind.MARKET,
        times=["08:00"],
        now=at(7),
    )
    run_at(market, at(7, 30))
    # when
    statuses = site_statuses(user=personas.village_worker, now=NOW)
    overdue = site_statuses(user=personas.village_worker, overdue_only=True, now=NOW)
    # then
    assert [s.site.name for s in statuses] == ["月塘公厕", "月塘市场"]
    assert [s.site.name for s in overdue] == ["月塘公厕"]


def test_stopped_sites_are_not_listed(personas, toilet):
    site_update(actor=personas.village_worker, site=toilet, is_active=False)
    assert site_statuses(user=personas.village_worker, now=NOW) == []


def test_status_list_takes_two_queries_however_many_sites(
    tree, personas, run_at, django_assert_num_queries
):
    for i in range(12):
        site = site_create(
            actor=personas.village_worker,
            unit=tree.yuetang,
            name=f"垃圾桶 {i}",
            kind=SiteKind.BIN_CLUSTER,
            runs_per_day=3,
            now=at(6),
        )
        run_at(site, at(10))
    user = personas.village_worker
    user.memberships.all()  # memberships are loaded once per request, not per site
    site_statuses(user=user, now=NOW)
    with django_assert_num_queries(2):
        statuses = site_statuses(user=user, now=NOW)
    assert len(statuses) == 12


# jurisdiction


def test_sites_are_scoped_to_the_jurisdiction(personas, toilet, neighbour_bins):
    assert [s.site for s in site_statuses(user=personas.village_worker, now=NOW)] == [toilet]
    assert len(site_statuses(user=personas.township_officer, now=NOW)) == 2
    assert site_statuses(user=personas.outsider, now=NOW) == []


def test_the_responsible_department_sees_its_sites_across_the_city(tree, personas):
    # given: a station in 栗雨 that the city's 城管局 disinfects
    department = unit_create(parent=tree.city, name="市城管局", kind="department")
    crew = person_of("crew", "volunteer", department)
    site = site_create(
        actor=personas.commander,
        unit=tree.liyu,
        name="株洲西站",
        kind=SiteKind.STATION,
        responsible_unit=department,
        runs_per_day=4,
        now=NOW,
    )
    # then: the crew sees it, also when filtering by its own unit
    assert [s.site for s in site_statuses(user=crew, now=NOW)] == [site]
    assert [s.site for s in site_statuses(user=crew, unit_code=department.code, now=NOW)] == [site]
    assert site_get(user=crew, site_id=site.pk) == site


def test_a_site_out_of_jurisdiction_is_not_found(personas, neighbour_bins):
    with pytest.raises(Http404):
        site_get(user=personas.village_worker, site_id=neighbour_bins.pk)
    with pytest.raises(Http404):
        site_statuses(user=personas.village_worker, unit_code=neighbour_bins.unit_code)


def test_site_status_of_one_site(personas, toilet, run_at):
    run_at(toilet, at(7))
    status = site_status(site=toilet, now=NOW)
    assert (status.runs_today, status.due_now, status.last_run_at) == (1, 2, at(7))


def test_runs_are_listed_newest_first_within_the_jurisdiction(
    personas, toilet, neighbour_bins, run_at
):
    run_at(toilet, at(7))
    run_at(toilet, at(13))
    run_at(neighbour_bins, at(13), actor=personas.neighbour_worker)
    runs = run_list(user=personas.village_worker)
    assert [r.done_at for r in runs] == [at(13), at(7)]
    assert run_list(user=personas.township_officer).count() == 3


# compliance per unit and day


@pytest.fixture
def two_days(personas, toilet, neighbour_bins, run_at):
    """Yesterday: the toilet 2/2, the bins 1/2. Today at 15:00: the toilet 1/2 (overdue), the
    bins 1/1 (their second deadline is 22:00)."""
    run_at(toilet, at(7, day=YESTERDAY))
    run_at(toilet, at(13, day=YESTERDAY))
    neighbour = personas.neighbour_worker
    run_at(neighbour_bins, at(9, day=YESTERDAY), actor=neighbour)
    run_at(toilet, at(7))
    run_at(neighbour_bins, at(12), actor=neighbour)


def test_compliance_per_village_and_day(tree, personas, two_days):
    # when
    user = personas.township_officer
    children = unit_children(user=user, unit=tree.liyu, capability="view_sites")
    rows, total = compliance(
        user=user, unit=tree.liyu, children=children, days=[YESTERDAY, TODAY], now=NOW
    )
    # then
    by_unit = {r.unit.code: r for r in rows}
    yuetang, liyujuwei = by_unit[tree.yuetang.code], by_unit[tree.liyujuwei.code]
    assert [(c.done, c.due) for c in yuetang.row] == [(2, 2), (1, 2)]
    assert [(c.done, c.due) for c in liyujuwei.row] == [(1, 2), (1, 1)]
    assert (yuetang.overdue, liyujuwei.overdue, total.overdue) == (1, 0, 1)
    assert [(c.done, c.due) for c in total.row] == [(3, 4), (2, 3)]
    assert total.total.rate == pytest.approx(5 / 7)


def test_extra_runs_at_one_site_do_not_make_up_for_another(tree, personas, toilet, run_at):
    # given: the toilet was disinfected four times yesterday, the bins never
    site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="月塘垃圾桶",
        kind=SiteKind.BIN_CLUSTER,
        times=["12:00", "18:00"],
        now=at(9, day=YESTERDAY),
    )
    for hour in (7, 9, 11, 13):
        run_at(toilet, at(hour, day=YESTERDAY))
    # when
    user = personas.village_worker
    [row], _total = compliance(
        user=user, unit=tree.liyu, children=[tree.yuetang], days=[YESTERDAY], now=NOW
    )
    # then
    cell = row.cell(YESTERDAY)
    assert (cell.done, cell.due, cell.runs, cell.rate) == (2, 4, 4, 0.5)


def test_future_days_and_days_before_a_site_existed_are_not_due(tree, personas, toilet):
    _rows, total = compliance(
        user=personas.village_worker,
        unit=tree.yuetang,
        children=[],
        days=[date(2020, 1, 28), TODAY + timedelta(days=1)],
        now=NOW,
    )
    assert total.days == [date(2020, 1, 28)]
    assert total.cell(date(2020, 1, 28)).due == 0


def test_compliance_takes_two_queries(tree, personas, two_days, django_assert_num_queries):
    user = personas.township_officer
    children = unit_children(user=user, unit=tree.liyu, capability="view_sites")
    with django_assert_num_queries(2):
        compliance(
            user=user,
            unit=tree.liyu,
            children=children,
            days=[TODAY - timedelta(days=i) for i in range(7)],
            now=NOW,
        )


def test_compliance_sees_only_the_jurisdiction(tree, personas, two_days):
    # when: the village worker asks about the township
    _rows, total = compliance(
        user=personas.village_worker,
        unit=tree.liyu,
        children=[tree.yuetang, tree.liyujuwei],
        days=[YESTERDAY],
        now=NOW,
    )
    # then: only their own toilet counts
    assert total.sites == 1
    assert total.cell(YESTERDAY).due == 2
