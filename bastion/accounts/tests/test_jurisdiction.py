import pytest
from django.http import Http404

from bastion.accounts.jurisdiction import get_scoped_or_404, scope_prefixes, scoped
from bastion.accounts.models import Membership
from bastion.accounts.roles import Capability, Role
from bastion.orgs.models import OrgUnit
from bastion.people.models import Person


def make_person(unit, name):
    return Person.objects.create(name=name, unit=unit, unit_code=unit.code)


def test_scope_prefixes_are_the_significant_code_digits(tree, personas):
    assert scope_prefixes(personas.commander, Capability.VIEW_PERSONS) == ("4302",)
    assert scope_prefixes(personas.township_officer, Capability.VIEW_PERSONS) == ("430211003",)
    assert scope_prefixes(personas.village_worker, Capability.VIEW_PERSONS) == ("430211003016",)


def test_nested_memberships_collapse_to_the_widest(tree, personas):
    Membership.objects.create(
        user=personas.township_officer, unit=tree.yuetang, role=Role.VILLAGE_WORKER
    )
    personas.township_officer.refresh_from_db()
    assert scope_prefixes(personas.township_officer, Capability.VIEW_PERSONS) == ("430211003",)


def test_scoped_keeps_only_rows_of_the_jurisdiction(tree, personas):
    # given
    mine = make_person(tree.yuetang, "张三")
    make_person(tree.liyujuwei, "李四")
    make_person(tree.wenhualu, "王五")
    # then
    assert list(scoped(personas.village_worker, Person.objects.all())) == [mine]
    assert scoped(personas.township_officer, Person.objects.all()).count() == 2
    assert scoped(personas.commander, Person.objects.all()).count() == 3
    assert scoped(personas.outsider, Person.objects.all()).get().name == "王五"


def test_capability_matters(tree, personas):
    make_person(tree.yuetang, "张三")
    assert (
        scoped(personas.village_worker, Person.objects.all(), Capability.VIEW_ACCESS_LOG).count()
        == 0
    )
    assert scoped(personas.auditor, Person.objects.all(), Capability.VIEW_ACCESS_LOG).count() == 1


def test_out_of_scope_and_missing_are_the_same_404(tree, personas):
    other = make_person(tree.liyujuwei, "李四")
    with pytest.raises(Http404) as out:
        get_scoped_or_404(personas.village_worker, Person.objects.all(), pk=other.pk)
    with pytest.raises(Http404) as missing:
        get_scoped_or_404(personas.village_worker, Person.objects.all(), pk=999_999)
    assert str(out.value) == str(missing.value)


def test_inactive_users_and_units_see_nothing(tree, personas):
    make_person(tree.yuetang, "张三")
    OrgUnit.objects.filter(pk=tree.yuetang.pk).update(is_active=False)
    personas.village_worker.refresh_from_db()
    assert scoped(personas.village_worker, Person.objects.all()).count() == 0
