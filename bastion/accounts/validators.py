from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError


class DemoPasswordValidator:
    """Refuse the published demo password anywhere but the demo."""

    def validate(self, password: str, user: Any = None) -> None:
        from bastion.accounts.backends import DEMO_PASSWORD

        if password == DEMO_PASSWORD and not settings.BASTION_DEMO:
            raise ValidationError("这是公开的演示密码，不能在正式环境使用。", code="demo_password")

    def get_help_text(self) -> str:
        return "不能使用公开的演示密码。"
