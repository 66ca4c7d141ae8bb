from datetime import timedelta

from django.utils import timezone

from bastion.screening import selectors
from bastion.screening.services.sweeps import visit_record


def visit(sweep, household, result, user, hours_ago=1):
    return visit_record(
        actor=user,
        sweep=sweep,
        household=household,
        result=result,
        visited_at=timezone.now() - timedelta(hours=hours_ago),
    )[0]


def test_coverage_of_a_township_per_village(sweep, households, personas, tree):
    # given
    worker = personas.village_worker
    visit(sweep, households["a"], "visited", worker)
    visit(sweep, households["b"], "not_home", worker, hours_ago=3)
    visit(sweep, households["c"], "refused", worker)
    visit(sweep, households["d"], "not_home", personas.neighbour_worker, hours_ago=5)
    visit(sweep, households["d"], "visited", personas.neighbour_worker)
    # when
    total, rows = selectors.sweep_coverage(user=personas.township_officer, sweep=sweep)
    # then
    by_unit = {c.unit.code: c for c in rows}
    yuetang, liyujuwei = by_unit[tree.yuetang.code], by_unit[tree.liyujuwei.code]
    assert (yuetang.known, yuetang.done, yuetang.not_home, yuetang.refused) == (3, 1, 1, 1)
    assert (liyujuwei.known, liyujuwei.done, liyujuwei.to_visit) == (2, 1, 1)
    assert (total.known, total.done, total.to_visit, total.percent) == (5, 2, 3, 40)


def test_coverage_of_a_village_per_grid(sweep, households, personas, tree):
    visit(sweep, households["c"], "visited", personas.village_worker)
    total, rows = selectors.sweep_coverage(
        user=personas.village_worker, sweep=sweep, unit=tree.yuetang
    )
    by_unit = {c.unit.code: c for c in rows}
    assert (by_unit[households["grid"].code].known, by_unit[households["grid"].code].done) == (1, 1)
    assert by_unit[tree.yuetang.code].known == 2  # the households right on the village
    assert (total.known, total.done) == (3, 1)


def test_coverage_is_one_grouped_query(sweep, households, personas, django_assert_max_num_queries):
    personas.township_officer.refresh_from_db()
    # then: memberships, children, the grouped households
    with django_assert_max_num_queries(3):
        selectors.sweep_coverage(user=personas.township_officer, sweep=sweep)


def test_the_workers_list_holds_what_is_left_never_visited_first(sweep, households, personas):
    # given
    worker = personas.village_worker
    visit(sweep, households["a"], "visited", worker)
    visit(sweep, households["b"], "not_home", worker)
    # when
    todo = selectors.sweep_todo(user=worker, sweep=sweep)
    # then
    assert [t.household.address for t in todo] == ["月塘路 3 号", "月塘路 2 号"]
    assert [t.last_result for t in todo] == [None, "not_home"]


def test_a_village_worker_sees_the_township_sweep(sweep, personas):
    assert [s.pk for s in selectors.sweep_list(user=personas.village_worker)] == [sweep.pk]
    assert list(selectors.sweep_list(user=personas.outsider)) == []
