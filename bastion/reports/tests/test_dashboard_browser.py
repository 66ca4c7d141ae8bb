"""On a phone: the county officer opens the dashboard, drills down to a township and a village,
and downloads the village's report of the day as Excel; the file's figures are the situation
report's. Screenshots go to test-artifacts/dashboard/."""

import re

import pytest
from python_calamine import CalamineWorkbook

from bastion.core.tests.browser import screenshot
from bastion.reports.selectors import situation_report
from bastion.reports.tests import test_dashboard_facts as given
from bastion.reports.tests.test_dashboard_facts import today
from bastion.testing import PASSWORD

facts, scene = given.facts, given.scene  # the fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, user, next_url, landing):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(landing) + "$"))


def figure_text(page, key):
    return page.locator(f"#headline [data-figure='{key}'] .dash-number").inner_text()


def test_county_officer_drills_down_to_a_village_and_downloads_its_report(
    live_server, phone_page, scene, personas, tmp_path
):
    tree = scene.tree
    page = phone_page
    # when the county officer opens the dashboard
    log_in(
        page,
        live_server,
        personas.county_officer,
        "/dashboard/",
        f"/dashboard/{tree.tianyuan.code}/",
    )
    # then 天元区's figures of today are there, 栗雨街道 ranked first
    assert page.locator("h1").inner_text() == "天元区"
    assert figure_text(page, "signals.found").startswith("3")
    assert figure_text(page, "checkpoints.vehicles").startswith("2")
    assert page.locator("#ranking [data-rank-unit]").first.get_attribute("data-rank-unit") == (
        tree.liyu.code
    )
    page.wait_for_selector("[data-chart='active'] canvas")
    screenshot(page, "dashboard/1-county")
    # when they tap 栗雨街道
    page.click(f"#ranking [data-drill='{tree.liyu.code}']")
    page.wait_for_url(re.compile(rf"/dashboard/{tree.liyu.code}/$"))
    # then its villages, 月塘 first (an open fever alert, a missed check-in, a hand-over)
    ranked = page.locator("#ranking [data-rank-unit]")
    assert ranked.first.get_attribute("data-rank-unit") == tree.yuetang.code
    assert ranked.first.locator("[data-measure='alerts_open'] a").inner_text() == "2"
    page.wait_for_selector("[data-chart='signals'] canvas")
    screenshot(page, "dashboard/2-township")
    # when they tap 月塘居委会
    page.click(f"#ranking [data-drill='{tree.yuetang.code}']")
    page.wait_for_url(re.compile(rf"/dashboard/{tree.yuetang.code}/$"))
    assert page.locator("h1").inner_text() == "月塘居委会"
    assert figure_text(page, "observation.active").startswith("2")
    screenshot(page, "dashboard/3-village")
    # and download the day's report as Excel
    with page.expect_download() as download_info:
        page.click("[data-report-xlsx]")
    path = tmp_path / "report.xlsx"
    download_info.value.save_as(path)
    # then the file holds the situation report's figures
    report = situation_report(tree.yuetang, today())
    workbook = CalamineWorkbook.from_path(str(path))
    first = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()
    assert first[0][0].startswith(f"月塘居委会 疫情防控日报 {today():%Y-%m-%d}")
    for key, expected in (
        ("signals.found", 3),
        ("signals.open", 4),
        ("observation.active", 2),
        ("observation.fevers", 1),
        ("observation.checkins_missed", 1),
    ):
        assert workbook_total(workbook, report, key) == report.value(key) == expected, key


def workbook_total(workbook, report, key):
    """Figure `key` in the totals row (合计) of its section's sheet, in the column headed by
    its label."""
    section = next(s for s in report.sections if s.key == key.split(".")[0])
    figure = next(f for f in section.figures if f.key == key)
    rows = workbook.get_sheet_by_name(str(section.label)[:31]).to_python()
    header = [str(c) for c in rows[1]]
    column = header.index(f"{figure.label}（{figure.unit}）")
    totals = next(row for row in rows[2:] if row[1] == "合计")
    return totals[column]


def test_large_screen_draws_dark_charts_and_refreshes_its_figures(
    live_server, desktop_page, scene, personas, facts
):
    from bastion.reports.tests.test_dashboard_facts import early

    tree = scene.tree
    page = desktop_page
    log_in(
        page,
        live_server,
        personas.county_officer,
        f"/dashboard/{tree.tianyuan.code}/screen/",
        f"/dashboard/{tree.tianyuan.code}/screen/",
    )
    page.wait_for_selector("[data-chart='traffic'] canvas")
    assert page.locator("body.dash-screen").count() == 1
    assert figure_text(page, "signals.found").startswith("3")
    screenshot(page, "dashboard/4-large-screen")
    # when a new signal comes in and the minute's refresh fires
    facts.signal(tree.yuetang, early(today()))
    page.evaluate("htmx.ajax('GET', location.pathname, {target: '#screen', swap: 'innerHTML'})")
    # then the figure changes in place, the charts are drawn again, and the page is the same
    page.wait_for_function(
        "document.querySelector(\"#headline [data-figure='signals.found'] .dash-number\")"
        ".innerText.startsWith('4')"
    )
    page.wait_for_selector("[data-chart='traffic'] canvas")
    assert page.locator("body.dash-screen #screen #headline").count() == 1
