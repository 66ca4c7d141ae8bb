"""Admin: read-only. Observations, check-ins, alerts and cases change only through the
services (validated, logged, idempotent); a policy changes only by a new version, made on the
policy page (/observation/policies/new/), so the admin only looks."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bastion.core.masking import mask_name
from bastion.observation.models import Alert, Case, CheckIn, Notification, Observation, Policy


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "version",
        "county",
        "effective_from",
        "period_days",
        "fever_threshold",
        "escalate_after_minutes",
    )
    list_select_related = ("county",)


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "person_masked",
        "unit_code",
        "kind",
        "status",
        "start_date",
        "planned_end",
    )
    list_filter = ("status", "kind")
    list_select_related = ("person",)
    fields = ("unit_code", "kind", "status", "start_date", "planned_end", "started_at", "ended_at")

    @admin.display(description="人员")
    def person_masked(self, obj: Observation) -> str:
        return mask_name(obj.person.name)


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ("pk", "observation_id", "day", "slot", "source", "outcome", "is_fever")
    list_filter = ("source", "outcome", "is_fever")
    exclude = ("temperature", "symptoms", "note")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("pk", "observation_id", "unit_code", "kind", "status", "level", "raised_at")
    list_filter = ("kind", "status", "level")
    exclude = ("temperature", "symptoms")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "observation_id", "unit_code", "status", "detected_at")
    list_filter = ("status",)
    fields = ("unit_code", "status", "detected_at", "reported_at", "isolated_at", "diagnosed_at")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("pk", "recipient", "status", "attempts", "sender", "created_at", "sent_at")
    list_filter = ("status", "sender")
    exclude = ("text",)
