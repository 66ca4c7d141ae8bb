"""Supplies pages (物资): the phone form to issue masks, a unit's stock with burn rate and days
of supply, the ledger with its Excel export, and the donations. The public page (公示) is in
public_views.py."""

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope, has_capability
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.core.errors import StaleVersion, ValidationError
from bastion.orgs.selectors import home_unit
from bastion.supplies import selectors, services
from bastion.supplies.forms import (
    DonationForm,
    ExportForm,
    IssueForm,
    LedgerFilterForm,
    MinimumForm,
    MovementForm,
    UsageForm,
    add_service_errors,
)
from bastion.supplies.models import MovementKind, StockMovement
from bastion.supplies.spreadsheets import ledger_write

PAGE_SIZE = 30
# Session keys of the last values, so that the next issue needs fewer taps.
LAST_UNIT, LAST_ITEM, LAST_TO = "supplies_unit", "supplies_item", "supplies_issue_to"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _done(movement: StockMovement, created: bool) -> str:
    if not created:
        return _("这条记录已经保存过，没有重复登记。")
    measure = movement.item.get_measure_display()
    return _("已%(kind)s%(item)s %(quantity)s%(measure)s。") % {
        "kind": movement.get_kind_display(),
        "item": movement.item.name,
        "quantity": movement.quantity,
        "measure": measure,
    }


@login_required
@require(Capability.VIEW_SUPPLIES)
def supplies_index(request: HttpRequest) -> HttpResponse:
    unit = home_unit(user=request.user, capability=Capability.VIEW_SUPPLIES)
    if unit is None:
        return render(request, "supplies/no_unit.html")
    return redirect("supplies:stock", code=unit.code)


@login_required
@require(Capability.VIEW_SUPPLIES)
@never_cache
def stock_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's stock: on hand, burn rate, days of supply, low-stock flags; below it, the low
    items of the units inside its jurisdiction."""
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    rollup = request.GET.get("all") == "1"
    levels = selectors.stock_levels(user=user, unit=unit, rollup=rollup)
    can_record = code_in_scope(user, unit.code, Capability.RECORD_STOCK)
    return render(
        request,
        "supplies/stock.html",
        {
            "unit": unit,
            "rollup": rollup,
            "levels": levels,
            "n_low": sum(1 for lv in levels if lv.is_low),
            "low_below": selectors.low_stock_below(user=user, unit=unit),
            "can_record": can_record,
            "minimum_form": MinimumForm() if can_record else None,
            "low_days": selectors.LOW_STOCK_DAYS,
            "window_days": selectors.BURN_WINDOW_DAYS,
        },
    )


@login_required
@require(Capability.RECORD_STOCK)
@never_cache
def stock_issue(request: HttpRequest) -> HttpResponse:
    """发放物资 on a phone: the unit and item of the last issue are chosen already."""
    user = request.user
    session = request.session
    wanted = request.GET.get("unit") or session.get(LAST_UNIT, "")
    came_from = selectors.record_unit(user=user, code=str(wanted)[:40]) if wanted else None
    units = selectors.record_units(user=user, include=came_from)
    initial = {
        "unit": came_from.code if came_from else (units[0].code if units else ""),
        "item": session.get(LAST_ITEM),
        "counterparty_kind": session.get(LAST_TO, "household"),
    }
    form = IssueForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = selectors.record_unit(user=user, code=data["unit"])
        try:
            if unit is None:
                raise ValidationError({"unit": services.UNIT_NOT_IN_SCOPE})
            movement, created = services.stock_issue(
                actor=user,
                unit=unit,
                item=data["item"],
                quantity=data["quantity"],
                counterparty=data["counterparty"],
                counterparty_kind=data["counterparty_kind"],
                client_uuid=data["client_uuid"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            session[LAST_UNIT], session[LAST_ITEM] = unit.code, data["item"].pk
            session[LAST_TO] = data["counterparty_kind"]
            messages.success(request, _done(movement, created))
            return redirect("supplies:stock", code=unit.code)
    return render(request, "supplies/issue.html", {"form": form, "units": units})


@login_required
@require(Capability.RECORD_STOCK)
@never_cache
def movement_create(request: HttpRequest, code: str) -> HttpResponse:
    """入库、调出、盘点 at one unit."""
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    if not code_in_scope(user, unit.code, Capability.RECORD_STOCK):
        return render(request, "403.html", status=403)
    destinations = list(selectors.transfer_destinations(unit=unit))
    initial = {"kind": request.GET.get("kind", MovementKind.RECEIPT)}
    form = MovementForm(request.POST or None, destinations=destinations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to_unit = next((d for d in destinations if d.code == data["to_unit"]), None)
        try:
            movement, created = services.movement_record(
                actor=user,
                kind=data["kind"],
                unit=unit,
                item=data["item"],
                quantity=data["quantity"],
                source=data["source"],
                counterparty=data["counterparty"],
                counterparty_unit=to_unit,
                note=data["note"],
                client_uuid=data["client_uuid"],
            )
        except ValidationError as e:
            if hasattr(e, "error_dict") and "counterparty_unit" in e.error_dict:
                e.error_dict["to_unit"] = e.error_dict.pop("counterparty_unit")
            add_service_errors(form, e)
        else:
            messages.success(request, _done(movement, created))
            return redirect("supplies:stock", code=unit.code)
    return render(request, "supplies/movement_form.html", {"form": form, "unit": unit})


@login_required
@require(Capability.RECORD_STOCK)
@require_POST
def stock_minimum(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    form = MinimumForm(request.POST)
    if form.is_valid():
        try:
            services.stock_minimum_set(actor=user, unit=unit, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("最低库存已保存。"))
    else:
        messages.error(request, _("请选择物资并填写不小于 0 的最低库存。"))
    return redirect("supplies:stock", code=unit.code)


def _ledger_filters(request: HttpRequest) -> tuple[LedgerFilterForm, dict[str, Any]]:
    form = LedgerFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    item = data.get("item")
    filters = {
        "rollup": bool(data.get("all")),
        "item_id": item.pk if item else None,
        "kind": data.get("kind") or None,
        "since": data.get("since"),
        "until": data.get("until"),
    }
    return form, filters


@login_required
@require(Capability.VIEW_SUPPLIES)
@never_cache
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    """The ledger (台账) of a unit, paged. POST with a reason downloads it as Excel."""
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    form, filters = _ledger_filters(request)
    movements = selectors.movement_list(user=user, unit=unit, **filters)
    logged = {k: str(v) for k, v in filters.items() if v}
    if request.method == "POST":
        export = ExportForm(request.POST)
        if export.is_valid():
            out = io.BytesIO()
            title = _("%(unit)s 物资台账（导出于 %(at)s）") % {
                "unit": unit.name,
                "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            }
            rows = ledger_write(movements.iterator(chunk_size=2000), out, title=title)
            services.supplies_access_log(
                actor=user,
                action=Action.EXPORT,
                object_type="stock_movement",
                unit_code=unit.code,
                reason=export.cleaned_data["reason"],
                count=rows,
                **logged,
            )
            response = HttpResponse(out.getvalue(), content_type=XLSX)
            filename = f"ledger-{unit.code}-{timezone.localdate():%Y%m%d}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    else:
        export = ExportForm()
    page = Paginator(movements, PAGE_SIZE).get_page(form.cleaned_data.get("page"))
    services.supplies_access_log(
        actor=user,
        action=Action.LIST,
        object_type="stock_movement",
        unit_code=unit.code,
        count=page.paginator.count,
        page=page.number,
        **logged,
    )
    query = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "supplies/ledger.html",
        {
            "unit": unit,
            "filters": form,
            "export": export,
            "page": page,
            "rows": page.object_list,
            "query": urlencode(query),
        },
    )


@login_required
@require(Capability.VIEW_SUPPLIES)
@never_cache
def donation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    code = request.GET.get("unit", "")[:40]
    unit = selectors.unit_get(user=user, code=code) if code else None
    donations = selectors.donation_list(user=user, unit=unit)
    page = Paginator(donations, PAGE_SIZE).get_page(request.GET.get("page"))
    services.supplies_access_log(
        actor=user,
        action=Action.LIST,
        object_type="donation",
        unit_code=unit.code if unit else "",
        count=page.paginator.count,
        page=page.number,
    )
    return render(
        request,
        "supplies/donation_list.html",
        {
            "unit": unit,
            "page": page,
            "rows": page.object_list,
            "totals": selectors.donation_totals(donations=donations),
            "can_record": has_capability(user, Capability.RECORD_DONATIONS),
        },
    )


@login_required
@require(Capability.RECORD_DONATIONS)
@never_cache
def donation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = selectors.record_units(user=user, capability=Capability.RECORD_DONATIONS)
    form = DonationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next((u for u in units if u.code == data["unit"]), None)
        try:
            if unit is None:
                raise ValidationError({"unit": services.UNIT_NOT_IN_SCOPE})
            donation, created = services.donation_record(
                actor=user,
                unit=unit,
                donor_name=data["donor_name"],
                donor_kind=data["donor_kind"],
                money=data["money"] or 0,
                goods=data["goods"],
                donated_on=data["donated_on"],
                receipt_no=data["receipt_no"],
                purpose=data["purpose"],
                public_consent=data["public_consent"],
                usage_notes=data["usage_notes"],
                client_uuid=data["client_uuid"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("捐赠已登记。") if created else _("这条捐赠已经登记过，没有重复登记。"),
            )
            return redirect("supplies:donation", donation_id=donation.pk)
    return render(request, "supplies/donation_form.html", {"form": form})


@login_required
@require(Capability.VIEW_SUPPLIES)
@never_cache
def donation_detail(request: HttpRequest, donation_id: int) -> HttpResponse:
    """A donation; those who record donations may add what it was used for."""
    user = request.user
    donation = selectors.donation_get(user=user, donation_id=donation_id)
    can_edit = code_in_scope(user, donation.unit_code, Capability.RECORD_DONATIONS)
    stale = False
    form = None
    if can_edit:
        initial = {"usage_notes": donation.usage_notes, "version": donation.version}
        form = UsageForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.donation_usage_update(
                    actor=user,
                    donation=donation,
                    usage_notes=form.cleaned_data["usage_notes"],
                    version=form.cleaned_data["version"],
                )
            except StaleVersion as e:
                stale = True
                donation = e.current
                form = UsageForm(
                    initial={"usage_notes": donation.usage_notes, "version": donation.version}
                )
            else:
                messages.success(request, _("使用情况已保存，将在公示页显示。"))
                return redirect("supplies:donation", donation_id=donation.pk)
    elif request.method == "POST":
        return render(request, "403.html", status=403)
    return render(
        request,
        "supplies/donation_detail.html",
        {"donation": donation, "form": form, "stale": stale},
    )
