"""The per-worker memory of resolved API tokens (bastion.accounts.token_cache): the hot path
reads nothing, and what must stop a token still stops it, here at once and in the other
workers within the bound."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bastion.accounts import token_cache
from bastion.accounts.models import ApiToken
from bastion.accounts.services import account_set_active, token_create, token_revoke


@pytest.fixture
def clock(monkeypatch):
    """token_cache's clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(token_cache, "_clock", lambda: now[0])
    token_cache.forget_all()
    return now


def _me(raw):
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})


def test_a_known_token_is_answered_without_a_query(tree, personas, clock):
    _token, raw = token_create(user=personas.village_worker, name="app")
    assert _me(raw).status_code == 200  # resolves, and touches last_used_at
    with CaptureQueriesContext(connection) as queries:
        assert _me(raw).json()["username"] == "worker"
    assert not [q for q in queries if "accounts_" in q["sql"]]


def test_revoking_here_stops_the_token_at_once(tree, personas, clock):
    token, raw = token_create(user=personas.village_worker, name="app")
    assert _me(raw).status_code == 200
    token_revoke(user=personas.village_worker, token_id=token.pk)
    assert _me(raw).status_code == 401


def test_a_revocation_by_another_worker_counts_within_the_bound(tree, personas, clock):
    token, raw = token_create(user=personas.village_worker, name="app")
    assert _me(raw).status_code == 200
    # another process revokes it: nothing reaches this one's memory
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    clock[0] += token_cache.ttl() - 1
    assert _me(raw).status_code == 200  # still inside the documented bound
    clock[0] += 1
    assert _me(raw).status_code == 401


def test_an_ended_membership_counts_at_once(tree, personas, clock):
    _token, raw = token_create(user=personas.village_worker, name="app")
    assert _me(raw).json()["memberships"]
    membership = personas.village_worker.memberships.get()
    membership.is_active = False
    membership.save()  # post_save: forgotten here
    assert _me(raw).json()["memberships"] == []


def test_a_disabled_account_stops_the_token_at_once(tree, personas, clock):
    _token, raw = token_create(user=personas.village_worker, name="app")
    assert _me(raw).status_code == 200
    account_set_active(actor=personas.township_officer, user=personas.village_worker, active=False)
    assert _me(raw).status_code == 401


def test_each_request_gets_its_own_user(tree, personas, clock):
    _token, raw = token_create(user=personas.village_worker, name="app")
    from bastion.accounts.services import token_authenticate

    first, second = token_authenticate(raw), token_authenticate(raw)
    assert first is not None and second is not None
    assert first is not second and first.pk == second.pk
    first.display_name = "changed by one request"
    assert second.display_name != first.display_name


def test_zero_turns_the_memory_off(tree, personas, clock, settings):
    settings.BASTION_API_TOKEN_CACHE_SECONDS = 0
    token, raw = token_create(user=personas.village_worker, name="app")
    assert _me(raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    assert _me(raw).status_code == 401


def test_a_read_from_before_a_change_is_not_kept(tree, personas, clock, monkeypatch):
    # given: another thread changes a membership while this one resolves the token
    from bastion.accounts import services

    token, raw = token_create(user=personas.village_worker, name="app")
    resolve = services._token_resolve

    def resolve_then_change(digest):
        resolved = resolve(digest)
        token_cache.forget_all()  # what a save in another thread does meanwhile
        return resolved

    monkeypatch.setattr(services, "_token_resolve", resolve_then_change)
    assert _me(raw).status_code == 200
    # then: the stale read was used once but not remembered
    monkeypatch.setattr(services, "_token_resolve", resolve)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    assert _me(raw).status_code == 401


def test_a_web_sign_in_keeps_the_memory(tree, personas, clock):
    from django.contrib.auth.models import update_last_login

    _token, raw = token_create(user=personas.village_worker, name="app")
    assert _me(raw).status_code == 200
    # when: someone signs in on the web (only last_login is saved)
    update_last_login(None, personas.township_officer)
    # then
    with CaptureQueriesContext(connection) as queries:
        assert _me(raw).status_code == 200
    assert not [q for q in queries if "accounts_membership" in q["sql"]]
