"""The language switch: Chinese by default, English from the compiled catalogue (ADR 0002)."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.mo"


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    """LocaleMiddleware activates the request's language on the test's thread; put it back."""
    previous = translation.get_language()
    yield
    translation.activate(previous)


def need_english_catalogue() -> None:
    if not CATALOGUE.exists():
        pytest.skip(f"{CATALOGUE} compiled catalogue missing; run make install")


def navbar(html: str) -> str:
    match = re.search(r'<nav class="navbar.*?</nav>', html, re.DOTALL)
    assert match, "no navbar in the page"
    return match.group(0)


def switch_to(client: Client, language: str, next_url: str = "/") -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_the_default_ui_is_chinese(personas: Any, client_of: Any) -> None:
    # when
    response = client_of(personas.village_worker).get("/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "首页" in navbar(html)
    assert "Home" not in navbar(html)


def test_setlang_switches_a_logged_in_session_to_english_and_back(
    personas: Any, client_of: Any
) -> None:
    need_english_catalogue()
    client = client_of(personas.village_worker)
    # when
    switch_to(client, "en")
    response = client.get("/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    nav = navbar(html)
    assert "Home" in nav and "People" in nav and "Sign out" in nav
    assert "首页" not in nav and "退出" not in nav
    assert "简体中文" in html  # the footer offers the way back
    # and back to Chinese
    switch_to(client, "zh-hans")
    nav = navbar(client.get("/").content.decode())
    assert "首页" in nav and "Home" not in nav


def test_the_login_page_in_english() -> None:
    need_english_catalogue()
    client = Client()
    # when
    switch_to(client, "en", "/accounts/login/")
    response = client.get("/accounts/login/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sign in to Bastion" in html
    assert "登录堡垒" not in html and "账号由上级单元创建" not in html


def test_a_label_takes_the_colon_of_the_active_language() -> None:
    need_english_catalogue()
    from django.template import Context, Template

    template = Template('{% load i18n labels %}{{ _("用途")|colon }}x')
    with translation.override("zh-hans"):
        assert template.render(Context()) == "用途：x"
    with translation.override("en"):
        assert template.render(Context()) == "Purpose: x"
