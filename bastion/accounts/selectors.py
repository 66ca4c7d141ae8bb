"""Scoped reads of accounts."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from bastion.accounts.jurisdiction import scoped
from bastion.accounts.models import ApiToken, Membership, User
from bastion.accounts.roles import Capability


def account_list(*, user: Any) -> QuerySet[User]:
    """Accounts with at least one membership inside the user's account-management scope."""
    memberships = scoped(
        user, Membership.objects.all(), Capability.MANAGE_ACCOUNTS, field="unit__code"
    )
    return (
        User.objects.filter(pk__in=memberships.values("user_id"))
        .exclude(pk=user.pk)
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("unit"))
        )
        .order_by("username")
    )


def account_get(*, user: Any, account_id: int) -> User:
    from django.http import Http404

    try:
        return account_list(user=user).get(pk=account_id)
    except (User.DoesNotExist, ValueError):
        raise Http404("未找到") from None


def token_list(*, user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
