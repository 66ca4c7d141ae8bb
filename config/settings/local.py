"""The embedded demo and local development: SQLite in WAL mode under var/, demo accounts on."""

import os

os.environ.setdefault("BASTION_DEMO", "1")
os.environ.setdefault("DJANGO_DEBUG", "0")

from config.settings.base import *  # noqa: F403
