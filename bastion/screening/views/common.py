"""Helpers shared by the screening pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability

PAGE_SIZE = 25


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def deny_unless(user: Any, capability: Capability, unit_code: str) -> None:
    """The row is visible to the user; acting on it needs more (403, nothing leaks)."""
    if not code_in_scope(user, unit_code, capability):
        raise PermissionDenied
