"""Request type for views behind login_required and API endpoints behind auth."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from bastion.accounts.models import User


class AuthedRequest(HttpRequest):
    user: "User"
