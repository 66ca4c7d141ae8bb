from datetime import timedelta

from django.utils import timezone

from bastion.screening import selectors
from bastion.screening.services import signal_transition


def test_the_inbox_shows_new_first_then_verifying_the_longest_waiting_first(raise_signal, personas):
    # given
    recent = raise_signal(hours_ago=1, subject_name="新近")
    old = raise_signal(hours_ago=5, subject_name="最久")
    verifying = raise_signal(hours_ago=9, subject_name="核实中")
    signal_transition(actor=personas.village_worker, signal=verifying, to_status="verifying")
    closed = raise_signal(hours_ago=20, subject_name="已排除")
    signal_transition(
        actor=personas.village_worker, signal=closed, to_status="cleared", note="未出湘"
    )
    # when
    inbox = list(selectors.signal_inbox(user=personas.village_worker))
    # then
    assert [s.pk for s in inbox] == [old.pk, recent.pk, verifying.pk]


def test_the_inbox_holds_only_the_users_villages(raise_signal, personas, tree):
    # given
    mine = raise_signal(unit=tree.yuetang)
    raise_signal(unit=tree.liyujuwei)
    raise_signal(unit=tree.wenhualu)
    # when
    inbox = list(selectors.signal_inbox(user=personas.village_worker))
    township = selectors.signal_inbox(user=personas.township_officer)
    # then
    assert [s.pk for s in inbox] == [mine.pk]
    assert township.count() == 2


def test_a_forwarded_signal_appears_in_the_target_villages_inbox(raise_signal, personas, tree):
    # given
    signal = raise_signal(unit=tree.yuetang)
    # when
    signal_transition(
        actor=personas.village_worker,
        signal=signal,
        to_status="forwarded",
        forwarded_to=tree.wenhualu,
    )
    # then
    [forward] = selectors.signal_inbox(user=personas.outsider)
    assert forward.forwarded_from_id == signal.pk
    assert list(selectors.signal_inbox(user=personas.village_worker)) == []


def test_waits_per_village_count_open_and_new_and_the_recent_latency(raise_signal, personas, tree):
    # given
    now = timezone.now()
    raise_signal(unit=tree.yuetang, hours_ago=6)
    second = raise_signal(unit=tree.yuetang, hours_ago=2)
    signal_transition(actor=personas.village_worker, signal=second, to_status="verifying")
    handled = raise_signal(unit=tree.liyujuwei, found_at=now - timedelta(hours=4))
    signal_transition(
        actor=personas.neighbour_worker,
        signal=handled,
        to_status="not_found",
        now=now - timedelta(hours=1),
    )
    # when
    rows = {
        r.unit.code: r
        for r in selectors.signal_waits(user=personas.township_officer, unit=tree.liyu, now=now)
    }
    # then
    yuetang, liyujuwei = rows[tree.yuetang.code], rows[tree.liyujuwei.code]
    assert (yuetang.open, yuetang.new, yuetang.handled) == (2, 1, 0)
    assert round(yuetang.longest_wait(now).total_seconds() / 3600) == 6
    assert (liyujuwei.open, liyujuwei.handled, liyujuwei.avg_handling_seconds) == (0, 1, 3 * 3600)


def test_waits_take_two_queries_whatever_the_number_of_villages(
    raise_signal, personas, tree, django_assert_max_num_queries
):
    # given
    for unit in (tree.yuetang, tree.liyujuwei):
        raise_signal(unit=unit)
    personas.township_officer.refresh_from_db()
    # then: memberships, children, open counts, handled counts
    with django_assert_max_num_queries(4):
        selectors.signal_waits(user=personas.township_officer, unit=tree.liyu)


def test_the_inbox_lists_in_constant_queries(raise_signal, personas, django_assert_max_num_queries):
    # given
    for _ in range(5):
        raise_signal()
    # then
    with django_assert_max_num_queries(2):
        rows = list(selectors.signal_inbox(user=personas.village_worker))
        [(s.unit.name, s.person, s.forwarded_to) for s in rows]
