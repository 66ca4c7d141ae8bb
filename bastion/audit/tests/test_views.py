from bastion.audit.services import access_log_write


def test_auditor_sees_who_saw_a_person_in_jurisdiction(tree, personas, client_of):
    # given
    access_log_write(
        user=personas.village_worker,
        action="view",
        object_type="person",
        object_id=7,
        unit_code=tree.yuetang.code,
    )
    access_log_write(
        user=personas.outsider,
        action="view",
        object_type="person",
        object_id=8,
        unit_code=tree.wenhualu.code,
    )
    # when
    page = client_of(personas.auditor).get("/audit/", {"object_type": "person", "object_id": "7"})
    # then
    assert page.status_code == 200
    assert [(e.user.username, e.object_id) for e in page.context["page"]] == [("worker", "7")]


def test_access_log_is_scoped_to_the_auditors_jurisdiction(tree, personas, client_of):
    from bastion.accounts.models import Membership

    Membership.objects.create(user=personas.neighbour_worker, unit=tree.liyujuwei, role="auditor")
    access_log_write(
        user=personas.village_worker,
        action="view",
        object_type="person",
        object_id=7,
        unit_code=tree.yuetang.code,
    )
    page = client_of(personas.neighbour_worker).get("/audit/")
    assert list(page.context["page"]) == []


def test_a_grid_worker_cannot_open_the_access_log(tree, personas, client_of):
    assert client_of(personas.village_worker).get("/audit/").status_code == 404


def _entry(user, unit, action="view", object_id=7, at=None):
    from bastion.audit.models import AccessLog

    entry = access_log_write(
        user=user, action=action, object_type="person", object_id=object_id, unit_code=unit.code
    )
    if at is not None:
        AccessLog.objects.filter(pk=entry.pk).update(at=at)
    return entry


def test_the_auditor_filters_by_unit(tree, personas, client_of):
    # given
    _entry(personas.village_worker, tree.yuetang)
    _entry(personas.neighbour_worker, tree.liyujuwei)
    # when
    page = client_of(personas.auditor).get("/audit/", {"unit": tree.liyujuwei.code})
    # then
    assert [e.user.username for e in page.context["page"]] == ["neighbour"]


def test_a_unit_outside_the_auditors_jurisdiction_is_not_found(tree, personas, client_of):
    from bastion.accounts.models import Membership

    Membership.objects.create(user=personas.outsider, unit=tree.wenhualu, role="auditor")
    page = client_of(personas.outsider).get("/audit/", {"unit": tree.yuetang.code})
    assert page.status_code == 404


def test_the_auditor_filters_by_local_day_and_action(tree, personas, client_of):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    beijing = ZoneInfo("Asia/Shanghai")
    # given: 00:30 on 2 Feb in Beijing is still 1 Feb in UTC
    _entry(personas.village_worker, tree.yuetang, at=datetime(2020, 2, 2, 0, 30, tzinfo=beijing))
    _entry(personas.village_worker, tree.yuetang, at=datetime(2020, 2, 1, 23, 30, tzinfo=beijing))
    _entry(
        personas.village_worker,
        tree.yuetang,
        action="reveal",
        at=datetime(2020, 2, 2, 9, 0, tzinfo=beijing),
    )
    client = client_of(personas.auditor)
    # when
    day = client.get("/audit/", {"since": "2020-02-02", "until": "2020-02-02"})
    reveals = client.get("/audit/", {"action": "reveal"})
    # then
    assert len(day.context["page"]) == 2
    assert [e.action for e in reveals.context["page"]] == ["reveal"]


def test_the_auditor_sees_who_saw_a_person(tree, personas, client_of):
    from bastion.people.models import Person

    # given
    person = Person.objects.create(name="张三", unit=tree.yuetang, unit_code=tree.yuetang.code)
    _entry(personas.village_worker, tree.yuetang, object_id=person.pk)
    _entry(personas.village_worker, tree.yuetang, action="reveal", object_id=person.pk)
    _entry(personas.township_officer, tree.yuetang, object_id=person.pk)
    _entry(personas.township_officer, tree.yuetang, object_id=person.pk + 1)
    client = client_of(personas.auditor)
    # when
    page = client.get(f"/audit/persons/{person.pk}/")
    log = client.get("/audit/", {"object_type": "person", "object_id": str(person.pk)})
    # then
    assert page.status_code == 200
    rows = [(v["username"], v["actions"], v["count"]) for v in page.context["summary"]]
    assert sorted(rows) == [("township", ["view"], 1), ("worker", ["reveal", "view"], 2)]
    assert f"/audit/persons/{person.pk}/" in log.content.decode()


def test_who_saw_a_person_outside_the_jurisdiction_is_not_found(tree, personas, client_of):
    from bastion.accounts.models import Membership
    from bastion.people.models import Person

    Membership.objects.create(user=personas.outsider, unit=tree.wenhualu, role="auditor")
    person = Person.objects.create(name="张三", unit=tree.yuetang, unit_code=tree.yuetang.code)
    assert client_of(personas.outsider).get(f"/audit/persons/{person.pk}/").status_code == 404
    assert client_of(personas.village_worker).get(f"/audit/persons/{person.pk}/").status_code == 404
