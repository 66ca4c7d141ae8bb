from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bastion.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin[AccessLog]):
    """Read-only: the access log is append-only, even for administrators."""

    list_display = ("at", "user", "action", "object_type", "object_id", "field", "reason")
    list_filter = ("action", "object_type", "channel")
    search_fields = ("object_id", "user__username", "unit_code")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
