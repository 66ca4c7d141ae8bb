from django.contrib import admin
from django.http import HttpRequest

from bastion.exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin[ExportJob]):
    """Read-only: jobs are created by their requesters, never edited."""

    list_display = ("created_at", "requester", "dataset", "status", "row_count", "masked")
    list_filter = ("status", "dataset", "masked")
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
