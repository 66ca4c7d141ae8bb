"""Absolute session lifetime on top of Django's idle timeout (SESSION_COOKIE_AGE)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

_STARTED = "bastion_session_started"


class SessionLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(_STARTED)
            now = int(time.time())
            if started is None:
                request.session[_STARTED] = now
            elif now - int(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
