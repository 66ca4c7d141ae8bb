"""Verification list pages (核查名单): upload at county or township level, progress per
village, routing what could not be routed, export back up; each village verifies its rows."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope, has_capability
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.forms import add_service_errors
from bastion.orgs.models import Level
from bastion.screening import selectors, services
from bastion.screening.forms.verification import (
    ExportForm,
    VListUploadForm,
    VRowRouteForm,
    VRowVerifyForm,
)
from bastion.screening.spreadsheets.reading import UnreadableFile
from bastion.screening.spreadsheets.verification import list_rows_read, vlist_export_write
from bastion.screening.views.common import PAGE_SIZE, deny_unless
from bastion.screening.views.sweeps import _units

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require(Capability.VIEW_SCREENING)
@never_cache
def vlist_index(request: HttpRequest) -> HttpResponse:
    """The lists pushed down by the user's units, and the rows the user's villages verify."""
    user = request.user
    rows = selectors.vrow_list(user=user, capability=Capability.RECORD_SCREENING).exclude(
        unit__isnull=True
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_write(
        user=user,
        action=Action.LIST,
        object_type="verification_row",
        detail={"count": page.paginator.count},
    )
    return render(
        request,
        "screening/vlist_index.html",
        {
            "lists": selectors.vlist_list(user=user)[:50],
            "page": page,
            "can_upload": bool(
                _units(user, Capability.MANAGE_SCREENING, (Level.COUNTY, Level.TOWNSHIP))
            ),
        },
    )


@login_required
@require(Capability.MANAGE_SCREENING)
@never_cache
def vlist_upload(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = _units(user, Capability.MANAGE_SCREENING, (Level.COUNTY, Level.TOWNSHIP))
    form = VListUploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = list_rows_read(io.BytesIO(upload.read()))
            vlist = services.vlist_upload(
                actor=user,
                unit=form.units.get(form.cleaned_data["unit"]),
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
                file_name=upload.name or "",
                rows=rows,
            )
        except UnreadableFile as e:
            form.add_error("file", str(e))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("名单已下发：%(title)s。") % {"title": vlist.title})
            return redirect("screening:vlist", vlist_id=vlist.pk)
    return render(request, "screening/vlist_form.html", {"form": form})


@login_required
@require(Capability.VIEW_SCREENING)
@never_cache
def vlist_detail(request: HttpRequest, vlist_id: int) -> HttpResponse:
    """Progress per village (核查进度) and the rows that could not be routed."""
    user = request.user
    vlist = selectors.vlist_get(user=user, vlist_id=vlist_id)
    total, per_unit = selectors.vlist_progress(user=user, vlist=vlist)
    unrouted = list(selectors.vrow_list(user=user, vlist=vlist, unrouted=True)[:200])
    access_log_write(
        user=user,
        action=Action.VIEW,
        object_type="verification_list",
        object_id=vlist.pk,
        unit_code=vlist.unit_code,
    )
    return render(
        request,
        "screening/vlist_detail.html",
        {
            "vlist": vlist,
            "total": total,
            "per_unit": per_unit,
            "unrouted": unrouted,
            "route_form": VRowRouteForm(),
            "export_form": ExportForm(),
            "can_manage": code_in_scope(user, vlist.unit_code, Capability.MANAGE_SCREENING),
            "can_reveal": has_capability(user, Capability.REVEAL_PERSONAL_DATA),
        },
    )


@login_required
@require(Capability.VIEW_SCREENING)
@require_POST
def vlist_export(request: HttpRequest, vlist_id: int) -> HttpResponse:
    """The verified list back up (导出核查结果): a stated reason, masked unless revealing is
    asked for and allowed; logged."""
    user = request.user
    vlist = selectors.vlist_get(user=user, vlist_id=vlist_id)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写导出事由。")
        return redirect("screening:vlist", vlist_id=vlist.pk)
    reveal = form.cleaned_data["reveal"] and code_in_scope(
        user, vlist.unit_code, Capability.REVEAL_PERSONAL_DATA
    )
    buffer = io.BytesIO()
    count = vlist_export_write(
        buffer, selectors.vlist_for_export(user=user, vlist=vlist), title=vlist.title, reveal=reveal
    )
    access_log_write(
        user=user,
        action=Action.EXPORT,
        object_type="verification_list",
        object_id=vlist.pk,
        unit_code=vlist.unit_code,
        reason=form.cleaned_data["reason"],
        detail={"count": count, "masked": not reveal},
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="verification-{vlist.pk}-{stamp}.xlsx"'
    return response


@login_required
@require(Capability.MANAGE_SCREENING)
@require_POST
def vrow_route(request: HttpRequest, row_id: int) -> HttpResponse:
    user = request.user
    row = selectors.vrow_get(user=user, row_id=row_id, capability=Capability.MANAGE_SCREENING)
    form = VRowRouteForm(request.POST)
    target = None
    if form.is_valid():
        found = list(selectors.forward_targets(q=form.cleaned_data["unit"])[:2])
        target = found[0] if len(found) == 1 else None
    try:
        services.vrow_route(actor=user, row=row, unit=target)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(
            request, _("已分派给%(unit)s。") % {"unit": row.unit.name if row.unit else ""}
        )
    return redirect("screening:vlist", vlist_id=row.vlist_id)


@login_required
@require(Capability.RECORD_SCREENING)
@never_cache
def vrow_verify(request: HttpRequest, row_id: int) -> HttpResponse:
    """A village verifies one row (核查): found and correct, found with corrections (kept
    beside the originals), not here, or unreachable."""
    user = request.user
    row = selectors.vrow_get(user=user, row_id=row_id)
    form = VRowVerifyForm(
        request.POST or None, initial={"version": row.version, "status": row.status}
    )
    if request.method == "POST":
        deny_unless(user, Capability.RECORD_SCREENING, row.unit_code)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.vrow_verify(
                    actor=user,
                    row=row,
                    status=data["status"],
                    version=data["version"],
                    corrected_name=data["corrected_name"],
                    corrected_id_number=data["corrected_id_number"],
                    corrected_mobile=data["corrected_mobile"],
                    corrected_address=data["corrected_address"],
                    note=data["note"],
                )
            except StaleVersion:
                messages.warning(request, _("该行已被他人核查，请查看最新结果。"))
                return redirect("screening:vrow", row_id=row.pk)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("已记录核查结果。"))
                return redirect("screening:vlists")
    else:
        access_log_write(
            user=user,
            action=Action.VIEW,
            object_type="verification_row",
            object_id=row.pk,
            unit_code=row.unit_code,
        )
    return render(request, "screening/vrow_form.html", {"row": row, "form": form})
