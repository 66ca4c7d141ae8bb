"""`bastion bench`: the local settings, plus the floor views of the benchmarks.

The floor of the check-in figure is a bare view doing one ORM insert; it is mounted only
here (bastion.benchmarks.urls), never in a deployment's URLconf.
"""

import os

os.environ.setdefault("BASTION_SQLITE_NAME", "bench.sqlite3")

from config.settings.local import *  # noqa: F403

ROOT_URLCONF = "bastion.benchmarks.urls"

# Plain static storage: the crawl must not depend on a fresh collectstatic manifest, and
# serving a hashed or an unhashed name costs the same.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
