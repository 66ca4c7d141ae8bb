"""Log in with a username or a mobile number."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from bastion.accounts.models import User
from bastion.core.validators import normalize_mobile

DEMO_PASSWORD = "demo2020!"  # noqa: S105 - the documented demo password, refused outside the demo


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        if password == DEMO_PASSWORD and not settings.BASTION_DEMO:
            return None
        user = User.objects.filter(username=username.strip()).first()
        if user is None:
            try:
                mobile = normalize_mobile(username)
            except ValueError:
                mobile = None
            if mobile:
                user = User.objects.filter(mobile=mobile).first()
        if user is None:
            # Spend the same time as a real check so that timing does not reveal usernames.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
