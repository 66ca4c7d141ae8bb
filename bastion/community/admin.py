"""Admin of the community app: for support, read-mostly. Runs are immutable events."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bastion.community.models import DisinfectionRun, Gathering, Site


@admin.register(Gathering)
class GatheringAdmin(admin.ModelAdmin[Gathering]):
    list_display = ("host_name", "kind", "planned_date", "unit_code", "outcome", "expected_guests")
    list_filter = ("kind", "outcome", "action")
    search_fields = ("unit_code", "host_name", "persuaded_by")
    raw_id_fields = ("unit", "host", "attendees", "created_by")
    readonly_fields = ("unit_code", "guest_limit", "client_uuid", "version")


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin[Site]):
    list_display = ("name", "kind", "unit_code", "runs_per_day", "responsible_team", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "unit_code", "responsible_team")
    raw_id_fields = ("unit", "responsible_unit", "created_by")
    readonly_fields = ("unit_code", "responsible_unit_code")


@admin.register(DisinfectionRun)
class DisinfectionRunAdmin(admin.ModelAdmin[DisinfectionRun]):
    list_display = ("site", "done_at", "agent", "concentration", "operator", "unit_code")
    list_filter = ("agent",)
    search_fields = ("site__name", "unit_code", "operator")
    date_hierarchy = "done_at"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
