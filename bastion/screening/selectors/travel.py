"""Reads of returnees (返乡人员): travel records (scoped), the high-risk area list and the
self-registration points."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.screening.models import HighRiskArea, RegistrationPoint, TravelRecord
from bastion.screening.selectors.signals import unit_in_scope


def travel_list(
    *,
    user: Any,
    unit_code: str | None = None,
    high_risk: bool | None = None,
    arrived_since: date | None = None,
    capability: Capability = Capability.VIEW_SCREENING,
) -> QuerySet[TravelRecord]:
    """Travel records of the user's jurisdiction, the latest arrivals first."""
    qs = scoped(
        user,
        TravelRecord.objects.select_related("person", "unit", "household", "risk_area"),
        capability,
    )
    if unit_code:
        unit = unit_in_scope(user=user, code=unit_code, capability=capability)
        qs = qs.filter(unit_code__startswith=unit.scope_prefix)
    if high_risk is not None:
        qs = qs.filter(is_high_risk=high_risk)
    if arrived_since is not None:
        qs = qs.filter(arrived_on__gte=arrived_since)
    return qs.order_by("-arrived_on", "-id")


def travel_get(
    *, user: Any, record_id: int, capability: Capability = Capability.VIEW_SCREENING
) -> TravelRecord:
    return get_scoped_or_404(
        user,
        TravelRecord.objects.select_related("person", "unit", "household", "risk_area"),
        capability,
        pk=record_id,
    )


def risk_area_list(*, on: date | None = None, current_only: bool = False) -> QuerySet[HighRiskArea]:
    """The high-risk area list (public policy, not personal data: not scoped)."""
    qs = HighRiskArea.objects.all()
    if current_only:
        on = on or timezone.localdate()
        qs = qs.filter(active_from__lte=on).filter(Q(active_to__isnull=True) | Q(active_to__gte=on))
    return qs.order_by("province", "city", "county", "-active_from")


def risk_area_get(*, area_id: int) -> HighRiskArea:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(HighRiskArea, pk=area_id)


def registration_point_by_token(*, token: str) -> RegistrationPoint | None:
    """The active self-registration point behind a poster's link (public, no login)."""
    if not token or len(token) > 40:
        return None
    return (
        RegistrationPoint.objects.select_related("unit").filter(token=token, is_active=True).first()
    )


def registration_points(*, user: Any) -> QuerySet[RegistrationPoint]:
    return scoped(
        user, RegistrationPoint.objects.select_related("unit"), Capability.MANAGE_SCREENING
    )
