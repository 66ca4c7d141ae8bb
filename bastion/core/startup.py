"""What a server process does once its application is loaded, before its first request."""

import gc

from django.urls import get_resolver


def freeze_loaded() -> int:
    """Load every view (the URLconf imports them, the API builds its schemas), then move every
    object alive now out of the garbage collector's reach (`gc.freeze`); the number moved.

    A loaded Bastion process tracks ~440,000 objects that live as long as it does, and each
    full collection walked all of them: 130-140 ms, landing on whichever request triggered
    it (a 50 ms page measured at 187 ms). With them frozen a full collection walks what the
    requests left, ~50,000 objects: 25 ms (issue 8, figure 6; docs/benchmarks.md). Frozen
    objects are never freed, which costs nothing for objects the process keeps anyway.
    """
    get_resolver().url_patterns  # noqa: B018 - imported for its side effect: every view
    gc.collect()  # garbage of the imports is freed, not frozen
    gc.freeze()
    return gc.get_freeze_count()
