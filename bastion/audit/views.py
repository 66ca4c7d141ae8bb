"""The access log for auditors: who read, listed, exported or revealed what."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bastion.accounts.decorators import require
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.selectors import access_log_list


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@login_required
@require(Capability.VIEW_ACCESS_LOG)
def access_log(request: HttpRequest) -> HttpResponse:
    params = {
        "object_type": request.GET.get("object_type", "")[:40],
        "object_id": request.GET.get("object_id", "")[:40],
        "actor": request.GET.get("actor", "")[:150],
        "action": request.GET.get("action", "")[:12],
    }
    entries = access_log_list(
        user=request.user,
        since=_date(request.GET.get("since", "")),
        until=_date(request.GET.get("until", "")),
        **params,
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request, "audit/list.html", {"page": page, "params": params, "actions": Action.choices}
    )
