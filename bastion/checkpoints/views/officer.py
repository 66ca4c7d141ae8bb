"""The officer's screen at the roadside: the current shift, the registration form, the last
registrations of this shift and the open hand-overs; lookups of earlier passages.

Built for a phone, gloves and rain: the plate first, large targets, one tap per occupant.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import active_memberships, code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.checkpoints import selectors, services
from bastion.checkpoints.forms import LookupForm, OccupantFormSet, PassageForm
from bastion.checkpoints.models import Decision
from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors
from bastion.core.validators import to_halfwidth
from bastion.observation.selectors import policy_for
from bastion.orgs.selectors import unit_roots

RECENT = 10


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


@login_required
@require(Capability.VIEW_CHECKPOINTS)
def checkpoint_index(request: HttpRequest) -> HttpResponse:
    """The checkpoints in the user's jurisdiction; an officer stationed at one goes straight
    to its screen."""
    checkpoints = list(selectors.checkpoint_list(user=request.user))
    stationed = {m.unit_id for m in active_memberships(request.user)}
    if len(checkpoints) == 1 and checkpoints[0].unit_id in stationed:
        return redirect("checkpoints:officer", code=checkpoints[0].unit_code)
    roots = unit_roots(user=request.user)
    return render(request, "checkpoints/index.html", {"checkpoints": checkpoints, "roots": roots})


def _occupants(formset: Any) -> tuple[list[services.OccupantIn], list[int]]:
    """The rows typed (blank rows dropped) and, for each, its form's index in the formset."""
    rows: list[services.OccupantIn] = []
    index: list[int] = []
    for i, form in enumerate(formset.forms):
        if not form.is_valid() or form.is_blank():
            continue
        data = form.cleaned_data
        rows.append(
            services.OccupantIn(
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                temperature=data["temperature"],
                no_temperature_reason=data["no_temperature_reason"],
                decision=data.get("decision") or Decision.PASS,
            )
        )
        index.append(i)
    return rows, index


def _show_errors(form: PassageForm, formset: Any, index: list[int], e: ValidationError) -> None:
    """Service errors beside their fields: `occupants.N.field` on the N-th typed occupant."""
    vehicle: dict[str, list[str]] = {}
    for key, messages_ in e.message_dict.items():
        if key.startswith("occupants."):
            _prefix, n, field = key.split(".", 2)
            formset.forms[index[int(n)]].add_error(field, messages_)
        elif key == "destination":
            form.add_error("destination_q", messages_)
        else:
            vehicle[key] = messages_
    if vehicle:
        add_service_errors(form, ValidationError(vehicle))


@login_required
@require(Capability.VIEW_CHECKPOINTS)
@never_cache
def officer_screen(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the screen. POST: register one vehicle with its occupants, then back to a fresh
    form (a resent POST carries the same client UUID and registers nothing twice)."""
    user = request.user
    checkpoint = selectors.checkpoint_get(user=user, code=code)
    can_record = code_in_scope(user, checkpoint.unit_code, Capability.RECORD_PASSAGES)
    now = timezone.now()
    form = PassageForm(initial={"client_uuid": uuid.uuid4()})
    formset = OccupantFormSet(prefix="occupants")
    destination_name = ""
    if request.method == "POST":
        if not can_record:
            raise Http404("未找到")
        form = PassageForm(request.POST)
        formset = OccupantFormSet(request.POST, prefix="occupants")
        form_ok = form.is_valid()
        formset.is_valid()
        rows, index = _occupants(formset)
        destination = None
        code_typed = form.cleaned_data.get("destination") if form_ok else ""
        if code_typed:
            destination = selectors.destination_get(checkpoint=checkpoint, code=code_typed)
            destination_name = destination.name if destination else ""
        if form_ok and not any(f.errors for f in formset.forms):
            data = form.cleaned_data
            try:
                passage, created = services.passage_register(
                    actor=user,
                    checkpoint=checkpoint,
                    client_uuid=data["client_uuid"],
                    plate=data["plate"],
                    vehicle_kind=data["vehicle_kind"],
                    origin=data["origin"],
                    destination=destination,
                    purpose=data["purpose"],
                    disposition=data["disposition"],
                    note=data["note"],
                    occupants=rows,
                )
            except ValidationError as e:
                _show_errors(form, formset, index, e)
            else:
                hand_overs = sum(1 for o in passage.occupants.all() if o.is_hand_over)
                text = _("已登记 %(plate)s，%(n)s 人。") % {
                    "plate": passage.plate,
                    "n": passage.occupants.count(),
                }
                if hand_overs:
                    text += _("已移交 %(village)s %(n)s 人。") % {
                        "village": destination_name,
                        "n": hand_overs,
                    }
                messages.success(request, text if created else _("这辆车已登记过，未重复登记。"))
                return redirect("checkpoints:officer", code=checkpoint.unit_code)
    shift = services.shift_for(checkpoint=checkpoint, at=now) if can_record else None
    recent = list(selectors.shift_passages(user=user, shift=shift)[:RECENT]) if shift else []
    summary = selectors.shift_summary(user=user, shift=shift) if shift else None
    services.passage_list_log(
        actor=user, action=Action.LIST, count=len(recent), unit_code=checkpoint.unit_code
    )
    policy = policy_for(unit_code=checkpoint.unit_code, on=timezone.localdate())
    return render(
        request,
        "checkpoints/officer.html",
        {
            "checkpoint": checkpoint,
            "can_record": can_record,
            "can_manage": code_in_scope(user, checkpoint.unit_code, Capability.MANAGE_CHECKPOINTS),
            "form": form,
            "formset": formset,
            "destination_name": destination_name,
            "shift": shift,
            "summary": summary,
            "recent": recent,
            "hand_overs": selectors.open_hand_overs(user=user, checkpoint=checkpoint),
            "fever_threshold": policy.fever_threshold,
            "lookup": LookupForm(),
            "now": now,
        },
    )


@login_required
@require(Capability.VIEW_CHECKPOINTS)
def destinations(request: HttpRequest, code: str) -> HttpResponse:
    """htmx: destinations of the checkpoint's city matching what was typed."""
    checkpoint = selectors.checkpoint_get(user=request.user, code=code)
    q = request.GET.get("destination_q", request.GET.get("q", ""))[:40]
    units = selectors.destination_search(checkpoint=checkpoint, q=q)
    return render(request, "checkpoints/_destinations.html", {"units": units, "q": q})


@login_required
@require(Capability.VIEW_CHECKPOINTS)
def origins(request: HttpRequest) -> HttpResponse:
    """htmx: origins matching what was typed, high-risk areas flagged."""
    q = request.GET.get("origin", request.GET.get("q", ""))[:30]
    found = selectors.origin_suggestions(q=q, on=timezone.localdate())
    return render(request, "checkpoints/_origins.html", {"origins": found})


def _lookup_kind(q: str) -> dict[str, str]:
    """Read one box as a plate, an ID number or a phone."""
    compact = "".join(to_halfwidth(q).split()).replace("-", "")
    if compact and not compact[0].isascii():
        return {"plate": compact}
    if compact.isdigit() and len(compact) == 11 and compact.startswith("1"):
        return {"phone": compact}
    if compact.startswith(("+86", "0086")):
        return {"phone": compact}
    return {"id_number": compact}


def _typed(request: HttpRequest) -> tuple[str, bool]:
    """What to look up, and whether it came from a field of the registration form (htmx names
    the field that triggered the request) rather than from the lookup box."""
    trigger = request.headers.get("HX-Trigger-Name", "")
    if trigger and trigger != "q" and trigger.endswith(("plate", "id_number", "phone")):
        return request.POST.get(trigger, "")[:40], True
    return request.POST.get("q", "")[:40], False


@login_required
@require(Capability.VIEW_CHECKPOINTS)
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Earlier passages of a plate, an ID number or a phone: POSTed (htmx or not), so that the
    number never appears in a URL. From a field of the registration form it answers with a
    short history beside the field (a returning vehicle or person is recognised at once).
    GET shows the empty form."""
    if request.method == "GET":
        return render(request, "checkpoints/lookup.html", {"lookup": LookupForm()})
    typed, from_field = _typed(request)
    form = LookupForm({"q": typed})
    found: list[Any] = []
    kind = None
    if form.is_valid():
        try:
            kind, value = selectors.lookup_value(**_lookup_kind(form.cleaned_data["q"]))
        except ValidationError as e:
            form.add_error("q", next(iter(e.message_dict.values())))
        else:
            found = selectors.passage_search(user=request.user, kind=kind, value=value)
            services.passage_list_log(
                actor=request.user, action=Action.SEARCH, count=len(found), kind=kind
            )
    if from_field:
        # While typing, a number that is not complete yet is no error worth showing.
        return render(request, "checkpoints/_history.html", {"found": found, "kind": kind})
    context = {"lookup": LookupForm(), "errors": form.errors.get("q"), "found": found, "kind": kind}
    template = "checkpoints/_lookup.html" if _is_htmx(request) else "checkpoints/lookup.html"
    return render(request, template, context)


@login_required
@require(Capability.VIEW_CHECKPOINTS)
@never_cache
def passage_detail(request: HttpRequest, passage_id: int) -> HttpResponse:
    passage = selectors.passage_get(user=request.user, passage_id=passage_id)
    services.passage_view_log(
        actor=request.user, passage_id=passage.pk, unit_code=passage.unit_code
    )
    return render(request, "checkpoints/passage_detail.html", {"passage": passage})
