from django.core.management import call_command
from django.test import Client


def test_me_lists_memberships_and_capabilities(tree, personas, client_of):
    me = client_of(personas.township_officer).get("/api/v1/me").json()
    assert me["username"] == "township"
    assert me["memberships"][0]["unit_code"] == tree.liyu.code
    assert "manage_accounts" in me["memberships"][0]["capabilities"]


def test_token_command_prints_a_working_token(tree, personas, capsys):
    call_command("token", "create", "worker")
    raw = capsys.readouterr().out.strip()
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_bad_token_is_401_json(tree, personas):
    response = Client().get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录或提供有效的 API 令牌。"


def test_out_of_jurisdiction_units_are_not_listed(tree, personas, client_of):
    roots = client_of(personas.outsider).get("/api/v1/units/roots").json()
    assert [u["code"] for u in roots] == [tree.wenhualu.code]
