"""On a phone: the grid worker exports the person list of 月塘 from the list's "导出" button,
states the purpose, follows the job and downloads the masked file. Screenshots go to
test-artifacts/exports/."""

import re

import pytest
from python_calamine import CalamineWorkbook

from bastion.core.tests.browser import screenshot
from bastion.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_exports_the_person_list_on_a_phone(live_server, phone_page, personas, people):
    page = phone_page
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", personas.village_worker.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))
    # when: the worker opens the list and presses 导出
    page.goto(base + "/persons/")
    page.click("[data-export-button]")
    page.wait_for_url(re.compile(r"/exports/new/\?dataset=persons"))
    assert page.locator("[data-rows]").inner_text() == "1"
    assert not page.locator("#id_reveal").is_checked()  # masked unless asked
    screenshot(page, "exports/1-request")
    page.click("[data-export-submit]")
    assert page.locator("[data-field=purpose]").inner_text() == "请填写用途。"
    page.fill("#id_purpose", "上报返乡人员名单")
    page.click("[data-export-submit]")
    page.wait_for_selector("[data-export-download]")
    screenshot(page, "exports/2-done")
    with page.expect_download() as info:
        page.click("[data-export-download]")
    path = info.value.path()
    # then: the file holds the masked row
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[1][1:3] == ["张*", "4302**********0011"]
