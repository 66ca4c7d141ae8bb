"""The clock: missed check-ins when a slot's window closes, escalation of unacknowledged
alerts, the outbox. Every test sets the clock by passing `now`."""

from datetime import date, timedelta

import pytest

from bastion.accounts.roles import Role
from bastion.core.errors import ValidationError
from bastion.observation.models import (
    Alert,
    AlertKind,
    AlertLevel,
    AlertStatus,
    Notification,
    NotificationStatus,
    Resolution,
)
from bastion.observation.notify import ConsoleSender, SmsSender
from bastion.observation.services import (
    alert_acknowledge,
    alert_resolve,
    alerts_escalate,
    outbox_deliver,
)
from bastion.observation.tests.conftest import at
from bastion.testing import person_of

DAY = date(2020, 1, 27)


def missed_slots():
    return sorted(Alert.objects.filter(kind=AlertKind.MISSED).values_list("day", "slot"), key=str)


# missed check-ins


def test_a_missed_alert_is_raised_when_the_window_closes_not_before(observation, check):
    # given: seen every slot up to 26 Jan
    for offset in range(2):
        day = observation.start_date + timedelta(days=offset)
        check(observation, "36.5", at(day, "08:00"))
        check(observation, "36.5", at(day, "17:00"))
    # when: 27 Jan, 11:59 — the morning window (06:00–12:00) is still open
    assert alerts_escalate(now=at(DAY, "11:59")).missed == 0
    # then at 12:00 it closes
    assert alerts_escalate(now=at(DAY, "12:00")).missed == 1
    assert missed_slots() == [(DAY, "morning")]


def test_the_clock_is_idempotent(observation):
    first = alerts_escalate(now=at(DAY, "23:00"))
    again = alerts_escalate(now=at(DAY, "23:00"))
    # 25 Jan morning was open when the observation started (08:00): it was due
    assert first.missed == 6
    assert again.missed == 0
    assert Alert.objects.count() == 6


def test_a_slot_that_closed_before_the_start_was_never_due(zhangsan, start):
    # given: started at 14:00 on 25 Jan, after the morning window closed
    start(zhangsan, now=at(date(2020, 1, 25), "14:00"))
    # when
    alerts_escalate(now=at(date(2020, 1, 25), "23:00"))
    # then
    assert missed_slots() == [(date(2020, 1, 25), "evening")]


def test_an_unavailable_attempt_still_misses_a_refusal_does_not(observation, check):
    check(observation, None, at(DAY, "08:00"), outcome="unavailable", note="无人应门")
    check(observation, None, at(DAY, "17:00"), outcome="uncooperative", note="拒绝开门")
    alerts_escalate(now=at(DAY, "23:00"))
    assert (DAY, "morning") in missed_slots()
    assert (DAY, "evening") not in missed_slots()


def test_missed_alerts_notify_the_grid_worker_once_per_run(observation, personas):
    alerts_escalate(now=at(DAY, "23:00"))
    note = Notification.objects.get(recipient=personas.village_worker)
    assert note.text == "【漏报】6 次体温未按时上报（张*），请尽快联系核实。"


# escalation


@pytest.fixture
def officers(tree):
    return {
        "township_doctor": person_of("th", Role.HEALTH_WORKER, tree.liyu),
        "county_doctor": person_of("ch", Role.HEALTH_WORKER, tree.tianyuan),
    }


def test_an_unacknowledged_fever_rises_to_the_township_then_the_county(
    observation, check, personas, officers
):
    # given: a fever at 08:00; the policy escalates after 120 minutes
    check(observation, "38.1", at(DAY, "08:00"))
    alert = Alert.objects.get()
    Notification.objects.all().delete()
    # when: 09:59 — not yet
    assert alerts_escalate(now=at(DAY, "09:59")).to_township == 0
    # then: 10:00 — the township
    result = alerts_escalate(now=at(DAY, "10:00"))
    alert.refresh_from_db()
    assert (result.to_township, alert.level) == (1, AlertLevel.TOWNSHIP)
    assert alert.escalated_at == at(DAY, "10:00")
    assert set(Notification.objects.filter(alert=alert).values_list("recipient", flat=True)) == {
        personas.township_officer.pk,
        officers["township_doctor"].pk,
    }
    assert alerts_escalate(now=at(DAY, "10:30")).to_township == 0
    # and 12:00 — the county
    Notification.objects.all().delete()
    result = alerts_escalate(now=at(DAY, "12:00"))
    alert.refresh_from_db()
    assert (result.to_county, alert.level) == (1, AlertLevel.COUNTY)
    assert set(Notification.objects.filter(alert=alert).values_list("recipient", flat=True)) == {
        personas.county_officer.pk,
        officers["county_doctor"].pk,
    }
    assert Notification.objects.filter(alert=alert).first().text == (
        "【预警上报】月塘居委会 张*的发热预警已 240 分钟无人确认，请督促处置。"
    )


def test_an_alert_found_late_goes_straight_to_the_county(observation, check):
    check(observation, "38.1", at(DAY, "08:00"))
    result = alerts_escalate(now=at(DAY, "15:00"))
    assert (result.to_township, result.to_county) == (0, 1)


def test_an_acknowledged_alert_does_not_escalate(observation, check, personas):
    check(observation, "38.1", at(DAY, "08:00"))
    alert = Alert.objects.get()
    alert_acknowledge(actor=personas.village_worker, alert=alert, now=at(DAY, "08:20"))
    alerts_escalate(now=at(DAY, "15:00"))
    alert.refresh_from_db()
    assert (alert.status, alert.level) == (AlertStatus.ACKNOWLEDGED, AlertLevel.VILLAGE)
    assert alert.acknowledged_at == at(DAY, "08:20")
    # acknowledging twice keeps the first time
    alert_acknowledge(actor=personas.township_officer, alert=alert, now=at(DAY, "09:00"))
    alert.refresh_from_db()
    assert alert.acknowledged_by == personas.village_worker


def test_resolving_needs_a_result_and_a_note(observation, check, personas):
    check(observation, "37.5", at(DAY, "08:00"))
    alert = Alert.objects.get()
    with pytest.raises(ValidationError) as excinfo:
        alert_resolve(actor=personas.village_worker, alert=alert, resolution="referred", note="")
    assert excinfo.value.message_dict == {
        "resolution": ["请选择处置结果：复测正常或已联系处置。"],
        "note": ["请简要写明处置情况。"],
    }
    done = alert_resolve(
        actor=personas.village_worker,
        alert=alert,
        resolution=Resolution.RECHECKED_NORMAL,
        note="半小时后腋温复测 36.9",
        now=at(DAY, "08:40"),
    )
    assert (done.status, done.acknowledged_at) == (AlertStatus.RESOLVED, at(DAY, "08:40"))
    # a new fever after the resolution is a new alert
    check(observation, "38.0", at(DAY, "17:00"))
    assert Alert.objects.filter(status=AlertStatus.OPEN).count() == 1


# the outbox


def test_the_outbox_sends_through_the_configured_sender(observation, check, settings, capsys):
    settings.BASTION_NOTIFY_SENDER = "bastion.observation.notify.ConsoleSender"
    check(observation, "38.1", at(DAY, "08:00"))
    assert outbox_deliver(now=at(DAY, "08:01")) == 1
    assert "【发热预警】月塘居委会 张*" in capsys.readouterr().out
    note = Notification.objects.get()
    assert (note.status, note.sender, note.attempts) == (NotificationStatus.SENT, "console", 1)
    assert outbox_deliver(now=at(DAY, "08:02")) == 0


class BrokenGateway:
    def send_sms(self, *, mobile, text):
        raise ConnectionError("网关超时")


class FailingSender(SmsSender):
    def __init__(self):
        super().__init__(BrokenGateway())


def test_a_failing_sender_is_retried_then_given_up(observation, check, settings):
    settings.BASTION_NOTIFY_SENDER = "bastion.observation.tests.test_services_alerts.FailingSender"
    check(observation, "38.1", at(DAY, "08:00"))
    for _ in range(5):
        outbox_deliver()
    note = Notification.objects.get()
    assert (note.status, note.attempts, note.last_error) == (
        NotificationStatus.FAILED,
        5,
        "网关超时",
    )


def test_console_sender_is_a_sender():
    assert ConsoleSender().name == "console"
