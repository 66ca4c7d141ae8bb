from django.contrib import admin

from bastion.mobilisation.models import Call, Member, Team


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    list_display = ("pk", "unit_code", "is_party_member", "party_since_year")
    raw_id_fields = ("person", "unit")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin[Call]):
    list_display = ("title", "unit_code", "people_needed", "status")
    raw_id_fields = ("unit",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "unit_code")
    raw_id_fields = ("unit", "leader", "party_branch")
