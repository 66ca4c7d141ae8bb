from bastion.people.models import Household, Person


def test_drill_down_shows_children_with_counts(tree, personas, client_of):
    # given
    household = Household.objects.create(
        unit=tree.yuetang, unit_code=tree.yuetang.code, address="月塘路 1 号"
    )
    Person.objects.create(
        name="张三", unit=tree.yuetang, unit_code=tree.yuetang.code, household=household
    )
    # when
    response = client_of(personas.county_officer).get(f"/units/{tree.liyu.code}/")
    # then
    assert response.status_code == 200
    rows = {child.code: (n_p, n_h) for child, n_p, n_h in response.context["rows"]}
    assert rows == {tree.liyujuwei.code: (0, 0), tree.yuetang.code: (1, 1)}
    assert [c.name for c in response.context["crumbs"]] == ["天元区"]


def test_drill_down_query_count_does_not_grow_with_children(
    tree, personas, client_of, django_assert_max_num_queries
):
    client = client_of(personas.commander)
    # The first view counts the registry and keeps the counts (cache read and write).
    with django_assert_max_num_queries(18):
        assert client.get(f"/units/{tree.city.code}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/units/{tree.city.code}/").status_code == 200


def test_registry_counts_are_kept_for_a_few_minutes_per_viewer_scope(tree, personas, client_of):
    from django.core.cache import cache

    def persons(persona):
        response = client_of(persona).get(f"/units/{tree.liyu.code}/")
        return {c.code: n_p for c, n_p, _n_h in response.context["rows"]}

    assert persons(personas.county_officer)[tree.yuetang.code] == 0
    Person.objects.create(name="李四", unit=tree.yuetang, unit_code=tree.yuetang.code)
    # when: the same viewer again, another viewer with the same scope, then past the expiry
    again = persons(personas.county_officer)
    township = persons(personas.township_officer)
    cache.clear()
    fresh = persons(personas.county_officer)
    # then
    assert again[tree.yuetang.code] == 0
    assert township[tree.yuetang.code] == 1  # a different scope is counted on its own
    assert fresh[tree.yuetang.code] == 1


def test_out_of_jurisdiction_unit_is_404(tree, personas, client_of):
    client = client_of(personas.village_worker)
    assert client.get(f"/units/{tree.liyujuwei.code}/").status_code == 404
    assert client.get(f"/units/{tree.liyu.code}/").status_code == 404
    assert client.get("/units/999999999999/").status_code == 404
    assert client.get(f"/units/{tree.yuetang.code}/").status_code == 200


def test_a_single_unit_user_lands_on_their_unit(tree, personas, client_of):
    response = client_of(personas.village_worker).get("/units/")
    assert response.status_code == 302 and response.url == f"/units/{tree.yuetang.code}/"


def test_an_officer_adds_a_grid_and_a_worker_cannot(tree, personas, client_of):
    # when
    officer = client_of(personas.township_officer).post(
        f"/units/{tree.yuetang.code}/add/", {"kind": "grid", "name": "一网格"}
    )
    worker = client_of(personas.village_worker).post(
        f"/units/{tree.yuetang.code}/add/", {"kind": "grid", "name": "二网格"}
    )
    # then
    assert officer.status_code == 302 and officer.url == "/units/430211003016G01/"
    assert worker.status_code == 404


def test_bad_unit_form_gets_a_field_error_in_chinese(tree, personas, client_of):
    response = client_of(personas.township_officer).post(
        f"/units/{tree.liyu.code}/add/", {"kind": "grid", "name": "网格"}
    )
    assert response.status_code == 200
    assert "网格只能建在村（社区）之下。" in response.content.decode()
