from datetime import date

import pytest
from django.test import Client

from bastion.audit.models import AccessLog, Action
from bastion.people.models import Person
from bastion.people.services import person_merge, person_update
from bastion.people.tests.conftest import ID_LISI, ID_ZHANGSAN

MASKED_ID = "4302**********0011"
MASKED_MOBILE = "138****8000"


def form_data(tree, **overrides):
    data = {
        "name": "李四",
        "id_number": ID_LISI,
        "sex": "",
        "birth_date": "",
        "mobile": "13900139000",
        "unit": tree.yuetang.code,
        "address": "月塘路 2 号",
    }
    return data | overrides


# list and search


def test_list_shows_masked_data_and_is_logged(personas, client_of, zhangsan, lisi):
    # when
    response = client_of(personas.village_worker).get("/persons/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "张三" in html and "李四" not in html
    assert MASKED_ID in html and MASKED_MOBILE in html
    assert ID_ZHANGSAN not in html and "13800138000" not in html
    log = AccessLog.objects.get(action=Action.LIST)
    assert log.detail == {"count": 1, "page": 1}


def test_list_filters_by_unit_and_care_tag_in_the_url(tree, personas, client_of, zhangsan, lisi):
    client = client_of(personas.township_officer)
    response = client.get(f"/persons/?unit={tree.liyujuwei.code}")
    assert [p.name for p in response.context["rows"]] == ["李四"]
    response = client.get("/persons/?tag=is_pregnant")
    assert [p.name for p in response.context["rows"]] == ["李四"]
    log = AccessLog.objects.filter(action=Action.LIST).first()
    assert log.detail == {"count": 1, "care_tag": "is_pregnant", "page": 1}


def test_list_pages(tree, personas, client_of, register):
    for i in range(30):
        register(unit=tree.yuetang, name=f"村民{i:02d}")
    response = client_of(personas.village_worker).get(f"/persons/?unit={tree.yuetang.code}&page=2")
    assert [p.name for p in response.context["rows"]] == [f"村民{i:02d}" for i in range(25, 30)]
    assert f'href="?unit={tree.yuetang.code}&amp;page=1"' in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(
    tree, personas, client_of, register, django_assert_max_num_queries
):
    for i in range(40):
        register(unit=tree.yuetang, name=f"村民{i:02d}", address=f"月塘路 {i} 号")
    client = client_of(personas.village_worker)
    with django_assert_max_num_queries(12):
        assert client.get("/persons/").status_code == 200


def test_search_is_a_post_and_logs_only_the_kind_of_query(personas, client_of, zhangsan):
    # when
    response = client_of(personas.village_worker).post(
        "/persons/", {"q": ID_ZHANGSAN}, headers={"HX-Request": "true"}
    )
    # then: the partial only, with the person masked
    html = response.content.decode()
    assert "<html" not in html
    assert "张三" in html and MASKED_ID in html and ID_ZHANGSAN not in html
    log = AccessLog.objects.get(action=Action.SEARCH)
    assert log.detail == {"count": 1, "kind": "id_number"}
    assert ID_ZHANGSAN not in str(log.detail)


def test_search_without_htmx_renders_the_whole_page(personas, client_of, zhangsan):
    response = client_of(personas.village_worker).post("/persons/", {"q": "zs"})
    assert "<html" in response.content.decode()
    assert [p.name for p in response.context["rows"]] == ["张三"]


def test_search_form_posts_so_numbers_stay_out_of_urls(personas, client_of):
    html = client_of(personas.village_worker).get("/persons/").content.decode()
    assert 'method="post" action="/persons/" hx-post="/persons/"' in html


def test_out_of_jurisdiction_list_and_search_find_nothing(tree, personas, client_of, zhangsan):
    client = client_of(personas.outsider)
    assert list(client.get("/persons/").context["rows"]) == []
    assert client.post("/persons/", {"q": "张三"}).context["rows"] == []
    assert client.get(f"/persons/?unit={tree.yuetang.code}").status_code == 404


# detail and reveal


def test_detail_is_masked_and_logged(personas, client_of, zhangsan):
    response = client_of(personas.village_worker).get(f"/persons/{zhangsan.pk}/")
    html = response.content.decode()
    assert MASKED_ID in html and MASKED_MOBILE in html
    assert ID_ZHANGSAN not in html and "13800138000" not in html
    assert f'href="/persons/households/{zhangsan.household_id}/"' in html
    log = AccessLog.objects.get(action=Action.VIEW)
    assert (log.user, log.object_id) == (personas.village_worker, str(zhangsan.pk))


def test_out_of_jurisdiction_detail_is_404(personas, client_of, zhangsan):
    for user in (personas.neighbour_worker, personas.outsider):
        client = client_of(user)
        assert client.get(f"/persons/{zhangsan.pk}/").status_code == 404
        assert client.get(f"/persons/{zhangsan.pk}/edit/").status_code == 404
        reveal = {"field": "id_number", "reason": "核对"}
        assert client.post(f"/persons/{zhangsan.pk}/reveal/", reveal).status_code == 404
        assert client.get(f"/persons/households/{zhangsan.household_id}/").status_code == 404
    assert client_of(personas.commander).get("/persons/999999/").status_code == 404
    assert not AccessLog.objects.filter(action=Action.REVEAL).exists()


def test_a_merged_id_redirects_to_the_survivor(tree, personas, client_of, zhangsan, register):
    duplicate = register(unit=tree.yuetang, name="张三")
    person_merge(actor=personas.township_officer, keep=zhangsan, merge=duplicate)
    response = client_of(personas.village_worker).get(f"/persons/{duplicate.pk}/")
    assert response.status_code == 302
    assert response.url == f"/persons/{zhangsan.pk}/"


def test_detail_hints_at_duplicates(tree, personas, client_of, zhangsan, register):
    register(unit=tree.yuetang, name="张三", birth_date=date(1990, 1, 1))
    response = client_of(personas.village_worker).get(f"/persons/{zhangsan.pk}/")
    assert "可能重复登记：" in response.content.decode()


def test_reveal_shows_the_full_value_and_logs_the_reason(personas, client_of, zhangsan):
    # when
    response = client_of(personas.village_worker).post(
        f"/persons/{zhangsan.pk}/reveal/",
        {"field": "id_number", "reason": "核对身份"},
        headers={"HX-Request": "true"},
    )
    # then
    html = response.content.decode()
    assert ID_ZHANGSAN in html and "<html" not in html
    assert response.headers["Cache-Control"].startswith("max-age=0")
    log = AccessLog.objects.get(action=Action.REVEAL)
    assert (log.field, log.reason) == ("id_number", "核对身份")


def test_reveal_without_a_reason_shows_the_form_again(personas, client_of, zhangsan):
    response = client_of(personas.village_worker).post(
        f"/persons/{zhangsan.pk}/reveal/", {"field": "mobile", "reason": ""}
    )
    html = response.content.decode()
    assert "请填写查看事由。" in html and "13800138000" not in html
    assert not AccessLog.objects.filter(action=Action.REVEAL).exists()


def test_reveal_needs_the_capability(personas, client_of, zhangsan):
    response = client_of(personas.auditor).post(
        f"/persons/{zhangsan.pk}/reveal/", {"field": "id_number", "reason": "审计"}
    )
    assert response.status_code == 403


def test_reveal_is_post_only(personas, client_of, zhangsan):
    assert (
        client_of(personas.village_worker).get(f"/persons/{zhangsan.pk}/reveal/").status_code == 405
    )


# create


def test_create_registers_and_opens_the_person(tree, personas, client_of):
    response = client_of(personas.village_worker).post("/persons/new/", form_data(tree))
    person = Person.objects.get()
    assert response.status_code == 302 and response.url == f"/persons/{person.pk}/"
    assert (person.sex, person.birth_date, person.mobile) == ("F", date(1985, 3, 15), "13900139000")


def test_create_shows_field_level_errors(tree, personas, client_of):
    response = client_of(personas.village_worker).post(
        "/persons/new/",
        form_data(tree, name="", id_number="430281198503150024", mobile="1390013900"),
    )
    errors = response.context["form"].errors
    assert errors == {
        "name": ["请填写姓名。"],
    }
    response = client_of(personas.village_worker).post(
        "/persons/new/", form_data(tree, id_number="430281198503150024", mobile="1390013900")
    )
    assert response.context["form"].errors == {
        "id_number": ["身份证号校验位不对：最后一位应为 3，实际为 4，请逐位核对。"],
        "mobile": ["手机号应为 11 位，现在是 10 位。"],
    }
    assert not Person.objects.exists()


def test_create_shows_candidates_until_confirmed(tree, personas, client_of, register):
    # given: 李四 registered without ID number but with her birth date
    existing = register(unit=tree.yuetang, name="李四", birth_date=date(1985, 3, 15))
    client = client_of(personas.village_worker)
    # when
    response = client.post("/persons/new/", form_data(tree))
    # then
    assert response.status_code == 200
    assert response.context["candidates"] == [existing]
    assert "确认不是同一人" in response.content.decode()
    assert Person.objects.count() == 1
    # when: the worker confirms
    response = client.post("/persons/new/", form_data(tree, confirm_not_duplicate="on"))
    # then
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_create_with_a_registered_id_number_offers_the_existing_person(
    tree, personas, client_of, zhangsan
):
    response = client_of(personas.village_worker).post(
        "/persons/new/", form_data(tree, name="张叁", id_number=ID_ZHANGSAN, mobile="")
    )
    assert response.context["form"].errors == {
        "id_number": ["该身份证号已登记：张三（月塘居委会），请打开已有人员。"]
    }
    assert f'href="/persons/{zhangsan.pk}/"' in response.content.decode()


def test_out_of_jurisdiction_create_cannot_pick_the_unit(tree, personas, client_of):
    response = client_of(personas.outsider).post("/persons/new/", form_data(tree))
    assert "unit" in response.context["form"].errors
    assert not Person.objects.exists()
    assert client_of(personas.auditor).get("/persons/new/").status_code == 404


# edit


def test_edit_never_puts_full_numbers_in_the_form(personas, client_of, zhangsan):
    html = client_of(personas.village_worker).get(f"/persons/{zhangsan.pk}/edit/").content.decode()
    assert ID_ZHANGSAN not in html and "13800138000" not in html
    assert f'placeholder="{MASKED_ID}"' in html


def test_edit_saves_and_bumps_the_version(tree, personas, client_of, zhangsan):
    data = form_data(
        tree, name="张三丰", id_number="", mobile="", address="月塘路 1 号", version="1"
    )
    response = client_of(personas.village_worker).post(f"/persons/{zhangsan.pk}/edit/", data)
    assert response.status_code == 302
    zhangsan.refresh_from_db()
    assert (zhangsan.name, zhangsan.version, zhangsan.id_number) == ("张三丰", 2, ID_ZHANGSAN)


def test_stale_edit_shows_the_current_values(tree, personas, client_of, zhangsan):
    # given: the officer saved while the worker had the form open
    person_update(actor=personas.township_officer, person=zhangsan, version=1, name="张三丰")
    data = form_data(tree, name="张叁", id_number="", mobile="", address="月塘路 1 号", version="1")
    # when
    response = client_of(personas.village_worker).post(f"/persons/{zhangsan.pk}/edit/", data)
    # then
    assert response.status_code == 409
    assert "这条记录刚被别人修改过" in response.content.decode()
    assert response.context["form"]["name"].value() == "张三丰"
    assert response.context["form"]["version"].value() == 2
    assert Person.objects.get(pk=zhangsan.pk).name == "张三丰"


def test_auditor_cannot_edit(personas, client_of, zhangsan):
    assert client_of(personas.auditor).get(f"/persons/{zhangsan.pk}/edit/").status_code == 403


def test_the_auditor_sees_who_viewed_the_person_and_a_worker_does_not(
    personas, client_of, zhangsan
):
    viewers = f"/audit/persons/{zhangsan.pk}/"
    page = client_of(personas.auditor).get(f"/persons/{zhangsan.pk}/").content.decode()
    assert viewers in page
    page = client_of(personas.village_worker).get(f"/persons/{zhangsan.pk}/").content.decode()
    assert viewers not in page


# merge


def test_officer_merges_a_duplicate(tree, personas, client_of, zhangsan, register):
    duplicate = register(unit=tree.yuetang, name="张三", birth_date=date(1990, 1, 1))
    client = client_of(personas.township_officer)
    page = client.get(f"/persons/{zhangsan.pk}/merge/")
    assert page.context["candidates"] == [duplicate]
    response = client.post(
        f"/persons/{zhangsan.pk}/merge/", {"merge_id": duplicate.pk, "confirm": "on"}
    )
    assert response.status_code == 302 and response.url == f"/persons/{zhangsan.pk}/"
    duplicate.refresh_from_db()
    assert duplicate.merged_into == zhangsan


def test_merge_needs_confirmation(tree, personas, client_of, zhangsan, register):
    duplicate = register(unit=tree.yuetang, name="张三")
    response = client_of(personas.township_officer).post(
        f"/persons/{zhangsan.pk}/merge/", {"merge_id": duplicate.pk}
    )
    assert "请先确认两条记录是同一人。" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


@pytest.mark.parametrize("persona", ["village_worker", "outsider"])
def test_merge_page_is_404_without_the_capability_or_out_of_jurisdiction(
    personas, client_of, zhangsan, persona
):
    client = client_of(getattr(personas, persona))
    assert client.get(f"/persons/{zhangsan.pk}/merge/").status_code == 404


def test_merge_page_search_is_a_post(personas, client_of, zhangsan, lisi):
    response = client_of(personas.township_officer).post(
        f"/persons/{zhangsan.pk}/merge/", {"q": ID_LISI}
    )
    assert response.context["results"] == [lisi]
    assert ID_LISI not in response.content.decode()


# household


def test_household_page_lists_its_members_masked(tree, personas, client_of, zhangsan, register):
    register(unit=tree.yuetang, name="张妻", mobile="13700137000", address="月塘路 1 号")
    response = client_of(personas.village_worker).get(
        f"/persons/households/{zhangsan.household_id}/"
    )
    html = response.content.decode()
    assert [p.name for p in response.context["members"]] == ["张三", "张妻"]
    assert "137****7000" in html and "13700137000" not in html


def test_pages_need_a_login(zhangsan):
    response = Client().get(f"/persons/{zhangsan.pk}/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
