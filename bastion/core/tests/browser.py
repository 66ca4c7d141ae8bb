"""Playwright fixtures for the browser tests, driving Debian's Chromium (never a downloaded one).

Load this module as a pytest plugin (`-p bastion.core.tests.browser` in addopts, or
`pytest_plugins = ["bastion.core.tests.browser"]` in the root conftest.py). Then:

    def test_login_page(live_server, phone_page):
        phone_page.goto(live_server.url + "/accounts/login/")
        screenshot(phone_page, "login-phone")

Fixtures: `browser` (one Chromium for the session), `phone_page` (390x844, zh-CN) and
`desktop_page` (1366x768, zh-CN), each in a fresh context. Tests that use them are marked
`browser` automatically and run after all the others. A failing test leaves a screenshot in
test-artifacts/failures/.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an asyncio loop running in this thread; without this Django
# refuses ORM calls from the test body (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("BASTION_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(
    os.environ.get("BASTION_TEST_ARTIFACTS", Path(__file__).resolve().parents[3] / "test-artifacts")
)
DEFAULT_TIMEOUT_MS = 10_000
BROWSER_FIXTURES = frozenset({"browser", "phone_page", "desktop_page"})

_call_report = pytest.StashKey[pytest.TestReport]()


def _safe(part: str) -> str:
    return re.sub(r"[^\w.-]+", "-", part).strip("-.")


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of `page` as test-artifacts/<name>.png and return its path.

    `name` may hold "/" for a subfolder; other unsafe characters become "-".
    """
    parts = [_safe(part) for part in name.split("/")]
    parts = [part for part in parts if part] or ["screenshot"]
    if not parts[-1].endswith(".png"):
        parts[-1] += ".png"
    path = ARTIFACTS.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _page(browser: Any, request: pytest.FixtureRequest, **options: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = request.node.stash.get(_call_report, None)
        if report is not None and report.failed:
            # A screenshot that fails must not hide the test's own failure.
            with contextlib.suppress(Exception):
                screenshot(page, "failures/" + _safe(request.node.nodeid))
        context.close()


@pytest.fixture
def phone_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a new phone-sized context: 390x844, touch, Chinese, Beijing time."""
    yield from _page(
        browser,
        request,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def desktop_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a new desktop-sized context (1366x768), Chinese, Beijing time."""
    yield from _page(browser, request, viewport={"width": 1366, "height": 768})


def _uses_browser(item: pytest.Item) -> bool:
    return bool(BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark browser tests as such, early enough for `-m "not browser"` to deselect them."""
    if _uses_browser(item):
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, keeping each group's order.

    Once Playwright starts, its event loop stays up for the session; running the browser
    tests last keeps every other test free of it (and the fast tests report first).
    """
    items[:] = [i for i in items if not _uses_browser(i)] + [i for i in items if _uses_browser(i)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_call_report] = report
    return report
