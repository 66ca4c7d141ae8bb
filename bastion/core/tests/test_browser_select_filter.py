"""A long unit list gets a filter box: a township officer with 40+ villages finds one by typing."""

import re

import pytest

from bastion.core.tests.browser import screenshot
from bastion.orgs.models import Level
from bastion.testing import PASSWORD, unit

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_part_of_a_name_narrows_a_long_unit_list(live_server, phone_page, tree, personas):
    # given: 栗雨街道 with 45 more villages, so its officer's unit list is long
    for n in range(45):
        unit(f"430211003{200 + n:03d}", f"测试{n:02d}村委会", Level.VILLAGE, tree.liyu)
    page = phone_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", personas.township_officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))
    page.goto(live_server.url + "/community/gatherings/new/")
    select = page.locator("select[name=unit]")
    assert select.locator("option").count() > 40
    # when: the officer types part of a village's name into the box above the list
    page.locator("input[type=search]").first.fill("月塘")
    # then: only that village (and the blank choice) is left, and it can be chosen
    texts = [t.strip() for t in select.locator("option").all_inner_texts()]
    assert [t for t in texts if t not in ("", "—")] == [t for t in texts if "月塘" in t]
    assert any("月塘居委会" in t for t in texts)
    select.select_option(label=next(t for t in texts if "月塘居委会" in t))
    screenshot(page, "core/select-filter-phone")
    # and clearing the box brings every unit back, keeping the choice
    page.locator("input[type=search]").first.fill("")
    assert select.locator("option").count() > 40
    assert select.input_value() == tree.yuetang.code
