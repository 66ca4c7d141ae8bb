"""The link from a member to the account they sign in with (关联登录账号): pages and API,
scoped, never across jurisdictions."""

import json

from bastion.mobilisation.models import Member


def _put(api, path, body, **headers):
    return api.client.put("/api/v1" + path, json.dumps(body), "application/json", headers=headers)


def test_api_links_and_unlinks_an_account(tree, personas, member_in, api_of):
    # given
    member = member_in(tree.yuetang)
    api = api_of(personas.township_officer)
    path = f"/members/{member.pk}/account"
    # when
    linked = _put(
        api, path, {"account_id": personas.village_worker.pk}, **{"Idempotency-Key": "k1"}
    )
    replay = _put(
        api, path, {"account_id": personas.village_worker.pk}, **{"Idempotency-Key": "k1"}
    )
    # then
    assert linked.status_code == 200
    assert linked.json()["account_id"] == personas.village_worker.pk
    assert replay.status_code == 200 and replay.json() == linked.json()
    assert Member.objects.get(pk=member.pk).account == personas.village_worker
    # and unlinking
    unlinked = _put(api, path, {"account_id": None})
    assert unlinked.status_code == 200 and unlinked.json()["account_id"] is None


def test_api_refuses_out_of_jurisdiction_accounts_and_members(tree, personas, member_in, api_of):
    # given
    member = member_in(tree.yuetang)
    faraway = member_in(tree.wenhualu)
    api = api_of(personas.township_officer)
    # when: an account of 荷塘区, a missing account, a member of 荷塘区
    foreign = _put(api, f"/members/{member.pk}/account", {"account_id": personas.outsider.pk})
    missing = _put(api, f"/members/{member.pk}/account", {"account_id": 999_999})
    elsewhere = _put(
        api, f"/members/{faraway.pk}/account", {"account_id": personas.village_worker.pk}
    )
    # and a village worker, who may not manage members
    worker = _put(
        api_of(personas.village_worker),
        f"/members/{member.pk}/account",
        {"account_id": personas.village_worker.pk},
    )
    # then
    assert foreign.status_code == 422
    assert foreign.json()["errors"] == [
        {"field": "account_id", "message": "账号不存在，或不在该队员所在辖区任职。"}
    ]
    assert missing.status_code == 422 and missing.json() == foreign.json()
    assert elsewhere.status_code == 404
    assert worker.status_code == 404
    assert not Member.objects.filter(account__isnull=False).exists()


def test_api_links_by_mobile(tree, personas, member_in, api_of):
    # given: the 月塘 worker's mobile is the member's own
    member = member_in(tree.yuetang)
    personas.village_worker.mobile = member.person.mobile
    personas.village_worker.save(update_fields=["mobile"])
    # when
    response = api_of(personas.township_officer).post(
        "/members/link-by-mobile", {"unit": tree.liyu.code}
    )
    outsider = api_of(personas.outsider).post("/members/link-by-mobile", {"unit": tree.liyu.code})
    # then
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["linked"]] == [member.pk]
    assert outsider.status_code == 404


def test_member_page_suggests_the_account_with_the_same_mobile(
    tree, personas, member_in, client_of
):
    # given
    member = member_in(tree.yuetang, name="刘建国")
    personas.village_worker.mobile = member.person.mobile
    personas.village_worker.save(update_fields=["mobile"])
    officer = client_of(personas.township_officer)
    url = f"/mobilisation/members/{member.pk}/"
    # when
    page = officer.get(url)
    # then: the suggestion, and no account of another county among the choices
    html = page.content.decode()
    assert page.status_code == 200
    assert "data-suggestion" in html and personas.village_worker.username in html
    assert personas.outsider.username not in html
    assert "刘**" in html and "刘建国" not in html
    # when: the officer confirms
    done = officer.post(url, {"account": personas.village_worker.pk})
    # then
    assert done.status_code == 302
    assert Member.objects.get(pk=member.pk).account == personas.village_worker
    assert "data-suggestion" not in officer.get(url).content.decode()


def test_member_page_refuses_foreign_accounts_and_field_workers(
    tree, personas, member_in, client_of
):
    member = member_in(tree.yuetang)
    url = f"/mobilisation/members/{member.pk}/"
    # an account not offered is a field error
    refused = client_of(personas.township_officer).post(url, {"account": personas.outsider.pk})
    assert refused.status_code == 200
    assert "账号不存在，或不在该队员所在辖区任职。" in refused.content.decode()
    # a field worker sees the page without the form, and may not post
    worker = client_of(personas.village_worker)
    assert "data-account-form" not in worker.get(url).content.decode()
    assert worker.post(url, {"account": personas.village_worker.pk}).status_code == 404
    # a member of another county is 404
    assert client_of(personas.outsider).get(url).status_code == 404
    assert not Member.objects.filter(account__isnull=False).exists()


def test_member_list_links_by_mobile(tree, personas, member_in, client_of):
    member = member_in(tree.yuetang)
    personas.village_worker.mobile = member.person.mobile
    personas.village_worker.save(update_fields=["mobile"])
    officer = client_of(personas.township_officer)
    listed = officer.get(f"/mobilisation/units/{tree.liyu.code}/members/")
    assert "data-link-by-mobile" in listed.content.decode()
    done = officer.post(f"/mobilisation/units/{tree.liyu.code}/members/link-by-mobile/")
    assert done.status_code == 302
    assert Member.objects.get(pk=member.pk).account == personas.village_worker
    assert (
        client_of(personas.village_worker)
        .post(f"/mobilisation/units/{tree.liyu.code}/members/link-by-mobile/")
        .status_code
        != 302
    )
