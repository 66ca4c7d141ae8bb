import itertools
import uuid
from datetime import date, timedelta

import pytest

from bastion.core.errors import ValidationError
from bastion.observation.models import (
    Alert,
    AlertKind,
    AlertStatus,
    CheckinToken,
    Observation,
    ObservationAction,
    ObservationStatus,
    Policy,
    Resolution,
)
from bastion.observation.services import (
    alerts_escalate,
    checkin_token_issue,
    observation_accept,
    observation_assign_workers,
    observation_change_period,
    observation_complete,
    observation_start,
    observation_transfer,
    observation_transition,
)
from bastion.observation.services.observations import TRANSITIONS
from bastion.observation.tests.conftest import at
from bastion.screening.models import SignalStatus
from bastion.screening.services import signal_raise

S = ObservationStatus


def errors_of(excinfo):
    return excinfo.value.message_dict


# observation_start


def test_it_starts_an_observation_with_the_policy_period(observation, personas, zhangsan):
    # then: 14 days under the default policy, day 1 is the start date
    assert observation.status == S.ACTIVE
    assert (observation.start_date, observation.planned_end) == (
        date(2020, 1, 25),
        date(2020, 2, 7),
    )
    assert observation.period_days == 14
    assert observation.day_number(on=date(2020, 2, 7)) == 14
    assert observation.unit_code == zhangsan.unit_code
    assert observation.place == "月塘路 1 号"
    assert observation.grid_worker == personas.village_worker
    assert observation.policy.pk is not None and observation.policy.version == 0
    event = observation.events.get()
    assert (event.action, event.actor) == (ObservationAction.STARTED, personas.village_worker)


def test_it_keeps_the_policy_version_it_started_under(observation, start, lisi, personas):
    # given: a new version with a 10-day period from 1 Feb
    Policy.objects.create(version=1, name="7+3", effective_from=date(2020, 2, 1), period_days=10)
    # when: a second person starts on 2 Feb
    later = start(lisi, start_date=date(2020, 2, 2), actor=personas.township_officer)
    # then
    observation.refresh_from_db()
    assert observation.policy.version == 0
    assert observation.planned_end == date(2020, 2, 7)
    assert later.policy.version == 1
    assert later.planned_end == date(2020, 2, 11)


def test_it_starts_the_household_in_one_step_and_skips_who_is_observed_already(
    family, start, personas
):
    # given: the son is under observation already
    zhangsan, wife, son = family
    start(son)
    # when
    started = observation_start(
        actor=personas.village_worker,
        person=zhangsan,
        kind="home",
        start_date=date(2020, 1, 25),
        with_household=True,
        now=at(date(2020, 1, 26)),
    )
    # then
    assert [o.person for o in started.observations] == [zhangsan, wife]
    assert started.skipped == [son]
    assert Observation.objects.filter(status=S.ACTIVE).count() == 3


def test_rejects_a_second_observation_of_the_same_person(observation, start, zhangsan):
    with pytest.raises(ValidationError) as excinfo:
        start(zhangsan, now=at(date(2020, 1, 26)))
    assert errors_of(excinfo) == {"person": ["张三已在医学观察中，不能重复纳入。"]}


def test_rejects_a_person_outside_the_jurisdiction(lisi, start):
    # when: 月塘's worker tries to start an observation in 栗雨
    with pytest.raises(ValidationError) as excinfo:
        start(lisi)
    assert errors_of(excinfo) == {"person": ["人员不存在或不在您的辖区内。"]}


@pytest.mark.parametrize(
    ("start_date", "message"),
    [
        (date(2020, 2, 2), "起算日期不能晚于今天。"),
        (date(2020, 1, 10), "从 2020-01-10 起算的 14 天观察期已经结束，无需再观察。"),
    ],
)
def test_rejects_a_start_date_in_the_future_or_a_period_already_over(
    zhangsan, personas, start_date, message
):
    with pytest.raises(ValidationError) as excinfo:
        observation_start(
            actor=personas.village_worker,
            person=zhangsan,
            kind="home",
            start_date=start_date,
            now=at(date(2020, 2, 1)),
        )
    assert errors_of(excinfo) == {"start_date": [message]}


def test_rejects_a_grid_worker_of_another_village(zhangsan, start, personas):
    with pytest.raises(ValidationError) as excinfo:
        start(zhangsan, grid_worker=personas.neighbour_worker)
    assert errors_of(excinfo) == {"grid_worker": ["该网格员不负责该村（社区），请重新选择。"]}


def test_a_replayed_client_uuid_returns_the_first_observation(zhangsan, start):
    key = uuid.uuid4()
    first = start(zhangsan, client_uuid=key)
    again = start(zhangsan, client_uuid=key, now=at(date(2020, 1, 25), "08:01"))
    assert again == first
    assert Observation.objects.count() == 1


def test_starting_from_a_signal_puts_the_signal_under_observation(tree, zhangsan, start, personas):
    # given
    signal, _ = signal_raise(unit=tree.yuetang, source="sweep", reason="武汉返乡", person=zhangsan)
    # when
    observation = start(zhangsan, signal=signal)
    # then
    signal.refresh_from_db()
    assert observation.signal == signal
    assert signal.status == SignalStatus.UNDER_OBSERVATION
    assert signal.handled_by == personas.village_worker


# the state machine

ALL = list(S.values)


def _in_state(observation, status):
    Observation.objects.filter(pk=observation.pk).update(status=status)
    observation.refresh_from_db()
    return observation


@pytest.mark.parametrize(("from_status", "to_status"), list(itertools.product(ALL, ALL)))
def test_every_transition_is_allowed_or_refused_by_the_machine(
    observation, personas, from_status, to_status
):
    # given: an observation in `from_status`, on its last day
    _in_state(observation, from_status)
    last_day = at(observation.planned_end, "10:00")
    # when
    allowed = to_status in TRANSITIONS[from_status]
    if allowed:
        result = observation_transition(
            actor=personas.village_worker,
            observation=observation,
            to_status=to_status,
            note="说明",
            now=last_day,
        )
        # then
        assert result.status == to_status
        assert result.events.last().to_status == to_status
    else:
        with pytest.raises(ValidationError) as excinfo:
            observation_transition(
                actor=personas.village_worker,
                observation=observation,
                to_status=to_status,
                note="说明",
                now=last_day,
            )
        # then
        message = errors_of(excinfo)["status"][0]
        assert message.startswith(("医学观察不能从", "该医学观察已结束"))
        observation.refresh_from_db()
        assert observation.status == from_status


def test_completes_on_the_last_day_without_a_visit_that_day(observation, check, personas):
    # given: seen every day up to the day before the last, nothing on the last day (7 Feb)
    for offset in range(13):
        check(observation, "36.5", at(observation.start_date + timedelta(days=offset), "08:30"))
    # when: the worker releases at 07:00 on the last day (SORMAS #3791)
    done = observation_complete(
        actor=personas.village_worker, observation=observation, now=at(date(2020, 2, 7), "07:00")
    )
    # then
    assert done.status == S.COMPLETED
    assert done.ended_at == at(date(2020, 2, 7), "07:00")
    # and the clock raises no missed alert for that day afterwards
    alerts_escalate(now=at(date(2020, 2, 7), "23:00"))
    assert not Alert.objects.filter(day=date(2020, 2, 7)).exists()


def test_refuses_to_complete_before_the_last_day(observation, personas):
    with pytest.raises(ValidationError) as excinfo:
        observation_complete(
            actor=personas.village_worker, observation=observation, now=at(date(2020, 2, 6))
        )
    assert errors_of(excinfo) == {
        "status": ["观察期到 2020-02-07 才满，如需提前解除请先调整观察期。"]
    }


def test_refuses_to_complete_with_an_unresolved_fever(observation, check, personas):
    check(observation, "38.1", at(date(2020, 2, 6), "08:00"))
    with pytest.raises(ValidationError) as excinfo:
        observation_complete(
            actor=personas.village_worker, observation=observation, now=at(date(2020, 2, 7))
        )
    assert errors_of(excinfo) == {"status": ["还有未处置的发热或症状预警，处置后才能期满解除。"]}


def test_completion_closes_open_missed_alerts(observation, personas):
    alerts_escalate(now=at(date(2020, 2, 6), "23:00"))
    assert Alert.objects.filter(kind=AlertKind.MISSED, status=AlertStatus.OPEN).exists()
    observation_complete(
        actor=personas.village_worker, observation=observation, now=at(date(2020, 2, 7))
    )
    assert set(Alert.objects.values_list("status", "resolution")) == {
        (AlertStatus.RESOLVED, Resolution.OBSERVATION_ENDED)
    }


@pytest.mark.parametrize("to_status", [S.LOST_TO_FOLLOW_UP, S.DIED])
def test_lost_or_died_needs_a_note(observation, personas, to_status):
    with pytest.raises(ValidationError) as excinfo:
        observation_transition(
            actor=personas.village_worker,
            observation=observation,
            to_status=to_status,
            now=at(date(2020, 1, 28)),
        )
    assert errors_of(excinfo) == {"note": ["请写明情况说明。"]}


# period changes


def test_extending_needs_a_reason_and_is_logged(observation, personas):
    with pytest.raises(ValidationError) as excinfo:
        observation_change_period(
            actor=personas.village_worker,
            observation=observation,
            planned_end=date(2020, 2, 10),
            reason=" ",
            now=at(date(2020, 1, 28)),
        )
    assert errors_of(excinfo) == {"reason": ["请写明调整原因。"]}
    # when
    changed = observation_change_period(
        actor=personas.township_officer,
        observation=observation,
        planned_end=date(2020, 2, 10),
        reason="同住人员后返乡，延长",
        now=at(date(2020, 1, 28)),
    )
    # then
    assert changed.planned_end == date(2020, 2, 10)
    event = changed.events.get(action=ObservationAction.PERIOD_CHANGED)
    assert event.note == "同住人员后返乡，延长"
    assert event.data == {"old_end": "2020-02-07", "new_end": "2020-02-10", "days": 3}
    assert event.actor == personas.township_officer


@pytest.mark.parametrize(
    ("new_end", "message"),
    [
        (date(2020, 2, 7), "期满日期没有变化。"),
        (date(2020, 1, 24), "期满日期不能早于起算日期。"),
        (date(2020, 1, 27), "缩短后的期满日期不能早于今天。"),
    ],
)
def test_rejects_impossible_period_changes(observation, personas, new_end, message):
    with pytest.raises(ValidationError) as excinfo:
        observation_change_period(
            actor=personas.village_worker,
            observation=observation,
            planned_end=new_end,
            reason="调整",
            now=at(date(2020, 1, 28)),
        )
    assert errors_of(excinfo) == {"planned_end": [message]}


def test_shortening_to_today_lets_it_complete_today(observation, personas):
    observation_change_period(
        actor=personas.township_officer,
        observation=observation,
        planned_end=date(2020, 2, 1),
        reason="执行 7+3 新方案",
        now=at(date(2020, 2, 1), "08:00"),
    )
    done = observation_complete(
        actor=personas.village_worker, observation=observation, now=at(date(2020, 2, 1), "09:00")
    )
    assert done.status == S.COMPLETED


# transfer (moved) and accept


def test_a_moved_observation_belongs_to_the_receiving_village(observation, check, personas, tree):
    # given: a check-in and a personal link
    check(observation, "36.6", at(date(2020, 1, 26), "08:00"))
    checkin_token_issue(actor=personas.village_worker, observation=observation)
    # when: 月塘 hands it to 栗雨居委会
    moved = observation_transfer(
        actor=personas.village_worker,
        observation=observation,
        to_unit=tree.liyujuwei,
        note="搬到栗雨居住",
        now=at(date(2020, 1, 27)),
    )
    # then: the unit code changed on every record, and the link is revoked
    assert moved.status == S.MOVED
    assert moved.unit_code == tree.liyujuwei.code
    assert moved.transferred_from_code == tree.yuetang.code
    assert set(moved.checkins.values_list("unit_code", flat=True)) == {tree.liyujuwei.code}
    assert not CheckinToken.objects.filter(revoked_at__isnull=True).exists()
    # and the receiving worker accepts it
    accepted = observation_accept(
        actor=personas.neighbour_worker, observation=moved, now=at(date(2020, 1, 27), "10:00")
    )
    assert accepted.status == S.ACTIVE
    assert accepted.grid_worker == personas.neighbour_worker
    assert accepted.events.last().action == ObservationAction.ACCEPTED


def test_rejects_a_transfer_to_a_township(observation, personas, tree):
    with pytest.raises(ValidationError) as excinfo:
        observation_transfer(
            actor=personas.village_worker, observation=observation, to_unit=tree.liyu, note="搬家"
        )
    assert errors_of(excinfo) == {"to_unit": ["只能转给村（社区）或网格。"]}


def test_assigns_a_health_worker_of_the_village(observation, personas, tree):
    from bastion.accounts.roles import Role
    from bastion.testing import person_of

    doctor = person_of("doctor", Role.HEALTH_WORKER, tree.liyu)
    changed = observation_assign_workers(
        actor=personas.township_officer,
        observation=observation,
        grid_worker=personas.village_worker,
        health_worker=doctor,
    )
    assert changed.health_worker == doctor
    with pytest.raises(ValidationError) as excinfo:
        observation_assign_workers(
            actor=personas.township_officer,
            observation=observation,
            grid_worker=personas.outsider,
            health_worker=doctor,
        )
    assert errors_of(excinfo) == {"grid_worker": ["该网格员不负责该村（社区），请重新选择。"]}
