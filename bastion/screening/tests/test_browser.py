"""On a phone: a grid worker records a household visit with a returnee, and the township sees
the coverage move. Screenshots go to test-artifacts/screening/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bastion.accounts.models import Membership
from bastion.accounts.roles import Role
from bastion.core.tests.browser import screenshot
from bastion.screening.models import Signal, VisitMember
from bastion.testing import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, base, user, next_url):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_a_grid_worker_records_a_returnee_and_the_township_sees_coverage_move(
    live_server, phone_page, browser, tree, personas, sweep, households
):
    # given a grid worker of 月塘第一网格
    grid_worker = UserFactory(username="gridworker")
    Membership.objects.create(user=grid_worker, unit=households["grid"], role=Role.VILLAGE_WORKER)
    township = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    officer_page = township.new_page()
    login(
        officer_page, live_server.url, personas.township_officer, f"/screening/sweeps/{sweep.pk}/"
    )
    assert officer_page.inner_text("[data-coverage-total] [data-done]") == "0/5"
    page = phone_page
    # when the worker opens their list of what is left
    login(page, live_server.url, grid_worker, "/screening/")
    page.click(f"a[href='/screening/sweeps/{sweep.pk}/todo/']")
    page.wait_for_selector("[data-todo]")
    assert page.locator("[data-todo] [data-household]").count() == 1
    screenshot(page, "screening/1-todo")
    # and records the visit: who lives there, and two returnees
    page.click(f"[data-household='{households['c'].pk}']")
    page.click("label[for=id_result_0]")
    page.fill("input[name=m-0-name]", "刘大")
    page.select_option("select[name=m-0-relation]", "head")
    page.fill("input[name=m-0-mobile]", "13900002222")
    page.click("[data-formset=m] [data-add-row]")
    page.fill("input[name=m-1-name]", "刘七")
    page.select_option("select[name=m-1-relation]", "child")
    page.click("[data-formset=m] [data-add-row]")
    page.fill("input[name=m-2-name]", "多余")
    page.click("[data-formset=m] [data-row]:nth-child(3) [data-remove-row]")
    assert page.locator("[data-formset=m] [data-row]").count() == 2
    page.click("[data-returnee] summary")
    yesterday = str(timezone.localdate() - timedelta(days=1))
    page.fill("input[name=r-0-name]", "刘七")
    page.fill("input[name=r-0-mobile]", "13900003333")
    page.fill("input[name=r-0-origin_province]", "湖北")
    page.fill("input[name=r-0-origin_city]", "武汉")
    page.fill("input[name=r-0-arrived_on]", yesterday)
    page.select_option("select[name=r-0-transport]", "train")
    page.fill("input[name=r-0-transport_no]", "G1234")
    page.click("[data-formset=r] [data-add-row]")
    page.fill("input[name=r-1-name]", "王八")
    page.fill("input[name=r-1-mobile]", "13900004444")
    page.fill("input[name=r-1-origin_province]", "广东")
    page.fill("input[name=r-1-arrived_on]", yesterday)
    page.select_option("select[name=r-1-transport]", "self_drive")
    page.fill("input[name=r-1-transport_no]", "粤B12345")
    screenshot(page, "screening/2-visit", full_page=True)
    page.click("[data-visit-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/todo/$"))
    # then the list is done and both signals wait in the village inbox
    assert "2 名返乡人员已生成线索" in page.inner_text("main")
    assert page.locator("[data-todo] [data-household]").count() == 0
    screenshot(page, "screening/3-done")
    assert Signal.objects.filter(unit_code=households["grid"].code).count() == 2
    register = VisitMember.objects.filter(visit__household=households["c"])
    assert sorted(m.person.name for m in register) == ["刘七", "刘大", "王八"]
    # and a second knock on the same door offers the register, phones masked
    page.goto(
        f"{live_server.url}/screening/sweeps/{sweep.pk}/households/{households['c'].pk}/visit/"
    )
    assert page.input_value("input[name=m-0-name]") == "刘大"
    assert page.get_attribute("input[name=m-0-mobile]", "placeholder") == "139****2222"
    assert page.locator("[data-formset=m] [data-row]").count() == 4  # three known + a blank
    screenshot(page, "screening/3b-revisit")
    # and the township sees the coverage move
    officer_page.reload()
    assert officer_page.inner_text("[data-coverage-total] [data-done]") == "1/5"
    row = officer_page.inner_text(f"[data-coverage] [data-unit='{tree.yuetang.code}']")
    assert "33%" in row
    screenshot(officer_page, "screening/4-township-coverage")
    township.close()


def test_a_village_worker_works_the_inbox_on_a_phone(live_server, phone_page, tree, personas):
    # given two signals waiting in 月塘
    from datetime import timedelta

    from bastion.screening.services import signal_raise

    old, _ = signal_raise(
        unit=tree.yuetang,
        source="hotline",
        reason="邻居来电：有人从武汉回来",
        subject_name="王五",
        subject_mobile="13900001111",
        found_at=timezone.now() - timedelta(hours=5),
    )
    signal_raise(unit=tree.yuetang, source="sweep", reason="入户发现返乡人员", subject_name="赵六")
    page = phone_page
    # when the worker opens the inbox: the longest waiting comes first, with its wait
    login(page, live_server.url, personas.village_worker, "/screening/signals/")
    first = page.locator("[data-signals] [data-signal]").first
    assert first.get_attribute("data-signal") == str(old.pk)
    assert "已等 5 小时" in first.inner_text()
    screenshot(page, "screening/5-inbox")
    # and calls the person (the number is revealed as a tap-to-call link)
    first.locator("button[hx-post]").click()
    page.wait_for_selector("[data-call]")
    assert page.get_attribute("[data-call]", "href") == "tel:13900001111"
    # and takes the signal into verification
    page.click(f"[data-signal='{old.pk}'] [data-open]")
    page.click("[data-signal-actions] button[value=verifying]")
    page.wait_for_selector("[data-status=verifying]")
    screenshot(page, "screening/6-signal")
    old.refresh_from_db()
    assert old.status == "verifying"


def test_a_township_imports_a_list_routed_to_its_villages(
    live_server, browser, tree, personas, settings, tmp_path
):
    from bastion.screening.tests.test_import_routing import township_list

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "名单.xlsx"
    path.write_bytes(township_list())
    login(page, live_server.url, personas.township_officer, "/screening/imports/")
    page.select_option("select[name=unit]", tree.liyu.code)
    page.set_input_files("input[name=file]", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-import-status=previewed]")
    assert page.locator("[data-routed] [data-unit]").count() == 1  # 孙七 by address
    assert page.inner_text("[data-unrouted]").endswith("4")
    screenshot(page, "screening/7-township-import-preview")
    page.click("[data-confirm-import]")
    page.wait_for_selector("[data-import-status=applied]")
    screenshot(page, "screening/8-township-import-applied")
    context.close()
