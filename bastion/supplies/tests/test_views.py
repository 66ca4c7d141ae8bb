import io
import uuid
from datetime import date

from python_calamine import CalamineWorkbook

from bastion.audit.models import AccessLog
from bastion.supplies import services
from bastion.supplies.models import Donation, StockMovement


def issue_form(unit, item, quantity="20", **extra):
    data = {
        "unit": unit.code,
        "item": item.pk,
        "quantity": quantity,
        "counterparty_kind": "household",
        "counterparty": "月塘路 1 号 张家",
        "client_uuid": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_index_opens_the_users_own_stock_page(tree, personas, client_of):
    response = client_of(personas.village_worker).get("/supplies/")
    assert (
        response.status_code == 302
        and response["Location"] == f"/supplies/units/{tree.yuetang.code}/"
    )


def test_the_issue_form_records_and_the_stock_drops(tree, personas, client_of, masks, receive):
    # given
    receive(tree.yuetang, masks, 500)
    client = client_of(personas.village_worker)
    assert client.get("/supplies/issue/").status_code == 200
    # when
    response = client.post("/supplies/issue/", issue_form(tree.yuetang, masks, "50"), follow=True)
    # then
    page = response.content.decode()
    assert "已发放口罩 50个。" in page
    assert services.on_hand(unit=tree.yuetang, item=masks) == 450
    assert response.redirect_chain[-1][0] == f"/supplies/units/{tree.yuetang.code}/"


def test_the_issue_form_remembers_the_last_unit_and_item(tree, personas, client_of, masks, receive):
    receive(tree.yuetang, masks, 500)
    client = client_of(personas.township_officer)
    client.post("/supplies/issue/", issue_form(tree.yuetang, masks))
    form = client.get("/supplies/issue/").context["form"]
    assert form.initial["unit"] == tree.yuetang.code and form.initial["item"] == masks.pk


def test_a_double_tap_records_one_issue(tree, personas, client_of, masks, receive):
    receive(tree.yuetang, masks, 500)
    client = client_of(personas.village_worker)
    data = issue_form(tree.yuetang, masks)
    client.post("/supplies/issue/", data)
    second = client.post("/supplies/issue/", data, follow=True)
    assert "这条记录已经保存过，没有重复登记。" in second.content.decode()
    assert StockMovement.objects.filter(kind="issue").count() == 1


def test_boxes_are_counted_in_pieces(tree, personas, client_of, masks, items, receive):
    receive(tree.yuetang, masks, 500)
    client = client_of(personas.village_worker)
    client.post("/supplies/issue/", issue_form(tree.yuetang, masks, "2", in_boxes="on"))
    assert services.on_hand(unit=tree.yuetang, item=masks) == 400
    response = client.post(
        "/supplies/issue/", issue_form(tree.yuetang, items["84 消毒液"], "1", in_boxes="on")
    )
    assert response.context["form"].errors["in_boxes"] == ["该物资不按盒计数，请按件填写。"]


def test_an_issue_beyond_stock_shows_the_field_error(tree, personas, client_of, masks, receive):
    receive(tree.yuetang, masks, 10)
    response = client_of(personas.village_worker).post(
        "/supplies/issue/", issue_form(tree.yuetang, masks, "11")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["quantity"] == ["库存不足：口罩现有10个，不能发放11个。"]


def test_the_issue_form_refuses_a_unit_outside_the_jurisdiction(
    tree, personas, client_of, masks, receive
):
    # given: stock at the neighbouring village
    receive(tree.liyujuwei, masks, 100)
    # when: the worker of 月塘 posts it anyway
    response = client_of(personas.village_worker).post(
        "/supplies/issue/", issue_form(tree.liyujuwei, masks)
    )
    # then
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not StockMovement.objects.filter(kind="issue").exists()


def test_the_stock_page_shows_burn_rate_days_and_low_flags(
    tree, personas, client_of, masks, receive, issue
):
    # given: 80 issued this week, 20 left: 2 days of supply
    receive(tree.yuetang, masks, 100)
    issue(tree.yuetang, masks, 80)
    # when
    page = client_of(personas.village_worker).get(f"/supplies/units/{tree.yuetang.code}/")
    # then
    assert page.status_code == 200
    levels = page.context["levels"]
    assert [(lv.item.name, lv.on_hand, lv.days_of_supply) for lv in levels] == [("口罩", 20, 1.75)]
    html = page.content.decode()
    assert "库存偏低" in html and 'data-low-count="1"' in html


def test_the_township_sees_villages_running_low(
    tree, personas, client_of, items, receive, issue, django_assert_max_num_queries
):
    # given: every item moves in both villages; masks run low in 月塘
    for item in items.values():
        for village in (tree.yuetang, tree.liyujuwei):
            receive(village, item, 1000)
            issue(village, item, 10)
    issue(tree.yuetang, items["口罩"], 980)
    client = client_of(personas.township_officer)
    client.get(f"/supplies/units/{tree.liyu.code}/")
    # when: the page's queries do not grow with items or villages
    with django_assert_max_num_queries(14):
        page = client.get(f"/supplies/units/{tree.liyu.code}/")
    # then
    assert [r.unit.code for r in page.context["low_below"]] == [tree.yuetang.code]
    assert "下级单位库存偏低" in page.content.decode()


def test_stock_pages_outside_the_jurisdiction_are_404(tree, personas, client_of):
    client = client_of(personas.village_worker)
    assert client.get(f"/supplies/units/{tree.liyujuwei.code}/").status_code == 404
    assert client.get(f"/supplies/units/{tree.liyujuwei.code}/ledger/").status_code == 404
    assert client.get(f"/supplies/units/{tree.liyujuwei.code}/record/").status_code == 404
    assert client.get("/supplies/units/430299999999/").status_code == 404


def test_record_form_transfers_to_a_village(tree, personas, client_of, masks, receive):
    receive(tree.liyu, masks, 100)
    client = client_of(personas.township_officer)
    page = client.get(f"/supplies/units/{tree.liyu.code}/record/")
    choices = [c[0] for c in page.context["form"].fields["to_unit"].choices]
    assert tree.yuetang.code in choices and tree.tianyuan.code in choices
    response = client.post(
        f"/supplies/units/{tree.liyu.code}/record/",
        {
            "kind": "transfer_out",
            "item": masks.pk,
            "quantity": "40",
            "to_unit": tree.yuetang.code,
            "client_uuid": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert services.on_hand(unit=tree.yuetang, item=masks) == 40


def test_record_form_shows_service_errors_beside_fields(tree, personas, client_of, masks):
    response = client_of(personas.township_officer).post(
        f"/supplies/units/{tree.liyu.code}/record/",
        {
            "kind": "transfer_out",
            "item": masks.pk,
            "quantity": "5",
            "client_uuid": str(uuid.uuid4()),
        },
    )
    assert response.context["form"].errors["to_unit"] == ["请选择调入单位。"]


def test_the_minimum_is_set_from_the_stock_page(tree, personas, client_of, masks):
    client = client_of(personas.village_worker)
    client.post(
        f"/supplies/units/{tree.yuetang.code}/minimum/", {"item": masks.pk, "minimum": "200"}
    )
    page = client.get(f"/supplies/units/{tree.yuetang.code}/")
    assert [(lv.item.name, lv.minimum, lv.is_low) for lv in page.context["levels"]] == [
        ("口罩", 200, True)
    ]


def test_the_ledger_lists_and_is_logged(
    tree, personas, client_of, masks, receive, issue, django_assert_max_num_queries
):
    for _ in range(5):
        receive(tree.yuetang, masks, 10)
        issue(tree.yuetang, masks, 1)
    client = client_of(personas.village_worker)
    client.get(f"/supplies/units/{tree.yuetang.code}/ledger/")  # warm the session
    with django_assert_max_num_queries(12):
        page = client.get(f"/supplies/units/{tree.yuetang.code}/ledger/", {"kind": "issue"})
    assert page.context["page"].paginator.count == 5
    assert AccessLog.objects.filter(object_type="stock_movement", action="list").count() == 2


def test_the_excel_export_needs_a_reason_masks_people_and_is_logged(
    tree, personas, client_of, masks, receive, issue
):
    # given
    receive(tree.yuetang, masks, 100)
    services.stock_issue(
        actor=personas.village_worker,
        unit=tree.yuetang,
        item=masks,
        quantity=5,
        counterparty="张三丰",
        counterparty_kind="person",
        client_uuid=uuid.uuid4(),
    )
    client = client_of(personas.village_worker)
    url = f"/supplies/units/{tree.yuetang.code}/ledger/"
    # when: no reason
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and refused.context["export"].errors["reason"]
    # when: with a reason
    response = client.post(url, {"reason": "报送街道物资日报"})
    # then
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[1][:4] == ["发生时间", "单位", "单位代码", "物资"]
    issued = next(r for r in rows[2:] if r[4] == "发放")
    assert issued[10] == "张**" and issued[6] == -5
    assert b"\xe5\xbc\xa0\xe4\xb8\x89\xe4\xb8\xb0" not in response.content  # 张三丰
    log = AccessLog.objects.get(action="export")
    assert (log.reason, log.detail["count"], log.unit_code) == (
        "报送街道物资日报",
        2,
        tree.yuetang.code,
    )


def test_registering_a_donation_on_the_web(tree, personas, client_of, masks):
    client = client_of(personas.township_officer)
    assert client.get("/supplies/donations/new/").status_code == 200
    response = client.post(
        "/supplies/donations/new/",
        {
            "unit": tree.liyu.code,
            "donor_name": "株洲某建材有限公司",
            "donor_kind": "private_enterprise",
            "money": "20000",
            "item_1": masks.pk,
            "quantity_1": "1000",
            "donated_on": "2020-01-30",
            "receipt_no": "LY-001",
            "purpose": "采购防疫物资",
            "client_uuid": str(uuid.uuid4()),
        },
        follow=True,
    )
    assert "捐赠已登记。" in response.content.decode()
    donation = Donation.objects.get()
    assert donation.money == 20000 and services.on_hand(unit=tree.liyu, item=masks) == 1000


def test_a_goods_line_needs_both_item_and_quantity(tree, personas, client_of, masks):
    response = client_of(personas.township_officer).post(
        "/supplies/donations/new/",
        {
            "unit": tree.liyu.code,
            "donor_name": "某公司",
            "donor_kind": "soe",
            "item_1": masks.pk,
            "donated_on": "2020-01-30",
            "client_uuid": str(uuid.uuid4()),
        },
    )
    assert response.context["form"].errors["quantity_1"] == ["请填写数量。"]


def test_village_workers_see_donations_but_do_not_register_them(tree, personas, client_of):
    client = client_of(personas.village_worker)
    assert client.get("/supplies/donations/").status_code == 200
    assert client.get("/supplies/donations/new/").status_code == 404


def test_usage_notes_are_saved_and_a_stale_form_says_so(tree, personas, client_of):
    donation, _ = services.donation_record(
        actor=personas.township_officer,
        unit=tree.liyu,
        donor_name="攸县某商会",
        donor_kind="social_org",
        money=500,
        donated_on=date(2020, 1, 30),
        client_uuid=uuid.uuid4(),
    )
    client = client_of(personas.township_officer)
    url = f"/supplies/donations/{donation.pk}/"
    ok = client.post(url, {"usage_notes": "购买测温枪 2 把", "version": "1"})
    assert ok.status_code == 302
    stale = client.post(url, {"usage_notes": "别的", "version": "1"})
    assert stale.context["stale"] is True
    assert Donation.objects.get().usage_notes == "购买测温枪 2 把"


def test_donations_outside_the_jurisdiction_are_404(tree, personas, client_of):
    donation, _ = services.donation_record(
        actor=personas.township_officer,
        unit=tree.liyu,
        donor_name="某公司",
        donor_kind="soe",
        money=500,
        donated_on=date(2020, 1, 30),
        client_uuid=uuid.uuid4(),
    )
    outsider = client_of(personas.outsider)
    assert outsider.get(f"/supplies/donations/{donation.pk}/").status_code == 404
    assert outsider.get("/supplies/donations/", {"unit": tree.liyu.code}).status_code == 404
    assert outsider.get("/supplies/donations/").context["page"].paginator.count == 0


def test_pages_need_a_login(tree, client):
    response = client.get("/supplies/issue/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
