from django.contrib import admin

from bastion.orgs.models import OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = ("code", "name", "level", "kind", "risk_state", "is_active")
    list_filter = ("level", "kind", "risk_state", "is_active")
    search_fields = ("code", "name", "search_text")
    raw_id_fields = ("parent",)
    readonly_fields = ("code", "scope_prefix")
