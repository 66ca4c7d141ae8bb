from datetime import date

import pytest
from django.http import Http404

from bastion.orgs.selectors import counts_by_child
from bastion.people.models import Household, Person
from bastion.people.selectors import (
    VIEW,
    QueryKind,
    duplicate_candidates,
    household_list,
    person_get,
    person_list,
    person_search,
    registry_counts,
    search_kind,
)
from bastion.people.services import person_merge
from bastion.people.tests.conftest import ID_LISI, ID_ZHANGSAN


def names(persons) -> list[str]:
    return sorted(p.name for p in persons)


def test_each_persona_lists_only_its_jurisdiction(personas, zhangsan, lisi):
    assert names(person_list(user=personas.village_worker)) == ["张三"]
    assert names(person_list(user=personas.neighbour_worker)) == ["李四"]
    assert names(person_list(user=personas.township_officer)) == ["张三", "李四"]
    assert names(person_list(user=personas.outsider)) == []


def test_list_filters_by_a_unit_and_everything_under_it(tree, personas, zhangsan, lisi):
    officer = personas.county_officer
    assert names(person_list(user=officer, unit_code=tree.liyu.code)) == ["张三", "李四"]
    assert names(person_list(user=officer, unit_code=tree.yuetang.code)) == ["张三"]


def test_list_filter_by_an_out_of_scope_unit_is_404(tree, personas, zhangsan):
    with pytest.raises(Http404):
        person_list(user=personas.village_worker, unit_code=tree.liyujuwei.code)


def test_list_filters_by_care_tag(personas, zhangsan, lisi):
    assert names(person_list(user=personas.commander, care_tag="is_pregnant")) == ["李四"]


def test_list_leaves_out_merged_persons(tree, personas, zhangsan, register):
    duplicate = register(unit=tree.yuetang, name="张三")
    person_merge(actor=personas.township_officer, keep=zhangsan, merge=duplicate)
    assert [p.pk for p in person_list(user=personas.village_worker)] == [zhangsan.pk]


def test_list_query_count_does_not_grow_with_rows(
    tree, personas, register, django_assert_num_queries
):
    # given
    for i in range(12):
        register(unit=tree.yuetang, name=f"村民{i}", address=f"月塘路 {i} 号")
    user = personas.village_worker
    # when / then: the memberships once, then one query for the rows with units and households
    with django_assert_num_queries(2):
        rows = list(person_list(user=user))
        assert [p.household.address for p in rows][:1] == ["月塘路 0 号"]
        assert {p.unit.name for p in rows} == {"月塘居委会"}


@pytest.mark.parametrize(
    ("q", "kind", "value"),
    [
        ("张三", QueryKind.NAME, "张三"),
        ("zs", QueryKind.INITIALS, "zs"),
        ("ZhangSan", QueryKind.INITIALS, "zhangsan"),
        ("4302 0219 9001 0100 11", QueryKind.ID_NUMBER, ID_ZHANGSAN),
        ("430202900101001", QueryKind.ID_NUMBER, ID_ZHANGSAN),
        ("+86 138-0013-8000", QueryKind.MOBILE, "13800138000"),
        ("0011", QueryKind.NUMBER_FRAGMENT, "0011"),
        ("  ", QueryKind.EMPTY, ""),
    ],
)
def test_search_kind_reads_what_was_typed(q, kind, value):
    assert search_kind(q) == (kind, value)


@pytest.mark.parametrize(
    "q",
    ["张", "三", "zs", "zhangs", ID_ZHANGSAN, "430202900101001", "13800138000", "8000", "010011"],
)
def test_search_finds_by_name_pinyin_id_number_or_phone(personas, zhangsan, lisi, q):
    kind, found = person_search(user=personas.township_officer, q=q)
    assert names(found) == ["张三"], kind


def test_search_stays_in_the_jurisdiction(personas, zhangsan, lisi):
    _kind, found = person_search(user=personas.neighbour_worker, q=ID_ZHANGSAN)
    assert list(found) == []
    _kind, found = person_search(user=personas.outsider, q="张")
    assert list(found) == []


def test_search_needs_four_digits_of_a_number(personas, zhangsan):
    _kind, found = person_search(user=personas.township_officer, q="001")
    assert list(found) == []


def test_get_is_404_out_of_jurisdiction(personas, zhangsan):
    assert person_get(user=personas.village_worker, person_id=zhangsan.pk) == zhangsan
    for user in (personas.neighbour_worker, personas.outsider):
        with pytest.raises(Http404):
            person_get(user=user, person_id=zhangsan.pk)
    with pytest.raises(Http404):
        person_get(user=personas.commander, person_id=10**30)


def test_get_of_a_merged_id_answers_the_survivor(tree, personas, zhangsan, register):
    duplicate = register(unit=tree.yuetang, name="张三")
    person_merge(actor=personas.township_officer, keep=zhangsan, merge=duplicate)
    assert person_get(user=personas.village_worker, person_id=duplicate.pk) == zhangsan


def test_duplicate_candidates_match_name_with_birth_date_or_phone(tree, personas, register):
    # given
    a = register(unit=tree.yuetang, name="王芳", birth_date=date(1980, 2, 2))
    b = register(unit=tree.yuetang, name="王芳", mobile="13500135000")
    register(unit=tree.yuetang, name="王芳", birth_date=date(1981, 2, 2))
    register(unit=tree.liyujuwei, name="王芳", birth_date=date(1980, 2, 2))  # another village
    worker = personas.village_worker
    # then
    by_birth = duplicate_candidates(user=worker, name="王芳", birth_date=date(1980, 2, 2))
    assert by_birth == [a]
    by_phone = duplicate_candidates(user=worker, name="王芳", mobile="135 0013 5000")
    assert by_phone == [b]
    assert duplicate_candidates(user=worker, name="王芳") == []


def test_duplicate_candidates_take_the_birth_date_from_an_id_number(tree, personas, register):
    a = register(unit=tree.yuetang, name="李四", birth_date=date(1985, 3, 15))
    found = duplicate_candidates(user=personas.village_worker, name="李四", id_number=ID_LISI)
    assert found == [a]


def test_household_list_counts_live_members(tree, personas, zhangsan, register):
    register(unit=tree.yuetang, name="张妻", address="月塘路 1 号")
    (household,) = household_list(user=personas.village_worker)
    assert household.member_count == 2
    assert list(household_list(user=personas.neighbour_worker)) == []


def test_person_ordering_is_stable(personas, zhangsan, lisi):
    assert list(person_list(user=personas.commander)) == list(
        Person.objects.order_by("unit_code", "name", "id")
    )


@pytest.mark.parametrize("viewer", ["commander", "township_officer", "village_worker"])
def test_registry_counts_leave_out_the_merged_and_the_out_of_scope(
    tree, personas, zhangsan, lisi, register, viewer
):
    # given 张三 twice in 月塘 (one merged into the other), 李四 in 栗雨居委会
    duplicate = register(unit=tree.yuetang, name="张三")
    person_merge(actor=personas.township_officer, keep=zhangsan, merge=duplicate)
    user = getattr(personas, viewer)
    children = [tree.yuetang, tree.liyujuwei]
    # when
    persons, households = registry_counts(user=user, unit=tree.liyu, children=children)
    # then: what the grouped count of the orgs app gives, for the live persons
    args = {"user": user, "unit": tree.liyu, "children": children, "capability": VIEW}
    live = Person.objects.filter(merged_into__isnull=True)
    assert persons == counts_by_child(queryset=live, **args)
    assert households == counts_by_child(queryset=Household.objects.all(), **args)
    assert persons[tree.yuetang.code] == 1
