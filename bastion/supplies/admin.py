from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bastion.supplies.models import Donation, Item, Stock, StockMovement


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    list_display = ("name", "category", "measure", "pieces_per_box", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("category", "is_active")


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin[StockMovement]):
    """Read-only: a movement is never edited; a correction is a new adjustment."""

    list_display = ("occurred_at", "unit_code", "item", "kind", "delta", "counterparty", "actor")
    list_filter = ("kind", "item")
    search_fields = ("unit_code",)
    list_select_related = ("item", "actor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Stock)
class StockAdmin(admin.ModelAdmin[Stock]):
    list_display = ("unit_code", "item", "minimum", "updated_at")
    search_fields = ("unit_code",)
    raw_id_fields = ("unit",)


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin[Donation]):
    """Read-only here: donations are registered through the service, with their goods."""

    list_display = ("donated_on", "unit_code", "donor_name", "donor_kind", "money", "receipt_no")
    list_filter = ("donor_kind",)
    search_fields = ("unit_code", "receipt_no")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
