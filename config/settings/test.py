"""pytest settings: the same as base, with fast hashing and a throwaway database."""

import os

os.environ.setdefault("BASTION_DEMO", "1")
os.environ.setdefault("BASTION_SQLITE_NAME", "test.sqlite3")

from config.settings.base import *  # noqa: F403

# Argon2 is deliberately slow; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True
