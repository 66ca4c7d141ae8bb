"""Shared fixtures: the small org tree and the personas (see bastion.testing)."""

from typing import Any

import pytest
from django.test import Client

from bastion.testing import Personas, Tree, build_personas, build_tree


@pytest.fixture
def tree(db: Any) -> Tree:
    return build_tree()


@pytest.fixture
def personas(tree: Tree) -> Personas:
    return build_personas(tree)


@pytest.fixture
def client_of(personas: Personas) -> Any:
    """`client_of(personas.village_worker)` is a logged-in test client."""

    def make(user: Any) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make
