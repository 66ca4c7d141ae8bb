from datetime import timedelta

import pytest
from django.utils import timezone

from bastion.core.errors import StaleVersion, ValidationError
from bastion.screening.models import Signal, SignalSource, SignalStatus
from bastion.screening.services import signal_raise, signal_transition

FOUND = timezone.now().replace(microsecond=0) - timedelta(hours=3)


@pytest.fixture
def signal(tree, personas):
    signal, _ = signal_raise(
        unit=tree.yuetang,
        source=SignalSource.SWEEP,
        reason="武汉返乡",
        subject_name="王五",
        subject_mobile="13900000001",
        found_at=FOUND,
        actor=personas.village_worker,
    )
    return signal


def test_it_takes_a_new_signal_into_verification(signal, personas):
    # when
    moved = signal_transition(
        actor=personas.village_worker, signal=signal, to_status=SignalStatus.VERIFYING
    )
    # then
    assert moved.status == SignalStatus.VERIFYING and moved.version == 2
    assert moved.handled_at is None and moved.handling_seconds is None
    assert [e.status for e in moved.events.all()] == ["new", "verifying"]


@pytest.mark.parametrize(
    "closed", [SignalStatus.UNDER_OBSERVATION, SignalStatus.CLEARED, SignalStatus.NOT_FOUND]
)
def test_it_closes_a_verifying_signal_and_stores_the_latency(signal, personas, closed):
    # given
    signal = signal_transition(
        actor=personas.village_worker, signal=signal, to_status=SignalStatus.VERIFYING
    )
    handled = FOUND + timedelta(hours=2, minutes=30)
    # when
    moved = signal_transition(
        actor=personas.village_worker, signal=signal, to_status=closed, note="核实", now=handled
    )
    # then
    assert moved.status == closed and moved.version == 3
    assert moved.handled_at == handled and moved.handled_by == personas.village_worker
    assert moved.handling_seconds == 9000
    assert [e.status for e in moved.events.order_by("id")] == ["new", "verifying", closed]


def test_closing_a_new_signal_passes_through_verifying(signal, personas):
    # when
    moved = signal_transition(
        actor=personas.village_worker, signal=signal, to_status=SignalStatus.UNDER_OBSERVATION
    )
    # then
    assert moved.status == SignalStatus.UNDER_OBSERVATION
    assert [e.status for e in moved.events.all()] == ["new", "verifying", "under_observation"]


def test_it_forwards_to_another_village_which_then_has_a_new_signal(signal, personas, tree):
    # when
    moved = signal_transition(
        actor=personas.village_worker,
        signal=signal,
        to_status=SignalStatus.FORWARDED,
        forwarded_to=tree.wenhualu,
        note="实际住在文化路",
    )
    # then
    assert moved.status == SignalStatus.FORWARDED and moved.forwarded_to == tree.wenhualu
    forward = Signal.objects.get(forwarded_from=moved)
    assert forward.unit_code == tree.wenhualu.code and forward.status == SignalStatus.NEW
    assert forward.found_at == FOUND and forward.subject_mobile == "13900000001"
    assert forward.events.get().note == "由月塘居委会转来：实际住在文化路"


def test_rejects_a_forward_without_a_target(signal, personas):
    with pytest.raises(ValidationError) as e:
        signal_transition(
            actor=personas.village_worker, signal=signal, to_status=SignalStatus.FORWARDED
        )
    assert e.value.message_dict == {"forwarded_to": ["请选择要转交的村（社区）。"]}


def test_rejects_a_forward_to_a_township(signal, personas, tree):
    with pytest.raises(ValidationError) as e:
        signal_transition(
            actor=personas.village_worker,
            signal=signal,
            to_status=SignalStatus.FORWARDED,
            forwarded_to=tree.liyu,
        )
    assert e.value.message_dict == {"forwarded_to": ["只能转交给村（社区）或网格。"]}


def test_rejects_a_forward_to_its_own_village(signal, personas, tree):
    with pytest.raises(ValidationError) as e:
        signal_transition(
            actor=personas.village_worker,
            signal=signal,
            to_status=SignalStatus.FORWARDED,
            forwarded_to=tree.yuetang,
        )
    assert e.value.message_dict == {"forwarded_to": ["不能转交给线索所在的单元。"]}


def test_rejects_clearing_without_a_reason(signal, personas):
    with pytest.raises(ValidationError) as e:
        signal_transition(
            actor=personas.village_worker, signal=signal, to_status=SignalStatus.CLEARED
        )
    assert e.value.message_dict == {"note": ["请写明排除的理由。"]}


def test_rejects_any_change_after_a_closed_status(signal, personas):
    # given
    closed = signal_transition(
        actor=personas.village_worker, signal=signal, to_status=SignalStatus.NOT_FOUND
    )
    # when
    with pytest.raises(ValidationError) as e:
        signal_transition(
            actor=personas.village_worker, signal=closed, to_status=SignalStatus.VERIFYING
        )
    # then
    assert e.value.message_dict == {"to_status": ["该线索已处置（查无此人），不能再改变状态。"]}


def test_rejects_going_back_to_new(signal, personas):
    with pytest.raises(ValidationError) as e:
        signal_transition(actor=personas.village_worker, signal=signal, to_status="new")
    assert e.value.message_dict == {"to_status": ["线索不能从“新线索”改为“新线索”。"]}


def test_rejects_an_unknown_status(signal, personas):
    with pytest.raises(ValidationError) as e:
        signal_transition(actor=personas.village_worker, signal=signal, to_status="lost")
    assert e.value.message_dict == {"to_status": ["未知的线索状态。"]}


def test_a_stale_copy_writes_nothing_and_carries_the_current_row(signal, personas):
    # given two workers holding version 1; the first one moves the signal
    stale = Signal.objects.get(pk=signal.pk)
    signal_transition(actor=personas.village_worker, signal=signal, to_status="verifying")
    # when
    with pytest.raises(StaleVersion) as e:
        signal_transition(actor=personas.village_worker, signal=stale, to_status="not_found")
    # then
    assert e.value.current.status == SignalStatus.VERIFYING and e.value.current.version == 2
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.VERIFYING
