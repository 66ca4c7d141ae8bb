import uuid

import pytest

from bastion.audit.models import AccessLog
from bastion.screening.models import Signal, SignalStatus


def test_it_lists_the_open_signals_of_a_unit(raise_signal, personas, api, tree):
    # given
    mine = raise_signal(subject_mobile="13900001111", hours_ago=2)
    raise_signal(unit=tree.liyujuwei)
    # when
    response = api(personas.township_officer)(
        "get", f"/signals?unit={tree.yuetang.code}&status=open"
    )
    # then
    body = response.json()
    assert response.status_code == 200 and body["count"] == 1
    [item] = body["items"]
    assert item["id"] == mine.pk and item["status"] == "new"
    assert item["subject_mobile_masked"] == "139****1111"
    assert 7000 < item["waited_seconds"] < 7400
    assert AccessLog.objects.filter(object_type="signal", action="list", channel="api").exists()


def test_it_filters_by_status(raise_signal, personas, api):
    raise_signal()
    closed = raise_signal()
    api(personas.village_worker)(
        "post", f"/signals/{closed.pk}/actions", data={"to_status": "not_found", "version": 1}
    )
    body = api(personas.village_worker)("get", "/signals?status=closed").json()
    assert [i["id"] for i in body["items"]] == [closed.pk]


def test_listing_a_unit_out_of_jurisdiction_is_404(personas, api, tree):
    response = api(personas.village_worker)("get", f"/signals?unit={tree.wenhualu.code}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (["verifying"], ["new", "verifying"]),
        (["verifying", "under_observation"], ["new", "verifying", "under_observation"]),
        (["verifying", "not_found"], ["new", "verifying", "not_found"]),
        (["under_observation"], ["new", "verifying", "under_observation"]),
        (["not_found"], ["new", "verifying", "not_found"]),
    ],
)
def test_each_state_change_through_the_api(raise_signal, personas, api, path, expected):
    # given
    signal = raise_signal()
    call = api(personas.village_worker)
    # when
    for version, to_status in enumerate(path, start=1):
        response = call(
            "post",
            f"/signals/{signal.pk}/actions",
            data={"to_status": to_status, "version": version},
        )
        assert response.status_code == 200, response.json()
    # then
    detail = call("get", f"/signals/{signal.pk}").json()
    assert [e["status"] for e in detail["events"]] == expected
    assert detail["status"] == path[-1] and detail["version"] == len(path) + 1


def test_clearing_needs_a_reason_and_then_stores_the_latency(raise_signal, personas, api):
    # given
    signal = raise_signal(hours_ago=3)
    call = api(personas.village_worker)
    # when
    refused = call(
        "post", f"/signals/{signal.pk}/actions", data={"to_status": "cleared", "version": 1}
    )
    done = call(
        "post",
        f"/signals/{signal.pk}/actions",
        data={"to_status": "cleared", "version": 1, "note": "本人未离开株洲"},
    )
    # then
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "note", "message": "请写明排除的理由。"}]
    assert done.status_code == 200 and 10700 < done.json()["handling_seconds"] < 10900


def test_forwarding_through_the_api_creates_the_targets_signal(raise_signal, personas, api, tree):
    # given
    signal = raise_signal()
    # when
    response = api(personas.village_worker)(
        "post",
        f"/signals/{signal.pk}/actions",
        data={"to_status": "forwarded", "version": 1, "forwarded_to": tree.wenhualu.code},
    )
    # then
    assert response.status_code == 200 and response.json()["forwarded_to"] == tree.wenhualu.code
    listed = api(personas.outsider)("get", "/signals?status=new").json()
    assert [i["forwarded_from_id"] for i in listed["items"]] == [signal.pk]


def test_a_closed_signal_refuses_another_action(raise_signal, personas, api):
    signal = raise_signal()
    call = api(personas.village_worker)
    call("post", f"/signals/{signal.pk}/actions", data={"to_status": "not_found", "version": 1})
    response = call(
        "post", f"/signals/{signal.pk}/actions", data={"to_status": "verifying", "version": 2}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "该线索已处置（查无此人），不能再改变状态。"


def test_a_stale_version_is_409_with_the_current_signal(raise_signal, personas, api):
    signal = raise_signal()
    call = api(personas.village_worker)
    call("post", f"/signals/{signal.pk}/actions", data={"to_status": "verifying", "version": 1})
    response = call(
        "post", f"/signals/{signal.pk}/actions", data={"to_status": "not_found", "version": 1}
    )
    assert response.status_code == 409
    assert response.json()["current"]["status"] == "verifying"


def test_acting_on_a_signal_out_of_jurisdiction_is_404(raise_signal, personas, api, tree):
    signal = raise_signal(unit=tree.liyujuwei)
    call = api(personas.village_worker)
    response = call(
        "post", f"/signals/{signal.pk}/actions", data={"to_status": "verifying", "version": 1}
    )
    assert response.status_code == 404
    assert call("get", f"/signals/{signal.pk}").status_code == 404
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.NEW


def test_an_auditor_may_read_but_not_act(raise_signal, personas, api):
    signal = raise_signal()
    response = api(personas.auditor)(
        "post", f"/signals/{signal.pk}/actions", data={"to_status": "verifying", "version": 1}
    )
    assert response.status_code == 403


def test_filing_a_signal_replays_on_its_client_uuid(personas, api, tree):
    # given
    body = {
        "unit": tree.yuetang.code,
        "reason": "热线：有人从武汉回来",
        "subject_name": "赵六",
        "client_uuid": str(uuid.uuid4()),
    }
    call = api(personas.township_officer)
    # when
    first = call("post", "/signals", data=body)
    again = call("post", "/signals", data=body)
    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Signal.objects.count() == 1


def test_filing_a_signal_for_a_village_out_of_jurisdiction_is_refused(personas, api, tree):
    response = api(personas.village_worker)(
        "post",
        "/signals",
        data={"unit": tree.wenhualu.code, "reason": "来电", "subject_name": "某"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "unit", "message": "请选择您辖区内的村（社区）或网格。"}
    ]


def test_the_waits_per_village_through_the_api(raise_signal, personas, api, tree):
    raise_signal(unit=tree.liyujuwei, hours_ago=1)
    body = api(personas.township_officer)("get", f"/signals/waits?unit={tree.liyu.code}").json()
    assert body[0]["unit_code"] == tree.liyujuwei.code and body[0]["new"] == 1
    assert api(personas.outsider)("get", f"/signals/waits?unit={tree.liyu.code}").status_code == 404
