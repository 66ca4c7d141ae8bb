"""A grid worker on a phone issues masks to a household and sees the stock drop.
Screenshots go to test-artifacts/supplies/."""

import re
import uuid

import pytest

from bastion.core.tests.browser import screenshot
from bastion.supplies import services
from bastion.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_grid_worker_issues_masks_and_sees_the_stock_drop(live_server, phone_page, tree, personas):
    # given: 月塘 holds 500 masks (the items are re-created: a transactional test flushes them)
    masks = services.items_ensure()["口罩"]
    services.stock_receive(
        actor=personas.township_officer,
        unit=tree.yuetang,
        item=masks,
        quantity=500,
        source="allocation",
        counterparty="栗雨街道",
        client_uuid=uuid.uuid4(),
    )
    page = phone_page
    # when: the worker logs in and opens the supplies
    page.goto(live_server.url + "/accounts/login/?next=/supplies/")
    page.fill("input[name=username]", personas.village_worker.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/supplies/units/{tree.yuetang.code}/$"))
    assert page.inner_text("[data-item='口罩'] [data-on-hand]") == "500"
    screenshot(page, "supplies/1-stock")
    # and records an issue of one box of masks (50) to a household
    page.click("[data-action=issue]")
    page.wait_for_selector("[data-issue-form]")
    page.click("label:has-text('口罩') >> nth=0")
    page.fill("input[name=quantity]", "1")
    page.check("input[name=in_boxes]")
    page.click("label:has-text('住户')")
    page.fill("input[name=counterparty]", "月塘路 1 号 张家")
    screenshot(page, "supplies/2-issue-form")
    page.click("[data-issue-form] button[type=submit]")
    # then: back on the stock page, 450 left, the issue in the ledger
    page.wait_for_url(re.compile(rf"/supplies/units/{tree.yuetang.code}/$"))
    assert "已发放口罩 50个。" in page.inner_text("main")
    assert page.inner_text("[data-item='口罩'] [data-on-hand]") == "450"
    screenshot(page, "supplies/3-stock-after")
    page.click("a:has-text('台账')")
    page.wait_for_selector("[data-ledger]")
    assert "-50" in page.inner_text("[data-ledger] [data-movement] [data-delta] >> nth=0")
    screenshot(page, "supplies/4-ledger")


def test_officer_registers_a_donation_and_the_public_page_shows_it(
    live_server, phone_page, tree, personas
):
    # given
    services.items_ensure()
    page = phone_page
    page.goto(live_server.url + "/accounts/login/?next=/supplies/donations/new/")
    page.fill("input[name=username]", personas.township_officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/supplies/donations/new/$"))
    # when: an individual who did not agree to be named gives ¥2,000 and 100 masks
    page.fill("input[name=donor_name]", "李某某")
    page.click("label:has-text('个人')")
    page.fill("input[name=money]", "2000")
    page.select_option("select[name=item_1]", label="口罩")
    page.fill("input[name=quantity_1]", "100")
    page.fill("input[name=purpose]", "社区卡点防护")
    screenshot(page, "supplies/5-donation-form")
    page.click("[data-donation-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/supplies/donations/\d+/$"))
    assert page.inner_text("[data-public-name]") == "爱心人士"
    # then: a visitor without an account sees the donation, but not the name
    visitor = page.context.browser.new_context(locale="zh-CN").new_page()
    visitor.goto(live_server.url + "/public/donations")
    text = visitor.inner_text("main")
    assert "爱心人士" in text and "李某某" not in text and "¥2,000.00" in text
    assert "口罩 100个" in text and "社区卡点防护" in text
    visitor.set_viewport_size({"width": 390, "height": 844})
    screenshot(visitor, "supplies/6-public-donations")
    visitor.context.close()
