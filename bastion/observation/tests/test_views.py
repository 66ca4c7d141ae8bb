"""Pages of the observation app, as the personas see them. Out of jurisdiction is 404."""

import re
import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from bastion.audit.models import AccessLog
from bastion.observation.models import (
    Alert,
    AlertStatus,
    Case,
    CheckIn,
    CheckinToken,
    Observation,
    ObservationStatus,
    Policy,
)
from bastion.observation.services import alerts_escalate, checkin_token_issue, observation_start
from bastion.observation.tests.conftest import ID_ZHANGSAN


@pytest.fixture
def today_obs(zhangsan, family, personas):
    """张三 under home observation since yesterday, with his household."""
    started = observation_start(
        actor=personas.village_worker,
        person=zhangsan,
        kind="home",
        start_date=timezone.localdate() - timedelta(days=1),
        now=timezone.now() - timedelta(days=1),
    )
    return started.observations[0]


def test_the_detail_page_shows_the_grid_and_the_quick_buttons(today_obs, client_of, personas):
    # when
    response = client_of(personas.village_worker).get(f"/observation/{today_obs.pk}/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="day-grid"' in html and 'data-temp="36.5"' in html
    assert 'id="chart-data"' in html and "echarts.min.js" in html
    assert ID_ZHANGSAN not in html
    assert AccessLog.objects.filter(object_type="observation", action="view").exists()


def test_it_answers_404_out_of_jurisdiction(today_obs, client_of, personas):
    outsider = client_of(personas.outsider)
    assert outsider.get(f"/observation/{today_obs.pk}/").status_code == 404
    assert outsider.post(f"/observation/{today_obs.pk}/checkin/", {}).status_code == 404
    neighbour = client_of(personas.neighbour_worker)
    assert neighbour.get(f"/observation/{today_obs.pk}/").status_code == 404
    assert neighbour.get("/observation/units/430211003016/").status_code == 404


def test_a_quick_tap_records_a_normal_check_in_once(today_obs, client_of, personas):
    # given
    client = client_of(personas.village_worker)
    data = {
        "client_uuid": str(uuid.uuid4()),
        "source": "visit",
        "site": "forehead",
        "outcome": "cooperative",
        "temperature": "36.5",
    }
    # when: a double tap
    first = client.post(f"/observation/{today_obs.pk}/checkin/", data)
    second = client.post(f"/observation/{today_obs.pk}/checkin/", data)
    # then
    assert first.status_code == second.status_code == 302
    assert CheckIn.objects.count() == 1
    page = client.get(f"/observation/{today_obs.pk}/").content.decode()
    assert "已记录 36.5 °C" in page


def test_a_typo_is_shown_beside_the_field(today_obs, client_of, personas):
    response = client_of(personas.village_worker).post(
        f"/observation/{today_obs.pk}/checkin/",
        {
            "client_uuid": str(uuid.uuid4()),
            "source": "phone",
            "site": "armpit",
            "outcome": "cooperative",
            "temperature": "365",
        },
    )
    assert response.status_code == 422
    assert "体温 365 °C 不可能：是否漏了小数点（36.5 °C）？请核对后重新填写。" in (
        response.content.decode()
    )
    assert not CheckIn.objects.exists() and not Alert.objects.exists()


def test_starting_with_the_household_from_the_page(zhangsan, family, client_of, personas):
    client = client_of(personas.village_worker)
    page = client.get(f"/observation/new/{zhangsan.pk}/")
    assert page.status_code == 200 and "王芳" in page.content.decode()
    response = client.post(
        f"/observation/new/{zhangsan.pk}/",
        {
            "kind": "home",
            "start_date": timezone.localdate().isoformat(),
            "with_household": "on",
            "grid_worker": str(personas.village_worker.pk),
            "client_uuid": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert Observation.objects.filter(status=ObservationStatus.ACTIVE).count() == 3
    # and a second visit to the start page leads to the running observation
    again = client.get(f"/observation/new/{zhangsan.pk}/")
    assert again.status_code == 302 and re.match(r"^/observation/\d+/$", again.url)


def test_the_today_screen_lists_who_is_due_and_who_missed(today_obs, client_of, personas):
    response = client_of(personas.village_worker).get("/observation/")
    assert response.status_code == 200
    html = response.content.decode()
    # yesterday's slots were not filled: missed
    assert f'data-missed="{today_obs.pk}"' in html


def test_the_today_screen_lists_a_bounded_number_and_counts_all(
    zhangsan, family, client_of, personas, monkeypatch
):
    from bastion.observation.selectors import dashboard

    # given three people under observation since yesterday (so each missed a slot), and a
    # screen that lists one person per list and reads at most two observations
    observation_start(
        actor=personas.village_worker,
        person=zhangsan,
        kind="home",
        start_date=timezone.localdate() - timedelta(days=1),
        now=timezone.now() - timedelta(days=1),
        with_household=True,
    )
    monkeypatch.setattr(dashboard, "TODAY_SHOWN", 1)
    monkeypatch.setattr(dashboard, "TODAY_LIMIT", 2)

    # when the worker opens the today screen
    html = client_of(personas.village_worker).get("/observation/").content.decode()

    # then one is listed, the other counted as not listed, and the cap is said
    assert html.count("data-missed=") == 1
    assert re.search(r'data-hidden="missed">还有 1 人漏报未列出', html)
    assert re.search(r'data-count="missed">2<', html)
    assert re.search(r'data-count="active">2\+<', html)
    assert 'id="today-capped"' in html


def test_the_today_screen_survives_an_observation_ended_while_it_reads(
    today_obs, client_of, personas, monkeypatch
):
    from bastion.observation.selectors import dashboard

    # given an observation that another officer ends after the screen found it missed a slot,
    # before it reads the rows of those it lists
    found = dashboard._open_slots

    def then_ended(*args, **kwargs):
        result = found(*args, **kwargs)
        Observation.objects.filter(pk=today_obs.pk).update(status=ObservationStatus.COMPLETED)
        return result

    monkeypatch.setattr(dashboard, "_open_slots", then_ended)
    # when
    response = client_of(personas.village_worker).get("/observation/")
    # then the screen answers, counts what it found, and lists nobody it cannot show
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-missed="{today_obs.pk}"' not in html
    assert re.search(r'data-count="missed">1<', html)


def test_the_door_notice_has_a_qr_code_and_no_personal_data(today_obs, client_of, personas):
    response = client_of(personas.village_worker).post(
        f"/observation/{today_obs.pk}/notice/", {"size": "a4"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "返乡人员医学观察点" in html and "<svg" in html
    assert "13800000001" in html  # the grid worker's phone, to call
    assert ID_ZHANGSAN not in html and "张三" not in html and "13800138000" not in html
    assert "notice-a4.css" in html
    assert CheckinToken.objects.filter(observation=today_obs).count() == 1


def test_acknowledge_and_refer_from_the_alert(today_obs, client_of, personas):
    # given: a fever
    client = client_of(personas.village_worker)
    client.post(
        f"/observation/{today_obs.pk}/checkin/",
        {
            "client_uuid": str(uuid.uuid4()),
            "source": "visit",
            "site": "armpit",
            "outcome": "cooperative",
            "temperature": "38.1",
        },
    )
    alert = Alert.objects.get()
    # when
    client.post(f"/observation/alerts/{alert.pk}/acknowledge/")
    response = client.post(
        f"/observation/{today_obs.pk}/refer/?alert={alert.pk}",
        {"referred_to": "市中心医院发热门诊", "client_uuid": str(uuid.uuid4())},
    )
    # then
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/observation/cases/{case.pk}/"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert client.get(response.url).status_code == 200


def test_the_unit_page_counts_per_child(today_obs, client_of, personas):
    response = client_of(personas.township_officer).get("/observation/units/430211003000/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-unit="430211003016"' in html
    assert 'data-total="active">1<' in html


def test_the_alert_inbox_and_list_are_scoped(today_obs, client_of, personas):
    assert (
        client_of(personas.outsider)
        .get("/observation/list/")
        .content.decode()
        .count("data-observation=")
        == 0
    )
    assert (
        "data-observation="
        in client_of(personas.village_worker).get("/observation/list/").content.decode()
    )
    assert client_of(personas.village_worker).get("/observation/alerts/").status_code == 200


def test_an_officer_saves_a_new_policy_version(tree, client_of, personas):
    client = client_of(personas.county_officer)
    form = client.get("/observation/policies/new/")
    assert form.status_code == 200
    response = client.post(
        "/observation/policies/new/",
        {
            "county": tree.tianyuan.code,
            "name": "天元区 7+7",
            "effective_from": timezone.localdate().isoformat(),
            "period_days": "7",
            "start_rule": "arrival",
            "slots_text": "早 06:00-12:00\n晚 16:00-22:00",
            "fever_threshold": "37.3",
            "temperature_min": "34.0",
            "temperature_max": "43.0",
            "symptoms_text": "发热\n咳嗽\n咽痛\n肌肉酸痛",
            "escalate_after_minutes": "60",
            "arrival_window_days": "14",
            "banquet_max_guests": "50",
            "family_gathering_max": "10",
            "retention_days": "180",
        },
    )
    assert response.status_code == 302
    policy = Policy.objects.get(county=tree.tianyuan)
    assert (policy.version, policy.period_days) == (1, 7)
    assert policy.symptoms[-1] == {"code": "ji_rou_suan_tong", "label": "肌肉酸痛"}
    # a village worker has no such page
    assert client_of(personas.village_worker).get("/observation/policies/new/").status_code == 404


def test_a_county_officer_cannot_change_the_city_default(tree, client_of, personas):
    response = client_of(personas.county_officer).post(
        "/observation/policies/new/",
        {
            "county": "",
            "name": "改全市",
            "effective_from": date.today().isoformat(),  # noqa: DTZ011 - a form value
            "period_days": "7",
            "start_rule": "arrival",
            "slots_text": "早 06:00-12:00",
            "fever_threshold": "37.3",
            "temperature_min": "34.0",
            "temperature_max": "43.0",
            "symptoms_text": "发热",
            "escalate_after_minutes": "60",
            "arrival_window_days": "14",
            "banquet_max_guests": "50",
            "family_gathering_max": "10",
            "retention_days": "180",
        },
    )
    assert response.status_code == 200
    assert "只有市级指挥部可以修改全市默认策略，请选择县（市、区）。" in response.content.decode()
    assert not Policy.objects.exists()


# self check-in


def test_self_check_in_page_records_and_raises_a_fever(today_obs, client, personas):
    # given
    _token, raw = checkin_token_issue(actor=personas.village_worker, observation=today_obs)
    page = client.get(f"/observation/c/{raw}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script" not in html and "体温自报" in html
    key = re.search(r'name="client_uuid" value="([^"]+)"', html).group(1)
    # when
    response = client.post(
        f"/observation/c/{raw}/", {"client_uuid": key, "temperature": "38,1", "site": "forehead"}
    )
    # then
    assert response.status_code == 200
    assert "已收到" in response.content.decode()
    checkin = CheckIn.objects.get()
    assert (checkin.source, str(checkin.temperature)) == ("self", "38.1")
    assert Alert.objects.get().kind == "fever"


def test_self_check_in_explains_a_typo(today_obs, client, personas):
    _token, raw = checkin_token_issue(actor=personas.village_worker, observation=today_obs)
    response = client.post(
        f"/observation/c/{raw}/",
        {"client_uuid": str(uuid.uuid4()), "temperature": "3.65", "site": "forehead"},
    )
    assert response.status_code == 422
    assert "体温 3.65 °C 不可能：是否小数点点错了位置（36.5 °C）？请核对后重新填写。" in (
        response.content.decode()
    )


def test_a_revoked_or_unknown_link_is_refused(today_obs, client, personas):
    _token, raw = checkin_token_issue(actor=personas.village_worker, observation=today_obs)
    CheckinToken.objects.update(revoked_at=timezone.now())
    assert client.get(f"/observation/c/{raw}/").status_code == 404
    assert client.get("/observation/c/not-a-token/").status_code == 404


def test_a_link_of_an_ended_observation_says_so(today_obs, client, personas):
    _token, raw = checkin_token_issue(actor=personas.village_worker, observation=today_obs)
    Observation.objects.filter(pk=today_obs.pk).update(status=ObservationStatus.COMPLETED)
    response = client.get(f"/observation/c/{raw}/")
    assert response.status_code == 410
    assert "医学观察已结束" in response.content.decode()


def test_self_check_in_is_rate_limited(today_obs, client, personas):
    token, raw = checkin_token_issue(actor=personas.village_worker, observation=today_obs)
    CheckinToken.objects.filter(pk=token.pk).update(
        window_started_at=timezone.now(), window_hits=100
    )
    response = client.post(
        f"/observation/c/{raw}/",
        {"client_uuid": str(uuid.uuid4()), "temperature": "36.5", "site": "forehead"},
    )
    assert response.status_code == 429
    assert not CheckIn.objects.exists()


# acting on an observation


def test_an_auditor_reads_with_masked_names(today_obs, client_of, personas):
    client = client_of(personas.auditor)
    detail = client.get(f"/observation/{today_obs.pk}/").content.decode()
    listing = client.get("/observation/list/").content.decode()
    assert "张*" in detail and "张三" not in detail
    assert "张*" in listing and "张三" not in listing
    assert "data-quick-checkin" not in detail
    assert client.post(f"/observation/{today_obs.pk}/checkin/", {}).status_code == 404


def test_period_change_and_closing_pages(today_obs, client_of, personas):
    client = client_of(personas.village_worker)
    new_end = today_obs.planned_end + timedelta(days=3)
    missing = client.post(
        f"/observation/{today_obs.pk}/period/", {"planned_end": new_end.isoformat()}
    )
    assert "这个字段是必填项。" in missing.content.decode()
    response = client.post(
        f"/observation/{today_obs.pk}/period/",
        {"planned_end": new_end.isoformat(), "reason": "家属后返乡"},
    )
    assert response.status_code == 302
    today_obs.refresh_from_db()
    assert today_obs.planned_end == new_end
    early = client.post(f"/observation/{today_obs.pk}/complete/", follow=True)
    assert "才满，如需提前解除请先调整观察期。" in early.content.decode()
    closed = client.post(
        f"/observation/{today_obs.pk}/close/", {"status": "lost_to_follow_up", "note": "电话停机"}
    )
    assert closed.status_code == 302
    today_obs.refresh_from_db()
    assert today_obs.status == ObservationStatus.LOST_TO_FOLLOW_UP


def test_transfer_and_accept_between_villages(today_obs, client_of, personas, tree):
    unknown = client_of(personas.village_worker).post(
        f"/observation/{today_obs.pk}/transfer/", {"to_unit": "不存在村", "note": "搬家"}
    )
    assert "找不到这个村（社区），请填写 12 位代码或完整名称。" in unknown.content.decode()
    moved = client_of(personas.village_worker).post(
        f"/observation/{today_obs.pk}/transfer/", {"to_unit": tree.liyujuwei.code, "note": "搬家"}
    )
    assert moved.status_code == 302
    # 月塘 no longer sees it; 栗雨 does and takes it over
    assert (
        client_of(personas.village_worker).get(f"/observation/{today_obs.pk}/").status_code == 404
    )
    neighbour = client_of(personas.neighbour_worker)
    assert neighbour.post(f"/observation/{today_obs.pk}/accept/").status_code == 302
    today_obs.refresh_from_db()
    assert (today_obs.status, today_obs.grid_worker) == ("active", personas.neighbour_worker)


def test_supplies_care_and_correction(today_obs, client_of, personas):
    client = client_of(personas.village_worker)
    key = str(uuid.uuid4())
    for _ in range(2):
        client.post(
            f"/observation/{today_obs.pk}/supplies/",
            {
                "item": "masks",
                "quantity": "20",
                "delivered_on": timezone.localdate().isoformat(),
                "client_uuid": key,
            },
        )
    assert today_obs.supplies.count() == 1
    client.post(
        f"/observation/{today_obs.pk}/care/",
        {"kind": "prenatal", "due_on": timezone.localdate().isoformat(), "client_uuid": key},
    )
    visit = today_obs.care_visits.get()
    client.post(f"/observation/{today_obs.pk}/care/{visit.pk}/", {"outcome": "胎心正常"})
    visit.refresh_from_db()
    assert (visit.status, visit.outcome) == ("done", "胎心正常")
    # a typo 38.5 for 36.5, corrected
    client.post(
        f"/observation/{today_obs.pk}/checkin/",
        {
            "client_uuid": str(uuid.uuid4()),
            "source": "visit",
            "site": "armpit",
            "outcome": "cooperative",
            "temperature": "38.5",
        },
    )
    wrong = CheckIn.objects.get()
    form = client.get(f"/observation/{today_obs.pk}/checkins/{wrong.pk}/correct/")
    assert form.status_code == 200 and 'value="38.5"' in form.content.decode()
    client.post(
        f"/observation/{today_obs.pk}/checkins/{wrong.pk}/correct/",
        {
            "client_uuid": str(uuid.uuid4()),
            "source": "visit",
            "site": "armpit",
            "outcome": "cooperative",
            "temperature": "36.5",
        },
    )
    assert CheckIn.objects.get(corrects=wrong).temperature == 36.5
    assert Alert.objects.get().resolution == "corrected"


def test_case_steps_and_contacts_from_the_pages(today_obs, client_of, personas, family):
    client = client_of(personas.village_worker)
    client.post(
        f"/observation/{today_obs.pk}/refer/",
        {"referred_to": "发热门诊", "client_uuid": str(uuid.uuid4())},
    )
    case = Case.objects.get()
    officer = client_of(personas.township_officer)
    officer.post(f"/observation/cases/{case.pk}/isolate/", {"isolate-place": "隔离病区"})
    officer.post(
        f"/observation/cases/{case.pk}/classify/",
        {"classify-classification": "confirmed", "classify-source_unclear": "on"},
    )
    case.refresh_from_db()
    assert case.status == "confirmed" and case.isolated_at is not None
    page = officer.get(f"/observation/cases/{case.pk}/").content.decode()
    assert 'id="contacts"' in page and "王芳" in page
    wife, son = family[1], family[2]
    response = officer.post(
        f"/observation/cases/{case.pk}/contacts/", {"person": [wife.pk, son.pk]}, follow=True
    )
    assert "已纳入医学观察 2 人。" in response.content.decode()
    # a village worker records no clinic step
    assert (
        client.post(
            f"/observation/cases/{case.pk}/admit/", {"admit-hospital": "市中心医院"}
        ).status_code
        == 404
    )


def test_lists_take_the_same_number_of_queries_for_more_people(
    today_obs, family, start, client_of, personas
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(personas.township_officer)
    urls = (
        "/observation/list/",
        "/observation/alerts/?kind=missed",
        "/observation/units/430211003000/",
        "/observation/",
    )

    def count(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    alerts_escalate(now=timezone.now())
    # Once first, as a running server has: policy versions are kept in memory once read.
    [count(url) for url in urls]
    before = [count(url) for url in urls]
    # when: two more people under observation, with their missed alerts
    for person in family[1:]:
        start(
            person,
            start_date=timezone.localdate() - timedelta(days=1),
            now=timezone.now() - timedelta(days=1),
        )
    alerts_escalate(now=timezone.now())
    # then
    assert [count(url) for url in urls] == before


def test_a_pregnant_woman_s_page_suggests_a_home_prenatal_check(family, start, client_of, personas):
    observation = start(family[1], start_date=timezone.localdate(), now=timezone.now())
    page = client_of(personas.village_worker).get(f"/observation/{observation.pk}/")
    html = page.content.decode()
    assert "建议安排：上门产检" in html
    assert '<option value="prenatal" selected>' in html
