"""Alerts (the inbox), referral and cases, and the unit summary with the five-early
latencies."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.core.errors import ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.schemas import page_bounds
from bastion.observation import services
from bastion.observation.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    AlertFilters,
    AlertOut,
    AlertPage,
    CaseAdmitIn,
    CaseClassifyIn,
    CaseIsolateIn,
    CaseOut,
    CaseOutcomeIn,
    CaseReturnIn,
    CaseTestIn,
    ChildSummaryOut,
    CountsOut,
    LatencyOut,
    ObjectId,
    ReferIn,
    ResolveIn,
    SummaryFilters,
    SummaryOut,
)
from bastion.observation.forms import DateRangeForm
from bastion.observation.models import Case
from bastion.observation.selectors import alerts as alert_selectors
from bastion.observation.selectors import dashboard
from bastion.observation.selectors import observations as obs_selectors
from bastion.orgs.selectors import unit_children

router = Router()
CHANNEL = "api"


@router.get("/alerts", response={200: AlertPage, **ERRORS}, summary="The alert inbox (paged)")
def alert_list(request: HttpRequest, filters: Query[AlertFilters]) -> Any:
    alerts = alert_selectors.alert_list(
        user=request.user,
        unit_code=filters.unit,
        status=filters.status,
        kind=filters.kind,
        unresolved=filters.unresolved,
    )
    count = alerts.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [AlertOut.of(a) for a in alerts[start:end]]
    services.observation_access_log(
        actor=request.user,
        action=Action.LIST,
        object_type="alert",
        unit_code=filters.unit or "",
        count=count,
        channel=CHANNEL,
    )
    return AlertPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response={200: AlertOut, **WRITE_ERRORS},
    summary="Acknowledge an alert (the 'reported' step of five-early); idempotent",
)
def alert_acknowledge(request: HttpRequest, alert_id: ObjectId) -> Any:
    alert = alert_selectors.alert_get(
        user=request.user, alert_id=alert_id, capability=Capability.RECORD_CHECKINS
    )
    services.alert_acknowledge(actor=request.user, alert=alert)
    return AlertOut.of(alert_selectors.alert_get(user=request.user, alert_id=alert_id))


@router.post(
    "/alerts/{alert_id}/resolve",
    response={200: AlertOut, **WRITE_ERRORS},
    summary="Resolve an alert as normal on re-check or as handled",
)
def alert_resolve(request: HttpRequest, alert_id: ObjectId, payload: ResolveIn) -> Any:
    alert = alert_selectors.alert_get(
        user=request.user, alert_id=alert_id, capability=Capability.RECORD_CHECKINS
    )
    services.alert_resolve(
        actor=request.user, alert=alert, resolution=payload.resolution, note=payload.note
    )
    return AlertOut.of(alert_selectors.alert_get(user=request.user, alert_id=alert_id))


@router.post(
    "/observations/{observation_id}/referral",
    response={201: CaseOut, 200: CaseOut, **WRITE_ERRORS},
    summary="Refer the person to a fever clinic (from an alert); starts a case",
)
def referral_create(request: HttpRequest, observation_id: ObjectId, payload: ReferIn) -> Any:
    user = request.user
    observation = obs_selectors.observation_get(
        user=user, observation_id=observation_id, capability=Capability.MANAGE_OBSERVATIONS
    )
    alert = None
    if payload.alert_id is not None:
        alert = (
            alert_selectors.observation_alerts(user=user, observation=observation)
            .filter(pk=payload.alert_id)
            .first()
        )
        if alert is None:
            raise ValidationError({"alert_id": "该预警不属于这位观察对象。"})

    def work() -> tuple[int, Any]:
        replay = (
            payload.client_uuid is not None
            and Case.objects.filter(client_uuid=payload.client_uuid).exists()
        )
        case = services.case_refer(
            actor=user,
            observation=observation,
            alert=alert,
            referred_to=payload.referred_to,
            at=payload.at,
            note=payload.note,
            client_uuid=payload.client_uuid,
        )
        case = alert_selectors.case_get(user=user, case_id=case.pk)
        return (200 if replay else 201), CaseOut.of(case)

    return Status(*idempotent(request, work))


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS})
def case_get(request: HttpRequest, case_id: ObjectId) -> Any:
    case = alert_selectors.case_get(user=request.user, case_id=case_id)
    services.observation_access_log(
        actor=request.user,
        action=Action.VIEW,
        object_type="case",
        object_id=case.pk,
        unit_code=case.unit_code,
        channel=CHANNEL,
    )
    return CaseOut.of(case)


def _case(request: HttpRequest, case_id: int) -> Case:
    return alert_selectors.case_get(
        user=request.user, case_id=case_id, capability=Capability.RECORD_CASES
    )


def _answer(request: HttpRequest, case_id: int) -> CaseOut:
    return CaseOut.of(alert_selectors.case_get(user=request.user, case_id=case_id))


@router.post(
    "/cases/{case_id}/test", response={200: CaseOut, **WRITE_ERRORS}, summary="Sample, result"
)
def case_test(request: HttpRequest, case_id: ObjectId, payload: CaseTestIn) -> Any:
    services.case_record_test(
        actor=request.user, case=_case(request, case_id), **payload.model_dump()
    )
    return _answer(request, case_id)


@router.post(
    "/cases/{case_id}/classify",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Suspected, confirmed or excluded",
)
def case_classify(request: HttpRequest, case_id: ObjectId, payload: CaseClassifyIn) -> Any:
    services.case_classify(actor=request.user, case=_case(request, case_id), **payload.model_dump())
    return _answer(request, case_id)


@router.post(
    "/cases/{case_id}/isolate", response={200: CaseOut, **WRITE_ERRORS}, summary="Isolation"
)
def case_isolate(request: HttpRequest, case_id: ObjectId, payload: CaseIsolateIn) -> Any:
    services.case_isolate(actor=request.user, case=_case(request, case_id), **payload.model_dump())
    return _answer(request, case_id)


@router.post("/cases/{case_id}/admit", response={200: CaseOut, **WRITE_ERRORS}, summary="Admission")
def case_admit(request: HttpRequest, case_id: ObjectId, payload: CaseAdmitIn) -> Any:
    services.case_admit(actor=request.user, case=_case(request, case_id), **payload.model_dump())
    return _answer(request, case_id)


@router.post(
    "/cases/{case_id}/outcome", response={200: CaseOut, **WRITE_ERRORS}, summary="Recovered or died"
)
def case_outcome(request: HttpRequest, case_id: ObjectId, payload: CaseOutcomeIn) -> Any:
    services.case_close(actor=request.user, case=_case(request, case_id), **payload.model_dump())
    return _answer(request, case_id)


@router.post(
    "/cases/{case_id}/return",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Back to observation (excluded or recovered)",
)
def case_return(request: HttpRequest, case_id: ObjectId, payload: CaseReturnIn) -> Any:
    services.case_return(actor=request.user, case=_case(request, case_id), **payload.model_dump())
    return _answer(request, case_id)


@router.get(
    "/observation-summary",
    response={200: SummaryOut, **ERRORS},
    summary="A unit's counts and five-early latencies, per child unit, for a date range",
)
def observation_summary(request: HttpRequest, filters: Query[SummaryFilters]) -> Any:
    user = request.user
    unit = obs_selectors.unit_in_scope(user=user, code=filters.unit)
    children = list(unit_children(user=user, unit=unit))
    bounds = DateRangeForm(
        {"date_from": filters.date_from or "", "date_to": filters.date_to or ""}
    ).bounds()
    counts, total = dashboard.unit_counts(user=user, unit=unit, children=children)
    latencies, latency_total = dashboard.unit_latencies(
        user=user, unit=unit, children=children, date_from=bounds[0], date_to=bounds[1]
    )
    return SummaryOut(
        code=unit.code,
        name=unit.name,
        date_from=bounds[0],
        date_to=bounds[1],
        counts=CountsOut.of(total),
        latencies=LatencyOut.of(latency_total),
        children=[
            ChildSummaryOut(
                code=c.code,
                name=c.name,
                counts=CountsOut.of(counts[c.code]),
                latencies=LatencyOut.of(latencies[c.code]),
            )
            for c in children
        ],
    )
