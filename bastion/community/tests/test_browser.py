"""On a phone: a sanitation worker disinfects an overdue public toilet and records the run with
its checklist; a grid worker records a banquet and its outcome. Screenshots go to
test-artifacts/community/."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from bastion.community.models import DisinfectionRun, Gathering, SiteKind
from bastion.community.services import gathering_create, run_record, site_create
from bastion.core.tests.browser import screenshot
from bastion.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, user, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_sanitation_worker_records_a_toilet_run_and_the_site_leaves_the_overdue_list(
    live_server, phone_page, tree, personas
):
    # given: 月塘公厕 is due by 00:00 every day (so it is overdue now, whatever the hour), and
    # the bins next to it were done already today
    worker = personas.village_worker
    yesterday = timezone.now() - timedelta(days=1)
    toilet = site_create(
        actor=worker,
        unit=tree.yuetang,
        name="月塘公厕",
        kind=SiteKind.PUBLIC_TOILET,
        times=["00:00"],
        responsible_team="月塘社区保洁班",
        now=yesterday,
    )
    bins = site_create(
        actor=worker,
        unit=tree.yuetang,
        name="月塘垃圾桶收集点",
        kind=SiteKind.BIN_CLUSTER,
        times=["00:00"],
        now=yesterday,
    )
    run_record(
        actor=worker,
        site=bins,
        agent="chlorine_84",
        concentration="500",
        checklist={"bins_inside": True, "bins_outside": True, "ground": True},
        client_uuid=uuid.uuid4(),
    )
    page = phone_page
    # when: the worker opens the sites page
    log_in(page, live_server, worker, "/community/sites/")
    # then: the toilet is in the overdue list, first
    overdue = page.locator("#overdue")
    assert overdue.locator(f"[data-site='{toilet.pk}']").count() == 1
    assert overdue.locator(f"[data-site='{bins.pk}']").count() == 0
    screenshot(page, "community/1-sites-overdue")
    # when: they tap its big button and tick the checklist
    overdue.locator(f"[data-site='{toilet.pk}'] [data-record-run]").click()
    page.wait_for_selector("[data-run-form]")
    for item in ("floor", "squat_pans", "door_handles", "taps"):
        page.click(f"[data-checklist] label[data-item='{item}']")
    page.select_option("select[name=agent]", "chlorine_dioxide")
    assert page.input_value("input[name=concentration]") == "500"
    page.select_option("select[name=agent]", "chlorine_84")
    page.fill("input[name=concentration]", "1000")
    screenshot(page, "community/2-run-checklist")
    page.click("[data-save-run]")
    # then: back on the sites page, nothing is overdue any more
    page.wait_for_url(re.compile(r"/community/sites/$"))
    page.wait_for_selector(f"[data-site='{toilet.pk}']")
    assert page.locator("#overdue").count() == 0
    assert page.locator(f"[data-site='{toilet.pk}'][data-overdue]").count() == 0
    assert "已记录：月塘公厕，今日第 1 次。" in page.inner_text("main")
    screenshot(page, "community/3-sites-after-run")
    run = DisinfectionRun.objects.get(site=toilet)
    assert run.checklist == {
        "floor": True,
        "squat_pans": True,
        "door_handles": True,
        "taps": True,
        "surroundings": False,
    }
    assert (run.agent, run.concentration, run.recorded_by) == ("chlorine_84", 1000, worker)


def test_grid_worker_records_a_banquet_and_its_outcome(live_server, phone_page, tree, personas):
    # given: a birthday banquet of 60 already on the list
    worker = personas.village_worker
    gathering_create(
        actor=worker,
        unit=tree.yuetang,
        host_name="王五",
        kind="birthday",
        planned_date=timezone.localdate() + timedelta(days=3),
        expected_guests=60,
    )
    page = phone_page
    log_in(page, live_server, worker, "/community/gatherings/")
    screenshot(page, "community/4-gatherings")
    # when: they record a wedding they just heard of
    page.click("[data-new-gathering]")
    page.wait_for_selector("input[name=host_name]")
    page.fill("input[name=host_name]", "刘建国")
    page.select_option("select[name=kind]", "wedding")
    page.fill("input[name=planned_date]", (timezone.localdate() + timedelta(days=9)).isoformat())
    page.fill("input[name=expected_guests]", "120")
    page.fill("input[name=place]", "月塘路 8 号")
    screenshot(page, "community/5-gathering-form")
    page.click("[data-save-gathering]")
    page.wait_for_selector("[data-record-outcome]")
    assert "超过宴席人数上限 50 人" in page.inner_text("main")
    screenshot(page, "community/6-gathering-warning")
    # and, after a visit, the outcome
    page.click("[data-record-outcome]")
    page.select_option("select[name=action]", "visit")
    page.fill("input[name=persuaded_by]", "龙建忠")
    page.select_option("select[name=outcome]", "postponed")
    page.click("[data-save-gathering]")
    page.wait_for_selector("[data-outcome='postponed']")
    # then
    gathering = Gathering.objects.get(host_name="刘建国")
    assert (gathering.outcome, gathering.persuaded_by) == ("postponed", "龙建忠")
    assert page.locator("[data-warning]").count() == 0
    screenshot(page, "community/7-gathering-postponed")
    # and the unit page counts it
    page.goto(f"{live_server.url}/community/units/{tree.yuetang.code}/")
    assert page.inner_text("[data-stat=persuaded]") == "1"
    screenshot(page, "community/8-unit-summary")
