"""Admin: read-only and masked. Every change goes through the services (validated, versioned,
logged), so the admin only looks."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bastion.core.masking import mask_id_number, mask_mobile
from bastion.people.models import Household, Person


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "id_number_masked", "mobile_masked", "sex", "birth_date", "unit_code")
    list_select_related = ("unit",)
    # Name and pinyin only: an admin search puts the query in the URL.
    search_fields = ("name", "name_initials")
    list_filter = ("sex", "is_pregnant", "is_elderly_alone", "is_chronic", "is_disabled")
    fields = (
        "name",
        "id_number_masked",
        "mobile_masked",
        "sex",
        "birth_date",
        "unit",
        "unit_code",
        "household",
        "is_pregnant",
        "is_elderly_alone",
        "is_chronic",
        "is_disabled",
        "merged_into",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description="身份证号")
    def id_number_masked(self, person: Person) -> str:
        return mask_id_number(person.id_number)

    @admin.display(description="手机号")
    def mobile_masked(self, person: Person) -> str:
        return mask_mobile(person.mobile)


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("address", "unit", "unit_code")
    list_select_related = ("unit",)
    search_fields = ("address",)
