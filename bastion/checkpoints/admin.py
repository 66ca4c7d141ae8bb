"""Admin: read-only and masked. Checkpoints, rosters and the roadside log change through the
services (validated, scoped, logged); passages are immutable events."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bastion.checkpoints.models import (
    Checkpoint,
    DutyAssignment,
    PassengerCheck,
    Shift,
    VehiclePassage,
)
from bastion.core.masking import mask_id_number, mask_mobile


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("unit", "unit_code", "kind", "place", "opens_on", "closes_on")
    list_select_related = ("unit",)
    list_filter = ("kind",)
    search_fields = ("unit__name", "unit_code", "place")
    exclude = ("phone",)


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ("checkpoint", "day", "label", "starts_at", "ends_at", "minimum_total")
    list_select_related = ("checkpoint__unit",)
    list_filter = ("slot",)
    date_hierarchy = "day"


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("person_name", "staff_kind", "shift", "checked_in_at", "checked_out_at")
    list_select_related = ("shift__checkpoint__unit",)
    list_filter = ("staff_kind",)
    exclude = ("phone", "person_key")


class OccupantInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PassengerCheck
    extra = 0
    can_delete = False
    fields = (
        "position",
        "name",
        "id_number_masked",
        "mobile_masked",
        "temperature",
        "no_temperature_reason",
        "decision",
        "is_close_contact",
        "signal",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="身份证号")
    def id_number_masked(self, obj: PassengerCheck) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description="手机号")
    def mobile_masked(self, obj: PassengerCheck) -> str:
        return mask_mobile(obj.mobile)


@admin.register(VehiclePassage)
class VehiclePassageAdmin(ReadOnlyAdmin):
    list_display = ("plate", "checkpoint", "occurred_at", "origin", "destination", "disposition")
    list_select_related = ("checkpoint__unit", "destination")
    list_filter = ("disposition", "origin_high_risk", "vehicle_kind")
    date_hierarchy = "occurred_at"
    inlines = (OccupantInline,)
