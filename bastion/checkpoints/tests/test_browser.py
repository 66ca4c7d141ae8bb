"""On a phone at the toll gate: an officer registers a car with a driver at 36.6 and a passenger
at 37.8. The passenger is referred to a fever point, the driver handed over to 月塘, whose grid
worker sees the new signal. Screenshots go to test-artifacts/checkpoints/."""

import re

import pytest

from bastion.checkpoints.models import Decision, VehiclePassage
from bastion.checkpoints.tests.conftest import ID_DRIVER, ID_PASSENGER
from bastion.core.tests.browser import screenshot
from bastion.screening.models import Signal, SignalSource
from bastion.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, user, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_officer_refers_a_fever_and_hands_the_driver_over_to_the_village(
    live_server, phone_page, tree, personas, officer
):
    page = phone_page
    # given: the officer logs in and lands on the checkpoint's screen
    log_in(page, live_server, officer, "/checkpoints/")
    page.wait_for_url(re.compile(r"/checkpoints/430211000000K001/$"))
    plate = page.locator("input[name=plate]")
    assert plate.input_value() == "湘B"  # Zhuzhou's prefix is suggested
    screenshot(page, "checkpoints/1-officer-screen")
    # when: the plate, then the destination from the tree
    plate.press("End")
    plate.press_sequentially("12345")
    page.fill("input[name=origin]", "湖北省武汉市")
    page.locator("input[name=destination_q]").press_sequentially("月塘")
    page.click(f"[data-destination='{tree.yuetang.code}']")
    assert page.input_value("input[name=destination]") == tree.yuetang.code
    # and the driver at 36.6
    page.fill("input[name=occupants-0-name]", "张三")
    page.fill("input[name=occupants-0-id_number]", ID_DRIVER)
    page.fill("input[name=occupants-0-temperature]", "36.6")
    # and, with one tap, the passenger at 37.8: the fever point is chosen at once
    page.click("#add-occupant")
    page.fill("input[name=occupants-1-name]", "李四")
    page.fill("input[name=occupants-1-id_number]", ID_PASSENGER)
    page.fill("input[name=occupants-1-temperature]", "37.8")
    assert page.is_checked("input[name=occupants-1-decision][value=refer_fever_point]")
    assert page.is_visible("[data-occupant]:nth-child(2) [data-fever-hint]")
    # the targets are big enough for gloves
    for selector in ("label[for$='-refer']", "#add-occupant", "button.btn-register"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["height"] >= 44, selector
    screenshot(page, "checkpoints/2-two-occupants")
    page.click("button.btn-register")
    # then
    page.wait_for_selector(".alert-success")
    assert "已登记 湘B12345，2 人。已移交 月塘居委会 1 人。" in page.inner_text(".alert-success")
    assert "张三" in page.inner_text("[data-hand-overs]")
    screenshot(page, "checkpoints/3-registered")
    passage = VehiclePassage.objects.get()
    driver, passenger = passage.occupants.order_by("position")
    assert passenger.decision == Decision.REFER_FEVER_POINT and passenger.is_fever
    assert driver.decision == Decision.PASS_AND_HAND_OVER and driver.is_close_contact
    signal = Signal.objects.get()
    assert signal.source == SignalSource.CHECKPOINT and signal.subject_name == "张三"
    assert signal.unit_code == tree.yuetang.code
    # and the grid worker of 月塘 sees the new signal in the inbox
    page.context.clear_cookies()
    log_in(page, live_server, personas.village_worker, "/screening/signals/")
    page.wait_for_selector(f"[data-signal='{signal.pk}']")
    row = page.inner_text(f"[data-signal='{signal.pk}']")
    assert "张三" in row and "卡点移交" in row and "湘B12345" in row
    screenshot(page, "checkpoints/4-village-inbox")
    # and the neighbouring village's worker does not
    page.context.clear_cookies()
    log_in(page, live_server, personas.neighbour_worker, "/screening/signals/")
    page.wait_for_selector("[data-signals]")
    assert page.locator("[data-signal]").count() == 0
