"""Setting up and editing checkpoints (卡点设置)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.checkpoints import selectors, services
from bastion.checkpoints.forms import CheckpointForm, slots_text
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.forms import add_service_errors
from bastion.orgs.models import OrgUnit
from bastion.orgs.selectors import unit_get


def _responsible(form: CheckpointForm, units: list[OrgUnit]) -> OrgUnit | None:
    code = form.cleaned_data.get("responsible_unit")
    return next((u for u in units if u.code == code), None)


@login_required
@require(Capability.MANAGE_CHECKPOINTS)
def checkpoint_create(request: HttpRequest, code: str) -> HttpResponse:
    """A new checkpoint under the unit `code` (a county, township or village)."""
    parent = unit_get(user=request.user, code=code)
    if not code_in_scope(request.user, parent.code, Capability.MANAGE_CHECKPOINTS):
        raise PermissionDenied
    units = selectors.responsible_candidates(user=request.user, parent=parent)
    form = CheckpointForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            checkpoint = services.checkpoint_create(
                actor=request.user,
                parent=parent,
                name=form.cleaned_data["name"],
                responsible_unit=_responsible(form, units),
                **form.service_fields(),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("卡点已设立。"))
            return redirect("checkpoints:roster", code=checkpoint.unit_code)
    return render(request, "checkpoints/checkpoint_form.html", {"form": form, "parent": parent})


@login_required
@require(Capability.MANAGE_CHECKPOINTS)
def checkpoint_edit(request: HttpRequest, code: str) -> HttpResponse:
    checkpoint = selectors.checkpoint_get(
        user=request.user, code=code, capability=Capability.MANAGE_CHECKPOINTS
    )
    parent = checkpoint.unit.parent or checkpoint.unit
    units = selectors.responsible_candidates(user=request.user, parent=parent)
    initial: dict[str, Any] = {
        "name": checkpoint.unit.name,
        "kind": checkpoint.kind,
        "place": checkpoint.place,
        "responsible_unit": checkpoint.responsible_unit.code if checkpoint.responsible_unit else "",
        "person_in_charge": checkpoint.person_in_charge,
        "phone": checkpoint.phone,
        "opens_on": checkpoint.opens_on,
        "closes_on": checkpoint.closes_on,
        "serving_kinds": checkpoint.serving_kinds,
        "minimum_total": checkpoint.minimum_total,
        "min_police": checkpoint.minimum_by_kind.get("police", 0),
        "min_health": checkpoint.minimum_by_kind.get("health", 0),
        "max_hours_in_24": checkpoint.max_hours_in_24,
        "slots": slots_text(checkpoint.slots),
    }
    form = CheckpointForm(
        request.POST or None, initial=initial, units=units, current_slots=checkpoint.slots
    )
    form.fields["name"].disabled = True
    stale = False
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        fields["minimum_by_kind"] = {
            **{
                k: v for k, v in checkpoint.minimum_by_kind.items() if k not in ("police", "health")
            },
            **fields["minimum_by_kind"],
        }
        try:
            services.checkpoint_update(
                actor=request.user,
                checkpoint=checkpoint,
                version=int(request.POST.get("version", 0) or 0),
                responsible_unit=_responsible(form, units),
                **fields,
            )
        except StaleVersion:
            stale = True
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("卡点信息已保存。"))
            return redirect("checkpoints:officer", code=checkpoint.unit_code)
    return render(
        request,
        "checkpoints/checkpoint_form.html",
        {"form": form, "checkpoint": checkpoint, "parent": parent, "stale": stale},
    )
