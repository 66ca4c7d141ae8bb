"""Observation pages: the list, starting one, the person's page with its day grid, chart and
the quick check-in, and corrections."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope, get_scoped_or_404, has_capability
from bastion.accounts.roles import Capability, Role
from bastion.audit.models import Action
from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors
from bastion.observation import selectors, services
from bastion.observation.forms import (
    QUICK_TEMPERATURES,
    CareForm,
    CheckinForm,
    StartForm,
    SupplyForm,
    fresh_uuid,
)
from bastion.observation.models import (
    CareKind,
    CheckinSource,
    MeasureSite,
    Observation,
    ObservationStatus,
)
from bastion.observation.selectors import alerts as alert_selectors
from bastion.observation.selectors import observations as obs_selectors
from bastion.people.selectors import QueryKind, person_search
from bastion.screening.models import Signal

PAGE_SIZE = 25
LAST_VALUES = "observation_last_checkin"


def shows_names(user: Any) -> bool:
    """Those who look after people see names; readers (auditors) see `张*`."""
    return has_capability(user, Capability.RECORD_CHECKINS)


@login_required
@require(Capability.VIEW_OBSERVATIONS)
@never_cache
def observation_list(request: HttpRequest) -> HttpResponse:
    """Observations in scope, by unit and status, newest first."""
    user = request.user
    unit_code = request.GET.get("unit", "")[:40] or None
    raw_status = request.GET.get("status", "active")
    status = raw_status if raw_status in ObservationStatus.values else None
    observations = obs_selectors.observation_list(user=user, unit_code=unit_code, status=status)
    page = Paginator(observations, PAGE_SIZE).get_page(request.GET.get("page"))
    services.observation_access_log(
        actor=user,
        action=Action.LIST,
        object_type="observation",
        unit_code=unit_code or "",
        count=page.paginator.count,
        status=status,
        page=page.number,
    )
    query = urlencode({k: v for k, v in (("unit", unit_code), ("status", status)) if v})
    return render(
        request,
        "observation/list.html",
        {
            "page": page,
            "status": status or "",
            "statuses": ObservationStatus.choices,
            "unit_code": unit_code or "",
            "query": query,
            "show_names": shows_names(user),
        },
    )


@login_required
@require(Capability.MANAGE_OBSERVATIONS)
@never_cache
def observation_new(request: HttpRequest) -> HttpResponse:
    """Find the person to start an observation for (POSTed: names and numbers never go in
    a URL)."""
    results = None
    if request.method == "POST":
        q = request.POST.get("q", "")[:100]
        kind, found = person_search(user=request.user, q=q)
        results = list(found[:30])
        if kind != QueryKind.EMPTY:
            services.observation_access_log(
                actor=request.user,
                action=Action.SEARCH,
                object_type="person",
                count=len(results),
                kind=kind,
                purpose="observation_start",
            )
    return render(request, "observation/new.html", {"results": results})


def _signal_of(request: HttpRequest, person_id: int) -> Signal | None:
    raw = request.GET.get("signal", "") or request.POST.get("signal", "")
    if not raw.isdigit():
        return None
    signal = get_scoped_or_404(
        request.user, Signal.objects.all(), Capability.MANAGE_OBSERVATIONS, pk=int(raw)
    )
    return signal if signal.person_id in (None, person_id) else None


@login_required
@require(Capability.MANAGE_OBSERVATIONS)
@never_cache
def observation_start(request: HttpRequest, person_id: int) -> HttpResponse:
    """纳入医学观察: one person, and in the same step their household."""
    user = request.user
    person = alert_selectors.person_in_scope(
        user=user, person_id=person_id, capability=Capability.MANAGE_OBSERVATIONS
    )
    current = obs_selectors.open_observation_of(user=user, person_id=person.pk)
    if current is not None:
        messages.info(request, _("%(name)s 已在医学观察中。") % {"name": person.name})
        return redirect("observation:detail", pk=current.pk)
    signal = _signal_of(request, person.pk)
    workers = obs_selectors.responsible_candidates(
        unit_code=person.unit_code, role=Role.VILLAGE_WORKER
    )
    doctors = obs_selectors.responsible_candidates(
        unit_code=person.unit_code, role=Role.HEALTH_WORKER
    )
    members = []
    if person.household_id:
        members = [
            m
            for m in person.household.members.filter(merged_into__isnull=True)  # type: ignore[union-attr]
            if m.pk != person.pk
        ]
    initial = {
        "kind": "home",
        "start_date": timezone.localdate(),
        "with_household": bool(members),
        "grid_worker": user.pk if user in workers else None,
        **fresh_uuid(),
    }
    form = StartForm(
        request.POST or None, initial=initial, grid_workers=workers, health_workers=doctors
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            started = services.observation_start(
                actor=user,
                person=person,
                kind=data["kind"],
                start_date=data["start_date"],
                place=data["place"],
                with_household=data["with_household"],
                grid_worker=workers.filter(pk=data["grid_worker"]).first(),
                health_worker=doctors.filter(pk=data["health_worker"]).first(),
                signal=signal,
                note=data["note"],
                client_uuid=data["client_uuid"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            names = "、".join(o.person.name for o in started.observations)
            messages.success(request, _("已纳入医学观察：%(names)s。") % {"names": names})
            if started.skipped:
                skipped = "、".join(p.name for p in started.skipped)
                messages.info(
                    request, _("已在观察中，未重复纳入：%(names)s。") % {"names": skipped}
                )
            return redirect("observation:detail", pk=started.observations[0].pk)
    return render(
        request,
        "observation/start.html",
        {"person": person, "form": form, "members": members, "signal": signal},
    )


def _last_values(request: HttpRequest) -> dict[str, str]:
    """The source and site the worker used last: a normal check-in is then one tap."""
    last = request.session.get(LAST_VALUES) or {}
    source = str(last.get("source", ""))
    site = str(last.get("site", ""))
    return {
        "source": source if source in CheckinSource.values else "visit",
        "site": site if site in MeasureSite.values else "forehead",
    }


def _detail(
    request: HttpRequest,
    observation: Observation,
    *,
    checkin_form: CheckinForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    checkins = list(obs_selectors.checkin_list(user=user, observation=observation))
    alerts = list(alert_selectors.observation_alerts(user=user, observation=observation))
    care_visits = list(obs_selectors.observation_care_visits(observation=observation))
    # Care tags suggest visits (孕产妇 → 上门产检) that are not planned yet.
    needs = [
        k for k in services.care_needs(observation.person) if all(v.kind != k for v in care_visits)
    ]
    can_record = code_in_scope(user, observation.unit_code, Capability.RECORD_CHECKINS)
    last = _last_values(request)
    labels = {s["code"]: s["label"] for s in observation.policy.symptoms}
    slot_labels = selectors.policy_slot_labels(observation.policy)
    context: dict[str, Any] = {
        "observation": observation,
        "person": observation.person,
        "checkins": list(reversed(checkins)),
        "grid": obs_selectors.observation_grid(observation=observation, checkins=checkins, now=now),
        "chart": obs_selectors.temperature_series(observation=observation, checkins=checkins),
        "alerts": alerts,
        "missed": [a for a in alerts if a.kind == "missed" and a.is_unresolved],
        "missed_open": any(a.kind == "missed" and a.status == "open" for a in alerts),
        "cases": list(alert_selectors.observation_cases(user=user, observation=observation)),
        "events": list(obs_selectors.observation_events(observation=observation)),
        "supplies": list(obs_selectors.observation_supplies(observation=observation)),
        "care_visits": care_visits,
        "care_needs": [CareKind(k).label for k in needs],
        "tokens": obs_selectors.observation_tokens(observation=observation).count(),
        "can_record": can_record and observation.is_active,
        "can_manage": code_in_scope(user, observation.unit_code, Capability.MANAGE_OBSERVATIONS),
        "quick": QUICK_TEMPERATURES,
        "last": last,
        "quick_uuid": fresh_uuid()["client_uuid"],
        "checkin_form": checkin_form
        or CheckinForm(
            initial={**last, "outcome": "cooperative", **fresh_uuid()},
            policy=observation.policy,
        ),
        "supply_form": SupplyForm(initial={"delivered_on": timezone.localdate(), **fresh_uuid()}),
        "care_form": CareForm(
            initial={
                "kind": needs[0] if needs else "other",
                "due_on": timezone.localdate(),
                **fresh_uuid(),
            }
        ),
        "symptom_labels": labels,
        "slot_labels": slot_labels,
        "today": timezone.localdate(),
        "day_number": observation.day_number(on=timezone.localdate()),
        "show_names": shows_names(user),
    }
    services.observation_access_log(
        actor=user,
        action=Action.VIEW,
        object_type="observation",
        object_id=observation.pk,
        unit_code=observation.unit_code,
    )
    return render(request, "observation/detail.html", context, status=status)


@login_required
@require(Capability.VIEW_OBSERVATIONS)
@never_cache
def observation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    observation = obs_selectors.observation_get(user=request.user, observation_id=pk)
    return _detail(request, observation)


def _checkin_message(checkin: Any, labels: dict[str, str], slot_labels: dict[str, str]) -> str:
    slot = slot_labels.get(checkin.slot, checkin.slot)
    if checkin.temperature is None:
        return _("已记录：%(slot)s，%(outcome)s。") % {
            "slot": slot,
            "outcome": checkin.get_outcome_display(),
        }
    return _("已记录 %(t)s °C（%(day)s %(slot)s）。") % {
        "t": checkin.temperature,
        "day": checkin.day.strftime("%m-%d"),
        "slot": slot,
    }


@login_required
@require(Capability.RECORD_CHECKINS)
@never_cache
@require_POST
def checkin_create(request: HttpRequest, pk: int) -> HttpResponse:
    """记录体温 (the quick buttons and the full form post here). A double tap stores one."""
    observation = obs_selectors.observation_get(
        user=request.user, observation_id=pk, capability=Capability.RECORD_CHECKINS
    )
    return _record(request, observation, corrects=None)


def _record(request: HttpRequest, observation: Observation, *, corrects: Any) -> HttpResponse:
    form = CheckinForm(request.POST, policy=observation.policy)
    if form.is_valid():
        data = form.cleaned_data
        try:
            checkin, _created = services.checkin_record(
                observation=observation,
                client_uuid=data["client_uuid"],
                source=data["source"],
                temperature=data["temperature"],
                site=data["site"],
                symptoms=data["symptoms"],
                outcome=data["outcome"],
                note=data["note"],
                measured_at=data["measured_at"],
                corrects=corrects,
                actor=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            request.session[LAST_VALUES] = {"source": data["source"], "site": data["site"]}
            labels = {s["code"]: s["label"] for s in observation.policy.symptoms}
            slots = selectors.policy_slot_labels(observation.policy)
            messages.success(request, _checkin_message(checkin, labels, slots))
            if checkin.is_fever:
                messages.warning(request, _("体温达到发热标准，已发出发热预警，请立即处置。"))
            return redirect(reverse("observation:detail", args=[observation.pk]) + "#checkin")
    if corrects is not None:
        return render(
            request,
            "observation/correct.html",
            {"observation": observation, "original": corrects, "form": form},
            status=422,
        )
    return _detail(request, observation, checkin_form=form, status=422)


@login_required
@require(Capability.RECORD_CHECKINS)
@never_cache
def checkin_correct(request: HttpRequest, pk: int, checkin_id: int) -> HttpResponse:
    """更正: a new check-in that replaces a wrong one (the wrong one stays, superseded)."""
    observation = obs_selectors.observation_get(
        user=request.user, observation_id=pk, capability=Capability.RECORD_CHECKINS
    )
    original = obs_selectors.checkin_get(
        user=request.user, observation=observation, checkin_id=checkin_id
    )
    if request.method == "POST":
        return _record(request, observation, corrects=original)
    form = CheckinForm(
        initial={
            "source": original.source,
            "outcome": original.outcome,
            "temperature": original.temperature or "",
            "site": original.site,
            "symptoms": original.symptoms,
            "measured_at": timezone.localtime(original.measured_at),
            "note": original.note,
            **fresh_uuid(),
        },
        policy=observation.policy,
    )
    return render(
        request,
        "observation/correct.html",
        {"observation": observation, "original": original, "form": form},
    )
