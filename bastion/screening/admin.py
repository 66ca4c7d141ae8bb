"""Admin for screening: read-mostly views for support staff; the high-risk area list is
editable here too (the pages are the everyday way)."""

from django.contrib import admin

from bastion.screening.models import (
    HighRiskArea,
    HouseholdVisit,
    ImportJob,
    RegistrationPoint,
    Signal,
    SignalEvent,
    Sweep,
    TravelRecord,
    VerificationList,
)


class SignalEventInline(admin.TabularInline[SignalEvent, Signal]):
    model = SignalEvent
    extra = 0
    can_delete = False
    readonly_fields = ("status", "note", "actor", "at")


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin[Signal]):
    list_display = ("id", "unit_code", "source", "status", "found_at", "handled_at")
    list_filter = ("source", "status")
    search_fields = ("unit_code",)
    readonly_fields = [f.name for f in Signal._meta.fields]
    inlines = [SignalEventInline]


@admin.register(HighRiskArea)
class HighRiskAreaAdmin(admin.ModelAdmin[HighRiskArea]):
    list_display = ("name", "code", "province", "city", "county", "active_from", "active_to")
    search_fields = ("name", "province", "city")


@admin.register(Sweep)
class SweepAdmin(admin.ModelAdmin[Sweep]):
    list_display = ("name", "unit_code", "starts_on", "ends_on")


@admin.register(HouseholdVisit)
class HouseholdVisitAdmin(admin.ModelAdmin[HouseholdVisit]):
    list_display = ("id", "sweep", "unit_code", "result", "visited_at")
    list_filter = ("result",)
    readonly_fields = [f.name for f in HouseholdVisit._meta.fields]


@admin.register(TravelRecord)
class TravelRecordAdmin(admin.ModelAdmin[TravelRecord]):
    list_display = (
        "id",
        "unit_code",
        "origin_province",
        "origin_city",
        "arrived_on",
        "is_high_risk",
    )
    list_filter = ("is_high_risk", "transport", "source")
    readonly_fields = [f.name for f in TravelRecord._meta.fields]


@admin.register(RegistrationPoint)
class RegistrationPointAdmin(admin.ModelAdmin[RegistrationPoint]):
    list_display = ("unit_code", "is_active", "created_at")


@admin.register(VerificationList)
class VerificationListAdmin(admin.ModelAdmin[VerificationList]):
    list_display = ("title", "unit_code", "uploaded_at")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    list_display = ("file_name", "unit_code", "status", "created_at", "applied_at")
    readonly_fields = [f.name for f in ImportJob._meta.fields]
