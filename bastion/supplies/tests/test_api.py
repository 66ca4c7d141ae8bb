import uuid

from bastion.audit.models import AccessLog
from bastion.supplies import services
from bastion.supplies.models import Donation, StockMovement


def post(client, path, body, **headers):
    return client.post(path, body, content_type="application/json", **headers)


def movement(unit, item, kind="issue", quantity=10, **extra):
    body = {
        "unit": unit.code,
        "item": item.pk,
        "kind": kind,
        "quantity": quantity,
        "counterparty": "月塘路 1 号",
        "counterparty_kind": "household",
        "client_uuid": str(uuid.uuid4()),
    }
    body.update(extra)
    return body


def test_items_lists_the_common_items(tree, personas, client_of, items):
    found = client_of(personas.village_worker).get("/api/v1/items").json()
    names = [i["name"] for i in found]
    assert names[:3] == ["口罩", "医用外科口罩", "N95 口罩"] and "84 消毒液" in names
    masks = found[0]
    assert (masks["measure"], masks["measure_label"], masks["pieces_per_box"]) == (
        "piece",
        "个",
        50,
    )


def test_records_an_issue_201_then_replays_it_200(tree, personas, client_of, masks, receive):
    # given
    receive(tree.yuetang, masks, 100)
    client = client_of(personas.village_worker)
    body = movement(tree.yuetang, masks, quantity=30)
    # when
    first = post(client, "/api/v1/stock-movements", body)
    again = post(client, "/api/v1/stock-movements", body)
    # then
    assert first.status_code == 201 and again.status_code == 200
    assert first.json() == again.json()
    data = first.json()
    assert (data["kind"], data["quantity"], data["delta"], data["actor"]) == (
        "issue",
        30,
        -30,
        str(personas.village_worker),
    )
    assert StockMovement.objects.filter(kind="issue").count() == 1


def test_an_idempotency_key_replays_as_well(tree, personas, client_of, masks, receive):
    receive(tree.yuetang, masks, 100)
    client = client_of(personas.village_worker)
    body = movement(tree.yuetang, masks)
    first = post(client, "/api/v1/stock-movements", body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, "/api/v1/stock-movements", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()


def test_refuses_an_issue_beyond_stock_with_a_field_error(tree, personas, client_of, masks):
    response = post(
        client_of(personas.village_worker),
        "/api/v1/stock-movements",
        movement(tree.yuetang, masks, quantity=5),
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "库存不足：口罩现有0个，不能发放5个。",
        "errors": [{"field": "quantity", "message": "库存不足：口罩现有0个，不能发放5个。"}],
    }


def test_a_transfer_names_the_destination_unit(tree, personas, client_of, masks, receive):
    receive(tree.liyu, masks, 100)
    body = movement(tree.liyu, masks, kind="transfer_out", quantity=60)
    body["counterparty_unit"] = tree.yuetang.code
    response = post(client_of(personas.township_officer), "/api/v1/stock-movements", body)
    assert response.status_code == 201
    assert response.json()["counterparty_unit_code"] == tree.yuetang.code
    assert services.on_hand(unit=tree.yuetang, item=masks) == 60


def test_rejects_transfer_in_and_unknown_units(tree, personas, client_of, masks):
    client = client_of(personas.township_officer)
    assert (
        post(
            client, "/api/v1/stock-movements", movement(tree.liyu, masks, kind="transfer_in")
        ).status_code
        == 422
    )
    body = movement(tree.liyu, masks, kind="transfer_out")
    body["counterparty_unit"] = "430299999999"
    response = post(client, "/api/v1/stock-movements", body)
    assert response.json()["errors"] == [
        {"field": "counterparty_unit", "message": "对方单位不存在。"}
    ]


def test_writing_outside_the_jurisdiction_is_refused(tree, personas, client_of, masks):
    response = post(
        client_of(personas.outsider),
        "/api/v1/stock-movements",
        movement(tree.yuetang, masks, kind="receipt", source="purchase"),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "unit", "message": "单位不存在或不在您的辖区内。"}
    ]
    assert not StockMovement.objects.exists()


def test_stock_gives_on_hand_burn_rate_and_days_of_supply(
    tree, personas, client_of, masks, receive, issue
):
    # given: the API's clock is the real one, so the ledger is written around now
    receive(tree.yuetang, masks, 1000)
    client = client_of(personas.village_worker)
    post(client, "/api/v1/stock-movements", movement(tree.yuetang, masks, quantity=70))
    # when
    response = client.get("/api/v1/stock", {"unit": tree.yuetang.code})
    # then
    assert response.status_code == 200
    data = response.json()
    assert (data["unit_name"], data["rollup"], data["low_stock_days"]) == ("月塘居委会", False, 3)
    (row,) = data["items"]
    assert row == {
        "item_id": masks.pk,
        "item_name": "口罩",
        "measure": "piece",
        "on_hand": 930,
        "issued_last_7_days": 70,
        "burn_rate": 10.0,
        "days_of_supply": 93.0,
        "minimum": 0,
        "low": False,
    }


def test_stock_of_a_unit_outside_the_jurisdiction_is_404_like_missing(tree, personas, client_of):
    client = client_of(personas.neighbour_worker)
    out = client.get("/api/v1/stock", {"unit": tree.yuetang.code})
    missing = client.get("/api/v1/stock", {"unit": "430299999999"})
    assert out.status_code == missing.status_code == 404
    assert out.json() == missing.json() == {"detail": "未找到。", "errors": []}


def test_the_ledger_list_is_paged_and_logged(tree, personas, client_of, masks, receive, issue):
    receive(tree.yuetang, masks, 100)
    issue(tree.yuetang, masks, 1)
    client = client_of(personas.township_officer)
    response = client.get(
        "/api/v1/stock-movements", {"unit": tree.liyu.code, "rollup": True, "page_size": 1}
    )
    data = response.json()
    assert (data["count"], len(data["items"])) == (2, 1)
    log = AccessLog.objects.get(object_type="stock_movement")
    assert (log.action, log.channel, log.detail["count"]) == ("list", "api", 2)
    assert (
        client_of(personas.outsider)
        .get("/api/v1/stock-movements", {"unit": tree.yuetang.code})
        .status_code
        == 404
    )


def donation_body(unit, **extra):
    body = {
        "unit": unit.code,
        "donor_name": "湖南华源荣康药业有限公司",
        "donor_kind": "private_enterprise",
        "donated_on": "2020-01-28",
        "client_uuid": str(uuid.uuid4()),
    }
    body.update(extra)
    return body


def test_records_a_goods_donation_and_replays_it(tree, personas, client_of, masks):
    client = client_of(personas.township_officer)
    body = donation_body(tree.liyu, goods=[{"item": masks.pk, "quantity": 5000}], money="0")
    first = post(client, "/api/v1/donations", body)
    again = post(client, "/api/v1/donations", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    data = first.json()
    assert data["goods"] == [
        {"item_id": masks.pk, "item_name": "口罩", "quantity": 5000, "measure": "个"}
    ]
    assert data["public_donor_name"] == "湖南华源荣康药业有限公司"
    assert services.on_hand(unit=tree.liyu, item=masks) == 5000


def test_donation_money_is_decimal_with_two_places(tree, personas, client_of):
    client = client_of(personas.township_officer)
    ok = post(client, "/api/v1/donations", donation_body(tree.liyu, money="120000.00"))
    assert ok.status_code == 201 and ok.json()["money"] == "120000.00"
    bad = post(client, "/api/v1/donations", donation_body(tree.liyu, money="1.234"))
    assert bad.status_code == 422
    nothing = post(client, "/api/v1/donations", donation_body(tree.liyu))
    assert nothing.json()["errors"] == [{"field": "money", "message": "请填写捐款金额或捐赠物资。"}]


def test_donations_list_is_scoped(tree, personas, client_of):
    post(
        client_of(personas.township_officer),
        "/api/v1/donations",
        donation_body(tree.liyu, money="10", donor_name="张三", donor_kind="individual"),
    )
    mine = client_of(personas.county_officer).get("/api/v1/donations").json()
    assert mine["count"] == 1 and mine["items"][0]["public_donor_name"] == "爱心人士"
    assert client_of(personas.outsider).get("/api/v1/donations").json()["count"] == 0
    assert (
        client_of(personas.outsider).get("/api/v1/donations", {"unit": tree.liyu.code}).status_code
        == 404
    )


def test_village_workers_cannot_register_donations(tree, personas, client_of):
    response = post(
        client_of(personas.village_worker),
        "/api/v1/donations",
        donation_body(tree.yuetang, money="5"),
    )
    assert response.status_code == 422
    assert not Donation.objects.exists()


def test_anonymous_gets_401(tree, client):
    assert client.get("/api/v1/stock", {"unit": tree.yuetang.code}).status_code == 401
    assert (
        client.post("/api/v1/stock-movements", {}, content_type="application/json").status_code
        == 401
    )
