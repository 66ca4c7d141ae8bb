"""Writes for accounts: creating and disabling accounts within a jurisdiction, API tokens."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bastion.accounts import token_cache
from bastion.accounts.jurisdiction import (
    code_in_scope,
    forget_memberships,
    remember_memberships,
    scope_prefixes,
)
from bastion.accounts.models import ApiToken, Membership, User, hash_token
from bastion.accounts.roles import ASSIGNABLE_ROLES, Capability
from bastion.core.errors import ValidationError
from bastion.core.validators import normalize_mobile
from bastion.orgs.models import OrgUnit


def assignable_roles(*, actor: Any, unit: OrgUnit) -> list[str]:
    """Roles `actor` may give in `unit`: from memberships whose jurisdiction covers the unit,
    and never the actor's own rank inside their own unit (no managing "beside")."""
    roles: set[str] = set()
    for m in actor.memberships.filter(is_active=True).select_related("unit"):
        if not unit.code.startswith(m.unit.scope_prefix):
            continue
        allowed = ASSIGNABLE_ROLES.get(m.role, ())
        if unit.code == m.unit.code:
            allowed = tuple(r for r in allowed if r != m.role)
        roles.update(allowed)
    return sorted(roles)


@transaction.atomic
def account_create(
    *,
    actor: Any,
    username: str,
    display_name: str,
    password: str,
    unit: OrgUnit,
    role: str,
    mobile: str = "",
) -> User:
    """Create an account with one membership. The actor must manage the unit and may only give
    a role below their own (a township officer creates grid workers, never officers)."""
    errors: dict[str, str] = {}
    if not code_in_scope(actor, unit.code, Capability.MANAGE_ACCOUNTS):
        errors["unit"] = "只能在自己的辖区内建账号。"
    elif role not in assignable_roles(actor=actor, unit=unit):
        errors["role"] = "无权授予该角色。"
    username = username.strip()
    if not username:
        errors["username"] = "请填写用户名。"
    elif User.objects.filter(username=username).exists():
        errors["username"] = "该用户名已被使用。"
    normalized_mobile = None
    if mobile.strip():
        try:
            normalized_mobile = normalize_mobile(mobile)
        except ValueError as e:
            errors["mobile"] = str(e)
        else:
            if User.objects.filter(mobile=normalized_mobile).exists():
                errors["mobile"] = "该手机号已绑定其他账号。"
    user = User(username=username, display_name=display_name.strip(), mobile=normalized_mobile)
    try:
        validate_password(password, user)
    except ValidationError as e:
        errors["password"] = " ".join(e.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, unit=unit, role=role, created_by=actor)
    return user


def account_manageable(*, actor: Any, user: User) -> bool:
    """An actor manages an account when every one of its memberships lies inside the actor's
    account-management jurisdiction, with a role the actor could have given."""
    prefixes = scope_prefixes(actor, Capability.MANAGE_ACCOUNTS)
    memberships = list(user.memberships.select_related("unit"))
    if not memberships or user.pk == actor.pk:
        return False
    return all(
        any(m.unit.code.startswith(p) for p in prefixes)
        and m.role in assignable_roles(actor=actor, unit=m.unit)
        for m in memberships
    )


def account_set_active(*, actor: Any, user: User, active: bool) -> User:
    if not account_manageable(actor=actor, user=user):
        raise ValidationError("无权管理该账号。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    forget_memberships(user)
    return user


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal access token; the raw value is returned once and never stored."""
    raw = settings.BASTION_API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:60] or "API", token_hash=hash_token(raw), hint=raw[:8]
    )
    return token, raw


def token_revoke(*, user: User, token_id: int) -> None:
    ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    # An update sends no signal: this process forgets at once, the others within the
    # memory's bound (token_cache).
    token_cache.forget_all()


def token_authenticate(raw: str) -> User | None:
    """The active user of a valid token, with their active memberships already loaded.

    Usually no query: a token resolved in the last `BASTION_API_TOKEN_CACHE_SECONDS` is
    answered from this worker's memory (bastion.accounts.token_cache, which says how soon a
    revocation takes effect). Otherwise one query: the memberships, each joined to its unit,
    its user and the token; a token of a user without memberships (or no valid token) takes
    a second one.
    """
    digest = hash_token(raw)
    entry = token_cache.recall(digest)
    if entry is None:
        since = token_cache.generation()
        entry = _token_resolve(digest)
        if entry is None:
            return None
        token_cache.remember(digest, entry, since)
    user, memberships = token_cache.fresh_copies(entry)
    remember_memberships(user, memberships)
    now = timezone.now()
    # Touch last_used at most once a minute: the hot path stays read-only.
    if entry.last_used_at is None or (now - entry.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=entry.token_pk).update(last_used_at=now)
        entry.last_used_at = now
    return user


def _token_resolve(digest: str) -> token_cache.Resolved | None:
    memberships = list(
        Membership.objects.select_related("unit", "user")
        .filter(
            user__api_tokens__token_hash=digest,
            user__api_tokens__revoked_at__isnull=True,
            is_active=True,
            unit__is_active=True,
        )
        .annotate(
            token_pk=F("user__api_tokens__pk"),
            token_last_used_at=F("user__api_tokens__last_used_at"),
        )
        .order_by("unit__code")
    )
    if memberships:
        first: Any = memberships[0]
        user: User = first.user
        token_pk, last_used_at = first.token_pk, first.token_last_used_at
        for membership in memberships:
            membership.user = user
    else:
        token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=digest, revoked_at__isnull=True)
            .first()
        )
        if token is None:
            return None
        user, token_pk, last_used_at = token.user, token.pk, token.last_used_at
    if not user.is_active:
        return None
    return token_cache.Resolved(
        user=user,
        memberships=memberships,
        token_pk=token_pk,
        last_used_at=last_used_at,
        expires=token_cache.expiry(),
    )
