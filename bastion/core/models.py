"""Cross-cutting records: idempotency keys for replayed writes."""

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The stored answer to a POST that carried an Idempotency-Key (DESIGN.md §1.5).

    A retry with the same key and body replays `status` and `body`; the same key with another
    body is refused.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
