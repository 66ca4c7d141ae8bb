"""Capability checks at the boundary of views (STYLE.md §6)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from bastion.accounts.jurisdiction import has_capability
from bastion.accounts.roles import Capability

View = Callable[..., HttpResponse]


def require(capability: Capability) -> Callable[[View], View]:
    """The view needs `capability` somewhere. Without it the page does not exist for the user
    (404): a grid worker is not told that an officer-only page is there."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_capability(request.user, capability):
                raise Http404("未找到")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
