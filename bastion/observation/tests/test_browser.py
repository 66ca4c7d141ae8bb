"""The five-early path on phones: a returnee self-reports 38.1 °C through the QR link; the grid
worker sees the alert, acknowledges it and refers the person; the township page shows the
latencies. Screenshots go to test-artifacts/observation/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bastion.core.tests.browser import screenshot
from bastion.observation.models import Alert, Case
from bastion.observation.services import observation_start
from bastion.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}


def log_in(page, base, user):
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def test_self_report_fever_to_referral_and_latencies(
    live_server, phone_page, browser, zhangsan, personas
):
    # given: 张三 under home observation since yesterday
    observation = observation_start(
        actor=personas.village_worker,
        person=zhangsan,
        kind="home",
        start_date=timezone.localdate() - timedelta(days=1),
        now=timezone.now() - timedelta(days=1),
    ).observations[0]
    worker = phone_page
    base = live_server.url
    # and the worker makes the personal self check-in link (the door notice's QR holds one)
    log_in(worker, base, personas.village_worker)
    worker.goto(f"{base}/observation/{observation.pk}/")
    worker.click("[data-action=link]")
    link = worker.input_value("#personal-link")
    assert link.startswith(f"{base}/c/")  # the short address printed in QR codes
    screenshot(worker, "observation/1-personal-link")

    # when: the returnee opens the link on his own phone (no account) and reports 38.1
    person = browser.new_context(**PHONE).new_page()
    person.goto(link)
    assert person.locator("script").count() == 0
    screenshot(person, "observation/2-self-report-form")
    person.fill("#temperature", "38.1")
    person.click("button[type=submit]")
    person.wait_for_selector("#self-message[data-kind=done]")
    assert "网格员会尽快联系您" in person.inner_text("main")
    screenshot(person, "observation/3-self-report-done")

    # then: the worker's today screen shows the fever alert
    worker.goto(f"{base}/observation/")
    alert = Alert.objects.get(kind="fever")
    item = worker.locator(f"#today-alerts [data-alert='{alert.pk}']")
    assert "38.1 °C" in item.inner_text()
    screenshot(worker, "observation/4-today-alert")
    # and the worker acknowledges it on the person's page, then refers the person
    item.locator("a").click()
    worker.wait_for_selector(f"[data-alert='{alert.pk}'][data-alert-status=open]")
    worker.click(f"[data-alert='{alert.pk}'] [data-action=acknowledge]")
    worker.wait_for_selector(f"[data-alert='{alert.pk}'][data-alert-status=acknowledged]")
    screenshot(worker, "observation/5-acknowledged")
    worker.click(f"[data-alert='{alert.pk}'] [data-action=refer]")
    worker.fill("input[name=referred_to]", "市中心医院发热门诊")
    worker.click("main form button[type=submit]")
    worker.wait_for_url(re.compile(r"/observation/cases/\d+/$"))
    assert worker.inner_text("[data-case-status]") == "已转诊"
    screenshot(worker, "observation/6-case")
    case = Case.objects.get()
    assert case.detected_at == alert.raised_at
    assert case.reported_at > case.detected_at

    # and the township officer's page shows the case and its latency
    officer = browser.new_context(**PHONE).new_page()
    log_in(officer, base, personas.township_officer)
    officer.goto(f"{base}/observation/units/430211003000/")
    total = officer.locator("#latencies [data-latency='430211003000']")
    assert total.locator("td").nth(1).inner_text() == "1"
    assert re.search(r"\d+分", total.locator("[data-step=reported]").inner_text())
    assert "月塘居委会" in officer.inner_text("#latencies")
    screenshot(officer, "observation/7-township-latencies")
