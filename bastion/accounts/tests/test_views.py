import time

import pytest
from django.test import Client
from django.test.utils import override_settings

from bastion.accounts.models import User
from bastion.testing import PASSWORD


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_logs_in_by_username_or_mobile(tree, personas):
    assert login(Client(), "worker").status_code == 302
    assert login(Client(), "138 0000 0001").status_code == 302
    assert login(Client(), "+86 13800000001").status_code == 302


def test_wrong_password_says_so_in_chinese(tree, personas):
    response = login(Client(), "worker", "nope")
    assert response.status_code == 200
    assert "用户名（手机号）或密码不对。" in response.content.decode()


def test_locks_out_after_five_failures(tree, personas):
    client = Client()
    for _ in range(5):
        login(client, "worker", "wrong")
    response = login(client, "worker")  # the right password no longer helps
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()


def test_username_and_mobile_count_against_one_account(tree, personas):
    client = Client()
    for typed in ("worker", "13800000001", "138 0000 0001", "worker", "+86 13800000001"):
        login(client, typed, "wrong")
    # Five failures, typed two ways: the account is locked whichever way it is typed next.
    assert login(client, "worker").status_code == 429
    assert login(client, "13800000001").status_code == 429


def test_demo_password_is_refused_outside_the_demo(tree, personas):
    user = personas.village_worker
    user.set_password("demo2020!")
    user.save()
    with override_settings(BASTION_DEMO=False):
        assert login(Client(), "worker", "demo2020!").status_code == 200
    assert login(Client(), "worker", "demo2020!").status_code == 302


def test_session_has_an_absolute_limit(tree, personas, client_of):
    client = client_of(personas.village_worker)
    assert client.get("/").status_code == 200
    session = client.session
    session["bastion_session_started"] = int(time.time()) - 13 * 3600
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_pages_send_a_content_security_policy(tree, personas, client_of):
    response = client_of(personas.village_worker).get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_json_answers_send_their_own_strict_policy_and_the_api_docs_the_pages_one(
    tree, personas, client_of
):
    from bastion.core.api import API_CSP

    client = client_of(personas.village_worker)
    # a JSON answer, and a JSON error answer: nothing to load, framed by nobody
    for path in ("/api/v1/persons", "/api/v1/persons/999999999"):
        response = client.get(path)
        assert response["Content-Type"].startswith("application/json"), path
        assert response.headers["Content-Security-Policy"] == API_CSP, path
        assert "Content-Security-Policy-Report-Only" not in response.headers
    # the HTML docs page loads its scripts from here: the pages' policy
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "script-src 'self'" in docs.headers["Content-Security-Policy"]


def test_township_officer_creates_a_grid_worker_of_its_village(tree, personas, client_of):
    # when
    response = client_of(personas.township_officer).post(
        "/accounts/new/",
        {
            "username": "newworker",
            "display_name": "赵六",
            "mobile": "139-0000-0002",
            "unit": tree.yuetang.code,
            "role": "village_worker",
            "password": "Wangge-2020-ok",
        },
    )
    # then
    assert response.status_code == 302
    created = User.objects.get(username="newworker")
    assert created.mobile == "13900000002"
    assert [(m.unit.code, m.role) for m in created.memberships.all()] == [
        (tree.yuetang.code, "village_worker")
    ]


@pytest.mark.parametrize(
    ("unit_attr", "role", "field", "message"),
    [
        ("liyu", "township_officer", "role", "无权授予该角色。"),
        ("wenhualu", "village_worker", "unit", "选择一个有效的选项。"),
    ],
)
def test_township_officer_cannot_create_above_or_beside(
    tree, personas, client_of, unit_attr, role, field, message
):
    response = client_of(personas.township_officer).post(
        "/accounts/new/",
        {
            "username": "x1",
            "display_name": "某某",
            "unit": getattr(tree, unit_attr).code,
            "role": role,
            "password": "Wangge-2020-ok",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    assert not User.objects.filter(username="x1").exists()


def test_officer_disables_a_worker_but_not_a_neighbouring_township(tree, personas, client_of):
    client = client_of(personas.township_officer)
    assert (
        client.post(f"/accounts/{personas.village_worker.pk}/active/", {"active": "0"}).status_code
        == 302
    )
    personas.village_worker.refresh_from_db()
    assert personas.village_worker.is_active is False
    assert (
        client.post(f"/accounts/{personas.outsider.pk}/active/", {"active": "0"}).status_code == 404
    )
    assert (
        client.post(f"/accounts/{personas.county_officer.pk}/active/", {"active": "0"}).status_code
        == 404
    )


def test_account_list_is_scoped(tree, personas, client_of):
    listed = {
        u.username
        for u in client_of(personas.township_officer).get("/accounts/").context["accounts"]
    }
    assert listed == {"worker", "neighbour"}
    assert client_of(personas.village_worker).get("/accounts/").status_code == 404


def test_user_creates_and_revokes_a_token(tree, personas, client_of):
    client = client_of(personas.village_worker)
    response = client.post("/accounts/me/", {"name": "手机 App"})
    raw = response.context["new_token"]
    api = Client()
    assert (
        api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()["username"]
        == "worker"
    )
    token = personas.village_worker.api_tokens.get()
    assert token.token_hash != raw and raw not in token.hint + token.token_hash
    client.post(f"/accounts/me/tokens/{token.pk}/revoke/")
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
