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
