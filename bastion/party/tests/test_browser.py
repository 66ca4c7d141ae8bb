"""A township officer on a phone drafts the week's briefing, edits a sentence (inserting a
figure with the insert-figure control) and downloads the Word file, which holds the figures.
Screenshots go to test-artifacts/party/."""

import re

import pytest
from docx import Document

from bastion.core.tests.browser import screenshot
from bastion.party import services
from bastion.party.tests.conftest import TODAY
from bastion.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_township_officer_edits_the_weeks_briefing_and_downloads_it(
    live_server, phone_page, tree, personas, front, tmp_path
):
    page = phone_page
    # given: a published deed of 月塘's secretary
    deed = services.deed_record(
        actor=personas.village_worker,
        unit=tree.yuetang,
        member=front.long,
        title="从大年三十至今没和家人吃过一顿饭",
        text="得知辖区居民要办宴席，他上户劝说，让两户结婚宴延期办理，生日宴直接取消。",
        happened_on=TODAY,
        place="月塘社区",
    )
    services.deed_consent(actor=personas.village_worker, deed=deed, note="本人签字")
    # when: the officer opens the briefings and drafts this week's
    login(page, live_server, personas.township_officer.username, f"/party/units/{tree.liyu.code}/")
    page.wait_for_url(re.compile(rf"/party/units/{tree.liyu.code}/$"))
    screenshot(page, "party/1-engagement")
    page.click("a.nav-link:has-text('简报')")
    page.wait_for_selector("[data-briefing-form]")
    screenshot(page, "party/2-briefings")
    page.click("[data-action=new-briefing]")
    page.wait_for_url(re.compile(r"/party/briefings/\d+/$"))
    preview = page.inner_text("[data-preview]")
    assert "3个基层党组织、4名党员奋勇争先" in preview
    assert "月塘社区党总支书记龙建忠" in preview
    screenshot(page, "party/3-draft")
    # and rewrites the opening sentence, putting a figure in it with the insert control
    opening = "[data-row='0'] textarea"
    page.fill(opening, "关键时刻，名党员挺身而出；生死关头，党组织就是群众的主心骨。")
    page.focus(opening)
    page.keyboard.press("Control+Home")
    for _ in range(5):  # the cursor after "关键时刻，"
        page.keyboard.press("ArrowRight")
    page.click("[data-row='0'] [data-open-picker]")
    page.wait_for_selector("[data-row='0'] [data-figure-picker]:not([hidden])")
    page.fill("[data-figure-search]", "党员")
    choice = page.locator("[data-insert='party.party_members']")
    assert page.locator("[data-insert]:visible").count() < 10  # the search narrows the list
    value = choice.locator("span").nth(1).inner_text().split()[0]
    screenshot(page, "party/4-insert-figure", full_page=False)
    choice.click()
    assert page.input_value(opening).startswith("关键时刻，{party.party_members}名党员挺身而出；")
    assert page.is_hidden("[data-figure-picker]")
    assert value == "4"  # 4 Party members in 栗雨街道 (conftest)
    sentence = f"关键时刻，{value}名党员挺身而出；生死关头"
    assert sentence in page.inner_text("[data-row='0'] [data-live]")  # shown as typed
    # the box is as wide as the phone: nothing to scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("[data-action=save]")
    page.wait_for_selector(".alert-success")
    assert "党组织就是群众的主心骨" in page.inner_text("[data-preview]")
    assert sentence in page.inner_text("[data-preview]")
    screenshot(page, "party/5-edited")
    # a figure typed over its placeholder is refused beside the paragraph
    text = page.input_value("[data-row='1'] textarea")
    page.fill("[data-row='1'] textarea", text.replace("{party.orgs}", "3"))
    page.click("[data-action=save]")
    page.wait_for_selector("[data-row='1'] [data-error]")
    assert "只能修改数字前后的文字" in page.inner_text("[data-row='1'] [data-error]")
    screenshot(page, "party/6-refused")
    # then: the Word file holds the edited words and the figures
    with page.expect_download() as info:
        page.click("[data-action=docx]")
    path = tmp_path / "briefing.docx"
    info.value.save_as(path)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "党组织就是群众的主心骨" in text
    assert sentence in text
    assert "3个基层党组织、4名党员奋勇争先" in text
    assert "龙建忠" in text


def test_deed_page_on_a_phone(live_server, phone_page, tree, personas, front):
    deed = services.deed_record(
        actor=personas.village_worker,
        unit=tree.yuetang,
        member=front.long,
        title="从大年三十至今没和家人吃过一顿饭",
        text="得知辖区居民要办宴席，他上户劝说。",
        happened_on=TODAY,
    )
    page = phone_page
    login(page, live_server, personas.village_worker.username, f"/party/deeds/{deed.pk}/")
    page.wait_for_url(re.compile(rf"/party/deeds/{deed.pk}/$"))
    page.fill("input[name=consent_note]", "本人签字")
    page.click("[data-consent-form] button[type=submit]")
    page.wait_for_selector("[data-public]")
    screenshot(page, "party/7-deed")
    page.goto(f"{live_server.url}/party/units/{tree.yuetang.code}/posts/")
    screenshot(page, "party/8-posts")
