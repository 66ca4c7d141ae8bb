import uuid

from bastion.audit.models import AccessLog
from bastion.screening.models import Signal, SignalStatus


def test_the_inbox_shows_the_villages_open_signals_with_their_waits(
    raise_signal, personas, client_of, tree
):
    # given
    raise_signal(subject_name="王五", subject_mobile="13900001111", hours_ago=3)
    raise_signal(unit=tree.liyujuwei, subject_name="邻村人")
    # when
    response = client_of(personas.village_worker).get("/screening/signals/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "王五" in page and "邻村人" not in page
    assert "139****1111" in page and "13900001111" not in page
    assert "已等 3 小时" in page
    assert AccessLog.objects.filter(object_type="signal", action="list").count() == 1


def test_the_inbox_is_404_for_a_unit_out_of_jurisdiction(personas, client_of, tree):
    response = client_of(personas.village_worker).get(
        f"/screening/signals/?unit={tree.wenhualu.code}"
    )
    assert response.status_code == 404


def test_a_signal_out_of_jurisdiction_is_404(raise_signal, personas, client_of, tree):
    # given
    signal = raise_signal(unit=tree.liyujuwei)
    # when
    client = client_of(personas.village_worker)
    # then
    assert client.get(f"/screening/signals/{signal.pk}/").status_code == 404
    assert client.post(f"/screening/signals/{signal.pk}/call/").status_code == 404
    response = client.post(
        f"/screening/signals/{signal.pk}/", {"to_status": "verifying", "version": 1}
    )
    assert response.status_code == 404
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.NEW


def test_a_worker_takes_a_signal_into_verification_then_clears_it(
    raise_signal, personas, client_of
):
    # given
    signal = raise_signal()
    client = client_of(personas.village_worker)
    # when
    first = client.post(
        f"/screening/signals/{signal.pk}/", {"to_status": "verifying", "version": 1}
    )
    second = client.post(
        f"/screening/signals/{signal.pk}/",
        {"to_status": "cleared", "version": 2, "note": "已核实未离开株洲"},
        follow=True,
    )
    # then
    assert first.status_code == 302
    assert "线索已改为：已排除。" in second.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLEARED and signal.handling_seconds is not None


def test_clearing_without_a_reason_shows_the_field_error(raise_signal, personas, client_of):
    signal = raise_signal()
    response = client_of(personas.village_worker).post(
        f"/screening/signals/{signal.pk}/", {"to_status": "cleared", "version": 1}
    )
    assert "请写明排除的理由。" in response.content.decode()
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.NEW


def test_a_second_tap_on_a_stale_page_warns_and_changes_nothing(raise_signal, personas, client_of):
    # given the signal moved on after the page was loaded
    signal = raise_signal()
    client = client_of(personas.village_worker)
    client.post(f"/screening/signals/{signal.pk}/", {"to_status": "verifying", "version": 1})
    # when
    response = client.post(
        f"/screening/signals/{signal.pk}/", {"to_status": "verifying", "version": 1}, follow=True
    )
    # then
    assert "该线索已被他人处理，现在是“核实中”。" in response.content.decode()
    assert signal.events.count() == 2


def test_forwarding_by_name_hands_the_signal_to_that_village(
    raise_signal, personas, client_of, tree
):
    # given
    signal = raise_signal()
    # when
    client_of(personas.village_worker).post(
        f"/screening/signals/{signal.pk}/",
        {"to_status": "forwarded", "version": 1, "forwarded_to": "文化路社区居委会"},
    )
    # then
    forward = Signal.objects.get(forwarded_from=signal)
    assert forward.unit == tree.wenhualu
    assert client_of(personas.outsider).get(f"/screening/signals/{forward.pk}/").status_code == 200


def test_forwarding_to_an_unknown_village_says_so(raise_signal, personas, client_of):
    signal = raise_signal()
    response = client_of(personas.village_worker).post(
        f"/screening/signals/{signal.pk}/",
        {"to_status": "forwarded", "version": 1, "forwarded_to": "不存在村"},
    )
    assert "没有找到该村（社区），请填写全称或 12 位代码。" in response.content.decode()


def test_an_auditor_sees_a_signal_but_may_not_act(raise_signal, personas, client_of):
    signal = raise_signal()
    client = client_of(personas.auditor)
    assert client.get(f"/screening/signals/{signal.pk}/").status_code == 200
    response = client.post(
        f"/screening/signals/{signal.pk}/", {"to_status": "verifying", "version": 1}
    )
    assert response.status_code == 403


def test_calling_reveals_the_phone_as_a_link_and_logs_it(raise_signal, personas, client_of):
    # given
    signal = raise_signal(subject_mobile="13900001111")
    # when
    response = client_of(personas.village_worker).post(f"/screening/signals/{signal.pk}/call/")
    # then
    assert 'href="tel:13900001111"' in response.content.decode()
    log = AccessLog.objects.get(action="reveal", object_type="signal")
    assert log.field == "mobile" and log.reason == "电话核实线索"


def test_staff_file_a_hotline_signal_once_even_if_tapped_twice(personas, client_of, tree):
    # given
    key = str(uuid.uuid4())
    data = {
        "unit": tree.yuetang.code,
        "subject_name": "赵六",
        "subject_mobile": "139 0000 2222",
        "reason": "邻居来电：赵六从武汉回来未登记",
        "client_uuid": key,
    }
    client = client_of(personas.township_officer)
    # when
    first = client.post("/screening/signals/new/", data)
    second = client.post("/screening/signals/new/", data)
    # then
    signal = Signal.objects.get()
    assert first.status_code == second.status_code == 302
    assert signal.source == "hotline" and signal.subject_mobile == "13900002222"


def test_hotline_entry_shows_field_errors(personas, client_of, tree):
    response = client_of(personas.township_officer).post(
        "/screening/signals/new/",
        {"unit": tree.yuetang.code, "subject_mobile": "1390000", "reason": "来电"},
    )
    assert "手机号应为 11 位，现在是 7 位。" in response.content.decode()
    assert not Signal.objects.exists()


def test_hotline_entry_refuses_a_village_out_of_jurisdiction(personas, client_of, tree):
    response = client_of(personas.village_worker).post(
        "/screening/signals/new/",
        {"unit": tree.wenhualu.code, "subject_name": "某人", "reason": "来电"},
    )
    assert response.status_code == 200 and not Signal.objects.exists()


def test_the_township_sees_the_waits_of_each_village(raise_signal, personas, client_of, tree):
    # given
    raise_signal(unit=tree.yuetang, hours_ago=5)
    # when
    response = client_of(personas.township_officer).get(
        f"/screening/signals/waits/?unit={tree.liyu.code}"
    )
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-unit="{tree.yuetang.code}"' in page and "5 小时" in page


def test_the_waits_of_a_township_out_of_jurisdiction_are_404(personas, client_of, tree):
    response = client_of(personas.village_worker).get(
        f"/screening/signals/waits/?unit={tree.liyu.code}"
    )
    assert response.status_code == 404


def test_an_identified_person_goes_from_the_signal_to_the_observation_form(
    raise_signal, personas, client_of, tree
):
    # given: a signal about a person already in the registry
    from bastion.people.models import Person

    person = Person.objects.create(name="王五", unit=tree.yuetang, unit_code=tree.yuetang.code)
    signal = raise_signal(person=person)
    client = client_of(personas.village_worker)
    # when
    page = client.get(f"/screening/signals/{signal.pk}/").content.decode()
    start = client.get(f"/observation/new/{person.pk}/?signal={signal.pk}")
    # then
    assert f'href="/observation/new/{person.pk}/?signal={signal.pk}"' in page
    assert start.status_code == 200 and start.context["signal"] == signal


def test_an_unidentified_signal_offers_confirmation_not_observation(
    raise_signal, personas, client_of
):
    signal = raise_signal()
    page = client_of(personas.village_worker).get(f"/screening/signals/{signal.pk}/")
    assert "data-observe" not in page.content.decode()
    assert page.context["can_confirm"] is True
