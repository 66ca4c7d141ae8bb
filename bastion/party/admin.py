from django.contrib import admin

from bastion.party.models import Briefing, Deed, PartyOrg, VanguardPost


@admin.register(PartyOrg)
class PartyOrgAdmin(admin.ModelAdmin[PartyOrg]):
    list_display = ("unit", "unit_code", "led_unit")
    raw_id_fields = ("unit", "led_unit", "secretary")


@admin.register(VanguardPost)
class VanguardPostAdmin(admin.ModelAdmin[VanguardPost]):
    list_display = ("title", "kind", "unit_code", "starts_on", "ends_on")
    raw_id_fields = ("member", "checkpoint", "shift", "area", "created_by")


@admin.register(Deed)
class DeedAdmin(admin.ModelAdmin[Deed]):
    list_display = ("title", "unit_code", "status", "holder_code", "consented_at")
    raw_id_fields = ("unit", "member", "team", "recorded_by", "consent_recorded_by")


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin[Briefing]):
    list_display = ("title", "unit_code", "start", "end", "version")
    raw_id_fields = ("unit", "created_by", "copied_from")
