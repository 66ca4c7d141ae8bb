"""Log in with a username or a mobile number."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from bastion.accounts.models import User
from bastion.core.validators import normalize_mobile

DEMO_PASSWORD = "demo2020!"  # noqa: S105 - the documented demo password, refused outside the demo


def login_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE).

    A person may type their username or their mobile: both count against the same account, so
    five wrong passwords lock it whichever way they were typed. Unknown names count as typed.
    """
    typed = str((credentials or {}).get("username") or "").strip()
    if not typed:
        return None
    user = _user_for(typed)
    return user.username if user is not None else typed


def _user_for(typed: str) -> User | None:
    user = User.objects.filter(username=typed).first()
    if user is None:
        try:
            mobile = normalize_mobile(typed)
        except ValueError:
            mobile = None
        if mobile:
            user = User.objects.filter(mobile=mobile).first()
    return user


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
        user = _user_for(username.strip())
        if user is None:
            # Spend the same time as a real check so that timing does not reveal usernames.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
