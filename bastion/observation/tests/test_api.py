"""The observation API contract. Out of jurisdiction is 404, like missing."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bastion.accounts.services import token_create
from bastion.core.models import IdempotencyRecord
from bastion.observation.models import Alert, CheckIn, Notification, Observation


@pytest.fixture
def api_of():
    def make(user):
        from django.test import Client

        _token, raw = token_create(user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


@pytest.fixture
def started(zhangsan, family, personas, api_of):
    response = api_of(personas.village_worker).post(
        "/api/v1/observations",
        {
            "person_id": zhangsan.pk,
            "kind": "home",
            "start_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "with_household": True,
            "client_uuid": "8d5b1c2e-0000-4000-8000-000000000001",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_post_observation_starts_the_household_and_replays(started, family, personas, api_of):
    # then
    assert started["person_name"] == "张三" and started["status"] == "active"
    assert started["day_number"] == 2 and started["policy_version"] == 0
    assert len(started["household_observation_ids"]) == 2
    assert started["grid_worker_mobile_masked"] == "138****0001"
    # a replay of the same client_uuid answers 200 with the same observation
    again = api_of(personas.village_worker).post(
        "/api/v1/observations",
        {
            "person_id": family[0].pk,
            "kind": "home",
            "start_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "client_uuid": "8d5b1c2e-0000-4000-8000-000000000001",
        },
        content_type="application/json",
    )
    assert again.status_code == 200
    assert again.json()["id"] == started["id"]
    assert Observation.objects.count() == 3


def test_post_observation_out_of_jurisdiction_is_refused(lisi, personas, api_of):
    response = api_of(personas.village_worker).post(
        "/api/v1/observations",
        {"person_id": lisi.pk, "start_date": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "person_id", "message": "人员不存在或不在您的辖区内。"}
    ]


def test_list_by_unit_and_status(started, personas, api_of, tree):
    client = api_of(personas.township_officer)
    body = client.get(f"/api/v1/observations?unit={tree.yuetang.code}&status=active").json()
    assert body["count"] == 3
    assert client.get(f"/api/v1/observations?unit={tree.liyujuwei.code}").json()["count"] == 0
    assert client.get("/api/v1/observations?status=completed").json()["count"] == 0
    # a unit outside the jurisdiction is 404
    assert (
        api_of(personas.outsider).get(f"/api/v1/observations?unit={tree.yuetang.code}").status_code
        == 404
    )
    assert api_of(personas.outsider).get("/api/v1/observations").json()["count"] == 0


def test_post_checkin_three_times_stores_one(started, personas, api_of):
    client = api_of(personas.village_worker)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "temperature": 36.6,
        "site": "forehead",
        "symptoms": [],
        "measured_at": timezone.now().isoformat(),
    }
    url = f"/api/v1/observations/{started['id']}/checkins"
    answers = [client.post(url, body, content_type="application/json") for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert CheckIn.objects.count() == 1
    listed = client.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["superseded"] is False


def test_post_checkin_with_idempotency_key_replays(started, personas, api_of):
    client = api_of(personas.village_worker)
    body = {"client_uuid": str(uuid.uuid4()), "temperature": "36,5", "site": "armpit"}
    url = f"/api/v1/observations/{started['id']}/checkins"
    first = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "k1"}
    )
    again = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "k1"}
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert first.json()["temperature"] == "36.5"


def test_post_checkin_query_count_is_pinned(started, personas, api_of):
    # The hottest write of the system: the token is known to this worker (token_cache) and
    # the policy version is in memory, so the scoped observation is the only read; then one
    # transaction (a savepoint inside the test's): the insert, the observation's update
    # and the idempotency record. No savepoint of its own, no look-up of the key first.
    client = api_of(personas.village_worker)
    url = f"/api/v1/observations/{started['id']}/checkins"
    warm = {"client_uuid": str(uuid.uuid4()), "temperature": 36.6, "site": "forehead"}
    client.post(url, warm, content_type="application/json")  # touches the token's last use
    body = {"client_uuid": str(uuid.uuid4()), "temperature": 36.6, "site": "forehead"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url, body, content_type="application/json", headers={"Idempotency-Key": "q1"}
        )
    assert response.status_code == 201
    kinds = [q["sql"].split()[0] for q in queries]
    if connection.vendor == "postgresql":
        # One statement writes the check-in, the observation's last check-in and the answer
        # (decision 0007); in production, in autocommit, there is no savepoint around it.
        assert kinds == ["SELECT", "SAVEPOINT", "WITH", "RELEASE"], kinds
        written = queries[2]["sql"]
        assert all(t in written for t in ("observation_checkin", "core_idempotencyrecord"))
        assert "UPDATE" in written
    else:
        assert kinds == ["SELECT", "SAVEPOINT", "INSERT", "UPDATE", "INSERT", "RELEASE"], kinds
    assert "observation_observation" in queries[0]["sql"]
    # a replay costs more (the conflict, then the stored answer) but answers the same
    again = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "q1"}
    )
    assert (again.status_code, again.json()) == (201, response.json())
    assert CheckIn.objects.count() == 2
    assert IdempotencyRecord.objects.filter(key="q1").count() == 1


def test_post_checkin_replayed_uuid_under_a_fresh_key_answers_200_and_stores_it(
    started, personas, api_of
):
    client = api_of(personas.village_worker)
    url = f"/api/v1/observations/{started['id']}/checkins"
    body = {"client_uuid": str(uuid.uuid4()), "temperature": 36.6, "site": "forehead"}
    first = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "a"}
    )
    again = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "b"}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() and CheckIn.objects.count() == 1
    # the second key now has its own stored answer, replayed as such
    third = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "b"}
    )
    assert (third.status_code, third.json()) == (200, first.json())
    stored = dict(IdempotencyRecord.objects.values_list("key", "status"))
    assert stored == {"a": 201, "b": 200}


def test_post_checkin_with_a_fever_raises_its_alert_with_the_person_and_unit(
    started, personas, api_of
):
    # the hot path loads neither person nor unit; the alert reads them when it needs them
    response = api_of(personas.village_worker).post(
        f"/api/v1/observations/{started['id']}/checkins",
        {"client_uuid": str(uuid.uuid4()), "temperature": "38.4", "site": "forehead"},
        content_type="application/json",
        headers={"Idempotency-Key": "fever-1"},
    )
    assert response.status_code == 201 and response.json()["is_fever"] is True
    alert = Alert.objects.get()
    assert alert.kind == "fever" and alert.checkin_id == response.json()["id"]
    assert Notification.objects.filter(alert=alert).exists()
    assert "张*" in Notification.objects.filter(alert=alert).first().text


def test_post_checkin_same_key_other_body_is_refused_and_writes_nothing(started, personas, api_of):
    client = api_of(personas.village_worker)
    url = f"/api/v1/observations/{started['id']}/checkins"
    first = {"client_uuid": str(uuid.uuid4()), "temperature": 36.6, "site": "forehead"}
    other = {"client_uuid": str(uuid.uuid4()), "temperature": 38.6, "site": "forehead"}
    headers = {"Idempotency-Key": "k2"}
    assert (
        client.post(url, first, content_type="application/json", headers=headers).status_code == 201
    )
    response = client.post(url, other, content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == "同一个 Idempotency-Key 不能用于不同的请求内容。"
    assert CheckIn.objects.count() == 1 and not Alert.objects.exists()


def test_post_plain_checkin_stores_its_answer_with_the_new_id(started, personas, api_of):
    # a plain check-in (one statement on PostgreSQL): the stored answer is the response,
    # with the id the statement gave the check-in, and the observation's last check-in moved
    client = api_of(personas.village_worker)
    url = f"/api/v1/observations/{started['id']}/checkins"
    body = {"client_uuid": str(uuid.uuid4()), "temperature": "36.6", "site": "forehead"}
    response = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "plain-1"}
    )
    assert response.status_code == 201
    checkin = CheckIn.objects.get()
    assert response.json()["id"] == checkin.pk and checkin.recorded_by == personas.village_worker
    record = IdempotencyRecord.objects.get(key="plain-1")

    # (the stored time keeps its microseconds; the answer on the wire has milliseconds)
    def same(answer: dict) -> dict:
        return {k: v for k, v in answer.items() if k != "measured_at"}

    assert record.status == 201 and same(record.body) == same(response.json())
    assert record.body["measured_at"].startswith(response.json()["measured_at"][:-1])
    observation = Observation.objects.get(pk=started["id"])
    assert observation.last_checkin_at == checkin.measured_at


def test_post_plain_checkin_same_key_other_plain_body_writes_nothing(started, personas, api_of):
    # the used key fails the one statement as a whole: the second check-in is not written
    client = api_of(personas.village_worker)
    url = f"/api/v1/observations/{started['id']}/checkins"
    headers = {"Idempotency-Key": "plain-2"}
    first = {"client_uuid": str(uuid.uuid4()), "temperature": "36.6", "site": "forehead"}
    other = {"client_uuid": str(uuid.uuid4()), "temperature": "36.7", "site": "forehead"}
    ok = client.post(url, first, content_type="application/json", headers=headers)
    refused = client.post(url, other, content_type="application/json", headers=headers)
    assert (ok.status_code, refused.status_code) == (201, 422)
    assert list(CheckIn.objects.values_list("client_uuid", flat=True)) == [
        uuid.UUID(first["client_uuid"])
    ]
    # and a plain check-in without a key is written, with no answer stored
    third = {"client_uuid": str(uuid.uuid4()), "temperature": "36.5", "site": "forehead"}
    assert client.post(url, third, content_type="application/json").status_code == 201
    assert CheckIn.objects.count() == 2 and IdempotencyRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("temperature", "message"),
    [
        ("3.65", "体温 3.65 °C 不可能：是否小数点点错了位置（36.5 °C）？请核对后重新填写。"),
        (365, "体温 365 °C 不可能：是否漏了小数点（36.5 °C）？请核对后重新填写。"),
        (45, "体温 45 °C 超出合理范围（34.0–43.0 °C），请重新测量。"),
        (-1, "体温不能是负数。"),
        ("abc", "体温应为数字，例如 36.5。"),
        (None, "请填写体温。"),
    ],
)
def test_post_checkin_explains_bad_temperatures(started, personas, api_of, temperature, message):
    response = api_of(personas.village_worker).post(
        f"/api/v1/observations/{started['id']}/checkins",
        {"client_uuid": str(uuid.uuid4()), "temperature": temperature, "site": "forehead"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "temperature", "message": message}]
    assert not Alert.objects.exists()


def test_post_checkin_in_the_future_is_refused(started, personas, api_of):
    response = api_of(personas.village_worker).post(
        f"/api/v1/observations/{started['id']}/checkins",
        {
            "client_uuid": str(uuid.uuid4()),
            "temperature": 36.5,
            "site": "forehead",
            "measured_at": (timezone.now() + timedelta(hours=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "测量时间不能晚于现在，请检查手机时间。"


def test_checkins_out_of_jurisdiction_are_404(started, personas, api_of):
    client = api_of(personas.neighbour_worker)
    url = f"/api/v1/observations/{started['id']}/checkins"
    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {"client_uuid": str(uuid.uuid4()), "temperature": 36.5, "site": "forehead"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get(f"/api/v1/observations/{started['id']}").status_code == 404


def test_a_fever_shows_in_the_alerts_of_the_unit(started, personas, api_of, tree):
    client = api_of(personas.village_worker)
    client.post(
        f"/api/v1/observations/{started['id']}/checkins",
        {"client_uuid": str(uuid.uuid4()), "temperature": 38.1, "site": "forehead"},
        content_type="application/json",
    )
    body = api_of(personas.township_officer).get(f"/api/v1/alerts?unit={tree.yuetang.code}")
    fever = [a for a in body.json()["items"] if a["kind"] == "fever"]
    assert len(fever) == 1 and fever[0]["temperature"] == "38.1"
    assert (
        api_of(personas.outsider).get(f"/api/v1/alerts?unit={tree.yuetang.code}").status_code == 404
    )
    # acknowledge, refer, and the case carries the latencies
    alert_id = fever[0]["id"]
    acked = client.post(f"/api/v1/alerts/{alert_id}/acknowledge")
    assert acked.json()["status"] == "acknowledged"
    case = client.post(
        f"/api/v1/observations/{started['id']}/referral",
        {"referred_to": "市中心医院发热门诊", "alert_id": alert_id},
        content_type="application/json",
    )
    assert case.status_code == 201
    assert case.json()["latency_minutes"]["reported"] == 0
    summary = (
        api_of(personas.county_officer)
        .get(f"/api/v1/observation-summary?unit={tree.liyu.code}")
        .json()
    )
    assert summary["latencies"]["cases"] == 1
    assert summary["counts"]["active"] == 2


def test_the_day_grid(started, personas, api_of):
    days = api_of(personas.village_worker).get(f"/api/v1/observations/{started['id']}/grid").json()
    assert len(days) == 14
    assert {c["slot"] for c in days[0]["cells"]} == {"morning", "evening"}


def test_api_lists_take_the_same_number_of_queries_for_more_people(
    zhangsan, family, personas, api_of, start
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bastion.observation.services import alerts_escalate

    client = api_of(personas.township_officer)
    start(zhangsan, start_date=timezone.localdate() - timedelta(days=1), now=timezone.now())

    def count(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    alerts_escalate(now=timezone.now() + timedelta(days=1))
    urls = (
        "/api/v1/observations",
        "/api/v1/alerts",
        "/api/v1/observation-summary?unit=430211003000",
    )
    [count(url) for url in urls]  # the token's first use is recorded once
    before = [count(url) for url in urls]
    for person in family[1:]:
        start(person, start_date=timezone.localdate() - timedelta(days=1), now=timezone.now())
    alerts_escalate(now=timezone.now() + timedelta(days=1))
    assert [count(url) for url in urls] == before
