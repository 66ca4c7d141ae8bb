"""The search box's fragments (issue 8, figure 5: a name or pinyin fragment in ≤ 100 ms over a
million persons). On PostgreSQL a name fragment is answered from a GIN index of the name's
characters and a number fragment from trigram indexes (people migration 0002); the answers
must be the same on SQLite, which has neither."""

import pytest
from django.db import connection

from bastion.people.models import Person
from bastion.people.selectors import _name_has_characters_of, person_search

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.fixture
def registry(tree, register):
    for name, mobile in (
        ("王小明", "13800138001"),
        ("李明", "13800138002"),
        ("明小王", "13800138003"),
        ("张晓东", "13912345678"),
        ("Anna·李", "13800138005"),
    ):
        register(unit=tree.yuetang, name=name, mobile=mobile)


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("明", ["明小王", "李明", "王小明"]),  # one character, anywhere
        ("小明", ["王小明"]),  # two characters, in this order only
        ("小王", ["明小王"]),
        ("王小明", ["王小明"]),
        ("王明", []),  # both characters are in 王小明, but not side by side
        ("晓东", ["张晓东"]),
        ("anna·", ["Anna·李"]),  # a name query ignores case, as icontains does
        ("wxm", ["王小明"]),  # pinyin initials
        ("wangx", ["王小明"]),  # the start of the full pinyin
        ("ZhangXiao", ["张晓东"]),
        ("2345", ["张晓东"]),  # a fragment of the mobile
    ],
)
def test_fragments_find_the_same_persons_on_every_database(personas, registry, q, names):
    _kind, found = person_search(user=personas.commander, q=q)
    assert sorted(p.name for p in found) == sorted(names)


def test_a_fragment_of_an_id_number(personas, zhangsan, lisi):
    _kind, found = person_search(user=personas.commander, q="19900101")
    assert [p.name for p in found] == ["张三"]


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'people_person'")
        return {row[0] for row in cursor.fetchall()}


@on_postgresql
@pytest.mark.django_db
def test_the_search_indexes_exist():
    assert {
        "person_name_chars_gin",
        "person_id_number_trgm",
        "person_mobile_trgm",
        "person_pinyin_prefix_idx",
    } <= _index_names()


@on_postgresql
@pytest.mark.django_db
def test_the_pinyin_columns_have_fine_statistics():
    """Migration 0003: with coarse statistics the planner misjudged every initials prefix."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstattarget FROM pg_attribute WHERE attrelid = "
            "'people_person'::regclass AND attname IN ('name_initials', 'name_pinyin')"
        )
        assert dict(cursor.fetchall()) == {"name_initials": 1000, "name_pinyin": 1000}


@on_postgresql
@pytest.mark.django_db
def test_the_query_matches_the_index_expressions():
    """The index is used only if the query's expression is the index's own: a change to
    either side that breaks the match would make the search a table scan again."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    persons = Person.objects.order_by()  # no ordering: an index scan would serve the sort
    plans = {
        "person_name_chars_gin": persons.filter(_name_has_characters_of("小明")).explain(),
        "person_mobile_trgm": persons.filter(mobile__contains="2345").explain(),
        "person_id_number_trgm": persons.filter(id_number__contains="0101").explain(),
        "person_pinyin_prefix_idx": persons.filter(name_pinyin__startswith="wang").explain(),
    }
    for index, plan in plans.items():
        assert index in plan, plan


@pytest.mark.parametrize("candidates", [1, 2000])
def test_a_rare_and_a_common_fragment_give_the_same_first_page(
    personas, tree, register, monkeypatch, candidates
):
    """A fragment with few matches is sorted after it is found, a common one by the ordered
    walk (`_first_matches`); both pages are the first persons in the registry's order."""
    import bastion.people.selectors as selectors

    for i in range(60):
        register(unit=tree.yuetang if i % 2 else tree.liyujuwei, name=f"明{i:02d}")
    monkeypatch.setattr(selectors, "CANDIDATES", candidates)
    expected = list(Person.objects.filter(name__startswith="明").values_list("pk", flat=True)[:51])
    # when
    _kind, found = person_search(user=personas.commander, q="明")
    # then
    assert [p.pk for p in found] == expected
