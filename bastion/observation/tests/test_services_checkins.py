import threading
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from bastion.core.errors import ValidationError
from bastion.observation.models import (
    Alert,
    AlertKind,
    AlertStatus,
    CheckIn,
    CheckinToken,
    Notification,
    Observation,
    ObservationStatus,
    Resolution,
)
from bastion.observation.services import (
    checkin_record,
    checkin_token_find,
    checkin_token_hit,
    checkin_token_issue,
    checkin_tokens_revoke,
    observation_complete,
)
from bastion.observation.services.checkins import RATE_LIMIT
from bastion.observation.tests.conftest import at

DAY = date(2020, 1, 27)


def errors_of(excinfo):
    return excinfo.value.message_dict


def test_it_records_a_check_in_in_its_slot(observation, check, personas):
    # when
    checkin = check(observation, "36,5", at(DAY, "07:40"), actor=personas.village_worker)
    # then
    assert (checkin.day, checkin.slot) == (DAY, "morning")
    assert checkin.temperature == Decimal("36.5")
    assert checkin.unit_code == observation.unit_code
    assert not checkin.is_fever and checkin.is_ok
    observation.refresh_from_db()
    assert observation.last_checkin_at == at(DAY, "07:40")
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("clock", "slot", "day"),
    [
        ("05:30", "morning", DAY),  # early: before the first window opens
        ("13:00", "morning", DAY),  # a late morning report
        ("16:00", "evening", DAY),
        ("23:30", "evening", DAY),
    ],
)
def test_a_measurement_counts_for_the_last_slot_opened(observation, check, clock, slot, day):
    checkin = check(observation, "36.5", at(DAY, clock))
    assert (checkin.day, checkin.slot) == (day, slot)


def test_the_same_check_in_sent_three_times_is_stored_once(observation, check):
    key = uuid.uuid4()
    first = check(observation, "36.5", at(DAY, "08:00"), client_uuid=key)
    for _ in range(2):
        again = check(observation, "36.9", at(DAY, "08:01"), client_uuid=key)
        assert again == first
    assert CheckIn.objects.count() == 1
    assert CheckIn.objects.get().temperature == Decimal("36.5")


def test_a_replay_after_the_end_still_answers_the_first_record(observation, check, personas):
    # given: a check-in stored, then the observation ended
    key = uuid.uuid4()
    first = check(observation, "36.5", at(date(2020, 2, 6), "08:00"), client_uuid=key)
    observation_complete(
        actor=personas.village_worker, observation=observation, now=at(date(2020, 2, 7), "07:00")
    )
    # when: the phone resends it (now refused as a new check-in, even with a typo)
    again = check(observation, "3.65", at(date(2020, 2, 7), "08:00"), client_uuid=key)
    # then: the replay is answered, not refused
    assert again == first
    assert CheckIn.objects.count() == 1


def test_a_client_uuid_of_another_observation_is_refused(observation, check, start, family):
    key = uuid.uuid4()
    check(observation, "36.5", at(DAY, "08:00"), client_uuid=key)
    other = start(family[1])
    with pytest.raises(ValidationError) as excinfo:
        check(other, "36.5", at(DAY, "08:00"), client_uuid=key)
    assert errors_of(excinfo) == {"client_uuid": ["该 client_uuid 已用于另一位观察对象的记录。"]}


@pytest.mark.parametrize(
    ("temperature", "message"),
    [
        ("3.65", "体温 3.65 °C 不可能：是否小数点点错了位置（36.5 °C）？请核对后重新填写。"),
        ("365", "体温 365 °C 不可能：是否漏了小数点（36.5 °C）？请核对后重新填写。"),
        ("45", "体温 45 °C 超出合理范围（34.0–43.0 °C），请重新测量。"),
        ("-1", "体温不能是负数。"),
        ("发烧", "体温应为数字，例如 36.5。"),
        ("", "请填写体温。"),
    ],
)
def test_a_typo_never_becomes_a_fever_alert(observation, check, temperature, message):
    with pytest.raises(ValidationError) as excinfo:
        check(observation, temperature, at(DAY, "08:00"))
    assert errors_of(excinfo) == {"temperature": [message]}
    assert not CheckIn.objects.exists()
    assert not Alert.objects.exists()


def test_rejects_a_measurement_in_the_future(observation, check):
    with pytest.raises(ValidationError) as excinfo:
        check(observation, "36.5", at(DAY, "09:00"), now=at(DAY, "08:00"))
    assert errors_of(excinfo) == {"measured_at": ["测量时间不能晚于现在，请检查手机时间。"]}


def test_accepts_a_phone_clock_a_little_ahead(observation, check):
    checkin = check(observation, "36.5", at(DAY, "08:04"), now=at(DAY, "08:00"))
    assert checkin.pk


def test_rejects_a_check_in_after_the_period_or_after_the_end(observation, check, personas):
    with pytest.raises(ValidationError) as excinfo:
        check(observation, "36.5", at(date(2020, 2, 8), "08:00"))
    assert errors_of(excinfo) == {"measured_at": ["观察期已于 02月07日 期满，不能再记录体温。"]}
    observation_complete(
        actor=personas.village_worker, observation=observation, now=at(date(2020, 2, 7), "07:00")
    )
    with pytest.raises(ValidationError) as excinfo:
        check(observation, "36.5", at(date(2020, 2, 7), "08:00"))
    assert errors_of(excinfo) == {"observation": ["该医学观察期满解除，不能再记录体温。"]}


def test_rejects_a_measurement_before_the_start(observation, check):
    with pytest.raises(ValidationError) as excinfo:
        check(observation, "36.5", at(date(2020, 1, 24), "20:00"))
    assert errors_of(excinfo) == {"measured_at": ["测量时间早于观察起算日期（01月25日）。"]}


def test_rejects_missing_site_and_unknown_symptoms(observation, check):
    with pytest.raises(ValidationError) as excinfo:
        check(observation, "36.5", at(DAY, "08:00"), site="", symptoms=["cough", "hiccup"])
    assert errors_of(excinfo) == {
        "site": ["请选择测量部位：额温、腋温、耳温或口温。"],
        "symptoms": ["未知的症状：hiccup。"],
    }


def test_an_unavailable_visit_needs_a_note_and_stores_no_temperature(observation, check):
    with pytest.raises(ValidationError) as excinfo:
        check(observation, None, at(DAY, "08:00"), outcome="unavailable")
    assert errors_of(excinfo) == {"note": ["请简要写明情况，例如“电话无人接听”。"]}
    checkin = check(observation, "36.5", at(DAY, "08:00"), outcome="unavailable", note="无人应门")
    assert checkin.temperature is None and checkin.site == ""
    observation.refresh_from_db()
    assert observation.last_checkin_at is None


# alerts raised inside the check-in


def test_a_fever_raises_one_alert_at_once_and_notifies(observation, check, personas, tree):
    # given: the township health centre has a doctor
    from bastion.accounts.roles import Role
    from bastion.testing import person_of

    doctor = person_of("doctor", Role.HEALTH_WORKER, tree.liyu)
    # when
    checkin = check(observation, "38.1", at(DAY, "08:00"))
    # then
    alert = Alert.objects.get()
    assert (alert.kind, alert.status, alert.level) == (AlertKind.FEVER, "open", "village")
    assert alert.checkin == checkin and alert.temperature == Decimal("38.1")
    assert alert.raised_at == at(DAY, "08:00")
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {personas.village_worker.pk, doctor.pk}
    assert Notification.objects.first().text == (
        "【发热预警】月塘居委会 张*：体温 38.1 °C，请立即核实处置。"
    )
    # and a second fever adds no second alert
    check(observation, "38.3", at(DAY, "17:00"))
    assert Alert.objects.count() == 1


def test_the_fever_threshold_is_inclusive(observation, check):
    assert check(observation, "37.3", at(DAY, "08:00")).is_fever
    assert not check(observation, "37.2", at(DAY, "17:00")).is_fever


def test_a_symptom_and_a_refusal_raise_their_alerts(observation, check):
    check(observation, "36.8", at(DAY, "08:00"), symptoms=["cough"])
    check(observation, None, at(DAY, "17:00"), outcome="uncooperative", note="拒绝测温")
    assert set(Alert.objects.values_list("kind", flat=True)) == {
        AlertKind.SYMPTOM,
        AlertKind.REFUSED,
    }


def test_a_correction_replaces_a_typo_and_resolves_its_alert(observation, check):
    # given: 38.5 typed for 36.5
    wrong = check(observation, "38.5", at(DAY, "08:00"))
    # when
    fixed = check(observation, "36.5", at(DAY, "08:00"), corrects=wrong)
    # then
    assert fixed.corrects == wrong
    alert = Alert.objects.get()
    assert (alert.status, alert.resolution) == (AlertStatus.RESOLVED, Resolution.CORRECTED)
    # and a check-in is corrected only once
    with pytest.raises(ValidationError) as excinfo:
        check(observation, "36.6", at(DAY, "08:00"), corrects=wrong)
    assert errors_of(excinfo) == {"corrects": ["这条记录已经更正过，请更正最新的那条。"]}


def test_being_seen_again_answers_the_missed_alerts(observation, check):
    from bastion.observation.services import alerts_escalate

    # given: nothing since the start on 25 Jan; the clock raised six missed alerts by 27 Jan
    alerts_escalate(now=at(DAY, "23:00"))
    assert Alert.objects.filter(status=AlertStatus.OPEN).count() == 6
    # when: seen on the morning of 28 Jan
    check(observation, "36.5", at(DAY + timedelta(days=1), "07:00"))
    # then
    assert set(Alert.objects.values_list("status", "resolution")) == {
        (AlertStatus.RESOLVED, Resolution.LATE_CHECKIN)
    }


def test_a_late_check_in_resolves_its_missed_alert(observation, check):
    from bastion.observation.services import alerts_escalate

    alerts_escalate(now=at(DAY, "12:00"))
    missed = Alert.objects.get(kind=AlertKind.MISSED, day=DAY, slot="morning")
    check(observation, "36.5", at(DAY, "12:30"))
    missed.refresh_from_db()
    assert (missed.status, missed.resolution) == (AlertStatus.RESOLVED, Resolution.LATE_CHECKIN)


def test_a_normal_check_in_is_two_queries(observation, check, django_assert_num_queries):
    # given: seen last evening
    check(observation, "36.5", at(DAY - timedelta(days=1), "20:00"))
    obs = Observation.objects.select_related("policy", "person", "unit").get(pk=observation.pk)
    # insert, last check-in update (+ the savepoint pair around them): no UUID look-up; on
    # PostgreSQL the two are one statement (decision 0007)
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 4):
        checkin_record(
            observation=obs,
            client_uuid=uuid.uuid4(),
            source="phone",
            temperature="36.6",
            site="forehead",
            measured_at=at(DAY, "08:00"),
            now=at(DAY, "08:00"),
        )


# personal links


def test_a_link_is_stored_hashed_and_can_be_revoked(observation, personas):
    token, raw = checkin_token_issue(actor=personas.village_worker, observation=observation)
    assert len(raw) >= 40
    assert raw not in token.token_hash
    assert checkin_token_find(raw) == token
    assert checkin_token_find(raw + "x") is None
    checkin_tokens_revoke(actor=personas.village_worker, observation=observation)
    assert checkin_token_find(raw) is None


def test_a_link_is_rate_limited_per_hour(observation, personas):
    token, _raw = checkin_token_issue(actor=personas.village_worker, observation=observation)
    now = at(DAY, "08:00")
    assert all(checkin_token_hit(token=token, now=now) for _ in range(RATE_LIMIT))
    assert not checkin_token_hit(token=token, now=now + timedelta(minutes=30))
    assert checkin_token_hit(token=token, now=now + timedelta(minutes=61))


def test_no_link_for_an_ended_observation(observation, personas):
    Observation.objects.filter(pk=observation.pk).update(status=ObservationStatus.COMPLETED)
    observation.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        checkin_token_issue(actor=personas.village_worker, observation=observation)
    assert errors_of(excinfo) == {"observation": ["只有观察中的对象才能生成自报二维码。"]}
    assert not CheckinToken.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_twins_store_one_check_in(observation):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    key = uuid.uuid4()
    results, errors = [], []
    barrier = threading.Barrier(3)

    def send():
        from django.db import connection as thread_connection

        try:
            obs = Observation.objects.select_related("policy", "person", "unit").get(
                pk=observation.pk
            )
            barrier.wait()
            results.append(
                checkin_record(
                    observation=obs,
                    client_uuid=key,
                    source="self",
                    temperature="38.1",
                    site="forehead",
                    measured_at=at(DAY, "08:00"),
                    now=at(DAY, "08:00"),
                )
            )
        except Exception as e:
            errors.append(e)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert CheckIn.objects.count() == 1
    assert Alert.objects.count() == 1
    assert sorted(created for _c, created in results) == [False, False, True]
    assert len({c.pk for c, _created in results}) == 1
