"""Settings that every process must share."""

from django.core.cache import cache
from django.db import connection


def test_the_cache_is_the_database_so_every_worker_counts_together(db):
    # Anti-abuse counters must be shared by all gunicorn workers: the cache is a table.
    assert "bastion_cache" in connection.introspection.table_names()
    cache.set("probe", 3, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bastion_cache")
        assert cursor.fetchone()[0] == 1
    assert cache.get("probe") == 3
