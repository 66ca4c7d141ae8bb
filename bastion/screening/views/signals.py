"""Signal pages (线索): the village inbox, one signal and its actions, a call to its subject,
hotline entry, and the waits of every village of a township."""

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
from bastion.accounts.jurisdiction import active_memberships, code_in_scope, has_capability, scoped
from bastion.accounts.roles import Capability
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.forms import add_service_errors
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.screening import selectors, services
from bastion.screening.forms.signals import InboxFilterForm, SignalActionForm, SignalFileForm
from bastion.screening.models import SignalSource
from bastion.screening.views.common import PAGE_SIZE, deny_unless, is_htmx


def _filter_units(user: Any) -> list[OrgUnit]:
    return list(
        scoped(
            user,
            OrgUnit.objects.filter(
                is_active=True,
                kind=Kind.TERRITORIAL,
                level__in=(Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID),
            ),
            Capability.VIEW_SIGNALS,
            field="code",
        ).order_by("code")
    )


@login_required
@require(Capability.VIEW_SIGNALS)
@never_cache
def signal_inbox(request: HttpRequest) -> HttpResponse:
    """The inbox (线索待办): open signals first, new before verifying, the longest waiting first."""
    user = request.user
    units = [] if is_htmx(request) else _filter_units(user)
    filters = InboxFilterForm(request.GET, units=units)
    filters.is_valid()
    unit_code = request.GET.get("unit", "")[:40] or None
    status = filters.cleaned_data.get("status") or "open"
    source = filters.cleaned_data.get("source") or None
    signals = selectors.signal_list(user=user, unit_code=unit_code, status=status, source=source)
    page = Paginator(signals, PAGE_SIZE).get_page(filters.cleaned_data.get("page"))
    services.signal_list_log(
        actor=user, count=page.paginator.count, unit_code=unit_code or "", status=status
    )
    context = {
        "filters": filters,
        "page": page,
        "rows": page.object_list,
        "status": status,
        "now": timezone.now(),
        "query": urlencode(
            {k: v for k, v in (("unit", unit_code), ("status", status), ("source", source)) if v}
        ),
        "can_file": has_capability(user, Capability.HANDLE_SIGNALS),
        "can_call": has_capability(user, Capability.REVEAL_PERSONAL_DATA),
    }
    template = "screening/_signal_rows.html" if is_htmx(request) else "screening/signal_inbox.html"
    return render(request, template, context)


def _forward_target(form: SignalActionForm) -> OrgUnit | None:
    q = form.cleaned_data.get("forwarded_to") or ""
    if not q.strip():
        return None
    found = list(selectors.forward_targets(q=q)[:2])
    if not found:
        form.add_error("forwarded_to", "没有找到该村（社区），请填写全称或 12 位代码。")
    elif len(found) > 1:
        form.add_error("forwarded_to", "有多个同名的村（社区），请填写代码。")
    return found[0] if len(found) == 1 else None


@login_required
@require(Capability.VIEW_SIGNALS)
@never_cache
def signal_detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    """One signal with its history; POST moves it on (one button per next status)."""
    user = request.user
    signal = selectors.signal_get(user=user, signal_id=signal_id)
    form = SignalActionForm(
        request.POST or None, status=signal.status, initial={"version": signal.version}
    )
    if request.method == "POST":
        deny_unless(user, Capability.HANDLE_SIGNALS, signal.unit_code)
        if form.is_valid():
            target = _forward_target(form)
            if not form.errors:
                try:
                    moved = services.signal_transition(
                        actor=user,
                        signal=signal,
                        to_status=form.cleaned_data["to_status"],
                        note=form.cleaned_data["note"],
                        forwarded_to=target,
                        version=form.cleaned_data["version"],
                    )
                except StaleVersion as e:
                    messages.warning(
                        request,
                        _("该线索已被他人处理，现在是“%(status)s”。")
                        % {"status": e.current.get_status_display()},
                    )
                    return redirect("screening:signal", signal_id=signal.pk)
                except ValidationError as e:
                    add_service_errors(form, e)
                else:
                    messages.success(
                        request,
                        _("线索已改为：%(status)s。") % {"status": moved.get_status_display()},
                    )
                    return redirect("screening:signal", signal_id=signal.pk)
    else:
        services.signal_view_log(actor=user, signal=signal)
    return render(
        request,
        "screening/signal_detail.html",
        {
            "signal": signal,
            "events": selectors.signal_events(signal=signal),
            "forwards": list(signal.forwards.select_related("unit")),
            "form": form,
            "now": timezone.now(),
            "can_handle": code_in_scope(user, signal.unit_code, Capability.HANDLE_SIGNALS),
            "can_call": code_in_scope(user, signal.unit_code, Capability.REVEAL_PERSONAL_DATA),
            "can_confirm": signal.is_open
            and signal.person_id is None
            and code_in_scope(user, signal.unit_code, Capability.RECORD_SCREENING),
            # 早隔离: an identified person goes straight to the observation start form, which
            # moves the signal to "under observation" in the same transaction.
            "can_observe": signal.is_open
            and signal.person_id is not None
            and code_in_scope(user, signal.unit_code, Capability.MANAGE_OBSERVATIONS),
        },
    )


@login_required
@require(Capability.VIEW_SIGNALS)
@never_cache
@require_POST
def signal_call(request: HttpRequest, signal_id: int) -> HttpResponse:
    """Phone first: reveal the subject's number as a tap-to-call link (logged)."""
    user = request.user
    signal = selectors.signal_get(user=user, signal_id=signal_id)
    deny_unless(user, Capability.REVEAL_PERSONAL_DATA, signal.unit_code)
    phone = services.signal_phone_reveal(actor=user, signal=signal)
    return render(request, "screening/_signal_call.html", {"signal": signal, "phone": phone})


@login_required
@require(Capability.HANDLE_SIGNALS)
@never_cache
def signal_file(request: HttpRequest) -> HttpResponse:
    """Hotline entry (热线来电登记): staff type in a signal for a village."""
    user = request.user
    units = selectors.signal_units(user=user)
    form = SignalFileForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signal, _created = services.signal_file(
                actor=user,
                unit=form.units.get(data["unit"]),
                reason=data["reason"],
                source=data["source"] or SignalSource.HOTLINE,
                subject_name=data["subject_name"],
                subject_mobile=data["subject_mobile"],
                subject_id_number=data["subject_id_number"],
                subject_address=data["subject_address"],
                found_at=data["found_at"],
                client_uuid=data["client_uuid"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("线索已登记，已进入%(unit)s的待办。") % {"unit": signal.unit.name}
            )
            return redirect("screening:signal", signal_id=signal.pk)
    return render(request, "screening/signal_form.html", {"form": form})


def _default_unit(user: Any) -> OrgUnit | None:
    memberships = active_memberships(user)
    return memberships[0].unit if memberships else None


@login_required
@require(Capability.VIEW_SIGNALS)
@never_cache
def signal_waits(request: HttpRequest) -> HttpResponse:
    """Waits per village (各村线索等待): what is open, since when, and how fast it went."""
    user = request.user
    code = request.GET.get("unit", "")[:40]
    unit = selectors.unit_in_scope(user=user, code=code) if code else _default_unit(user)
    if unit is None:
        return redirect("screening:inbox")
    now = timezone.now()
    rows = selectors.signal_waits(user=user, unit=unit, now=now)
    return render(
        request,
        "screening/signal_waits.html",
        {"unit": unit, "rows": rows, "now": now, "units": _filter_units(user)},
    )
