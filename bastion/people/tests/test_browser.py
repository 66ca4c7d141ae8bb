"""The grid worker's walk on a phone: log in, find a person by name, open the household, see
only masked data, reveal a phone with a reason. Screenshots go to test-artifacts/people/."""

import re

import pytest

from bastion.core.tests.browser import screenshot
from bastion.people.services import person_create
from bastion.people.tests.conftest import ID_ZHANGSAN
from bastion.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_grid_worker_finds_a_person_and_opens_the_household(
    live_server, phone_page, tree, personas
):
    # given
    zhangsan = person_create(
        actor=personas.commander,
        unit=tree.yuetang,
        name="张三",
        id_number=ID_ZHANGSAN,
        mobile="13800138000",
        address="月塘路 1 号",
    )
    person_create(actor=personas.commander, unit=tree.yuetang, name="张妻", address="月塘路 1 号")
    person_create(actor=personas.commander, unit=tree.liyujuwei, name="张邻居")
    page = phone_page
    # when: the worker logs in
    page.goto(live_server.url + "/accounts/login/?next=/persons/")
    page.fill("input[name=username]", personas.village_worker.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/persons/$"))
    screenshot(page, "people/1-list")
    # and searches by name (an htmx POST: the URL does not change)
    page.fill("input[name=q]", "张")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector(f"#results [data-person='{zhangsan.pk}']")
    assert page.url.endswith("/persons/")
    results = page.inner_text("#results")
    assert "张三" in results and "张邻居" not in results
    assert "4302**********0011" in results and ID_ZHANGSAN not in page.content()
    screenshot(page, "people/2-search")
    # and opens the person, then the household
    page.click(f"#results [data-person='{zhangsan.pk}']")
    page.wait_for_selector("[data-household]")
    assert "138****8000" in page.inner_text("main")
    screenshot(page, "people/3-person")
    # and reveals the phone with a reason (htmx, logged)
    page.click("#reveal-mobile button[data-bs-toggle]")
    page.fill("#reveal-form-mobile input[name=reason]", "电话随访")
    page.click("#reveal-form-mobile button[type=submit]")
    page.wait_for_selector("[data-revealed=mobile]")
    assert page.inner_text("[data-revealed=mobile]") == "13800138000"
    screenshot(page, "people/4-revealed")
    page.click("[data-household]")
    page.wait_for_url(re.compile(r"/persons/households/\d+/$"))
    # then
    members = page.inner_text("[data-persons]")
    assert "张三" in members and "张妻" in members
    assert "13800138000" not in page.content()
    screenshot(page, "people/5-household")
