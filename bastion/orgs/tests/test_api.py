def test_unit_and_children(tree, personas, client_of):
    client = client_of(personas.township_officer)
    unit = client.get(f"/api/v1/units/{tree.liyu.code}").json()
    assert unit["name"] == "栗雨街道" and unit["level"] == "township"
    children = client.get(f"/api/v1/units/{tree.liyu.code}/children").json()
    assert [c["code"] for c in children] == [tree.liyujuwei.code, tree.yuetang.code]


def test_search_by_pinyin(tree, personas, client_of):
    found = client_of(personas.commander).get("/api/v1/units", {"q": "ytjwh"}).json()
    assert [u["name"] for u in found] == ["月塘居委会"]


def test_out_of_jurisdiction_answers_404_like_missing(tree, personas, client_of):
    client = client_of(personas.neighbour_worker)
    out = client.get(f"/api/v1/units/{tree.yuetang.code}")
    missing = client.get("/api/v1/units/430299999999")
    assert out.status_code == missing.status_code == 404
    assert out.json() == missing.json() == {"detail": "未找到。", "errors": []}
    assert client.get(f"/api/v1/units/{tree.yuetang.code}/children").status_code == 404


def test_anonymous_gets_401(tree, client):
    assert client.get(f"/api/v1/units/{tree.city.code}").status_code == 401
