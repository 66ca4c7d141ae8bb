from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from bastion.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    fk_name = "user"
    raw_id_fields = ("unit", "created_by")
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = ("username", "display_name", "is_active", "is_staff", "last_login")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Bastion", {"fields": ("display_name", "mobile")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("user", "name", "hint", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("token_hash", "hint")
