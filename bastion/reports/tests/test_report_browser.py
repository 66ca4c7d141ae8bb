"""On a phone: the township officer opens the day's report, reads the own-figure cards, scrolls
the tables sideways (the page itself never scrolls sideways), drills down to a village and signs
the township's report. Screenshots go to test-artifacts/reports/."""

import re

import pytest

from bastion.core.tests.browser import screenshot
from bastion.reports.models import ReportSignOff
from bastion.reports.tests import facts
from bastion.reports.tests.facts import DAY, at
from bastion.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, user, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_township_officer_reads_drills_down_and_signs_on_a_phone(
    live_server, phone_page, tree, personas
):
    # given a day with signals and observations in both villages
    facts.signal(tree.yuetang, at(DAY, "08:00"), at(DAY, "09:00"))
    facts.signal(tree.liyujuwei, at(DAY, "10:00"))
    facts.observation(tree.yuetang, at(DAY, "10:00"))
    url = f"/reports/{tree.liyu.code}/?date=2020-02-09"

    # when the township officer opens the report on a phone
    log_in(phone_page, live_server, personas.township_officer, url)

    # then the own figures are cards, and the tables scroll inside their boxes
    cards = phone_page.locator("[data-own-cards]")
    assert cards.is_visible()
    assert "新发现线索" in cards.inner_text()
    page_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390
    box = phone_page.locator("[data-section=observation] .table-responsive")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    screenshot(phone_page, "reports/township-report-phone")

    # when the officer signs the day
    phone_page.fill("textarea[name=note]", "各村情况已核实")
    phone_page.click("[data-sign-form] button[type=submit]")
    phone_page.wait_for_selector("[data-signed]")
    assert ReportSignOff.objects.get().note == "各村情况已核实"

    # and drills down to 月塘
    phone_page.click(f"[data-section=signals] tr[data-unit='{tree.yuetang.code}'] a")
    phone_page.wait_for_url(re.compile(f"/reports/{tree.yuetang.code}/"))
    assert "月塘居委会 · 疫情防控日报" in phone_page.inner_text("h1")
    screenshot(phone_page, "reports/village-report-phone")


def test_print_page_on_a_desktop(live_server, desktop_page, tree, personas):
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    url = f"/reports/{tree.liyu.code}/print/?date=2020-02-09"
    log_in(desktop_page, live_server, personas.township_officer, url)
    assert desktop_page.inner_text("h1") == "栗雨街道 疫情防控日报 2020-02-09"
    # the stylesheet arrived (the CSP allows only this site's files): the unit column is sticky
    # on screen, and the print rules are there
    position = desktop_page.locator(".sticky-col").first.evaluate(
        "e => getComputedStyle(e).position"
    )
    assert position == "sticky"
    desktop_page.emulate_media(media="print")
    position = desktop_page.locator(".sticky-col").first.evaluate(
        "e => getComputedStyle(e).position"
    )
    assert position == "static"
    screenshot(desktop_page, "reports/township-report-print")
