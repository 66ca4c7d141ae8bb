"""schemathesis over the whole OpenAPI, in-process, with a fixed seed: no server errors and no
answer that breaks the published schema, whatever a client sends."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks

from bastion.accounts.services import token_create
from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# Domain validation legitimately refuses some schema-valid bodies (a wrong ID checksum is a
# string of 18 characters all the same), so "positive data acceptance" is not a property here.
EXCLUDED = [openapi_checks.positive_data_acceptance]


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Django closes "old" connections at each request's start and end; in-process calls would
    close the test's own transaction-wrapped connection (fatal on PostgreSQL)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(personas):
    _token, raw = token_create(user=personas.township_officer, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_errors_and_keeps_its_schema(case, auth_headers):
    case.call_and_validate(headers=auth_headers, excluded_checks=EXCLUDED)
