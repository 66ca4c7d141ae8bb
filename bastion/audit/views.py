"""The access log for auditors: who read, listed, exported or revealed what, by user, unit and
time; and everyone who saw a given person's records (谁看过此人)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from bastion.accounts.decorators import require
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.selectors import access_log_list, person_viewers


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@login_required
@require(Capability.VIEW_ACCESS_LOG)
@never_cache
def access_log(request: HttpRequest) -> HttpResponse:
    params = {
        "object_type": request.GET.get("object_type", "")[:40],
        "object_id": request.GET.get("object_id", "")[:40],
        "actor": request.GET.get("actor", "")[:150],
        "action": request.GET.get("action", "")[:12],
        "unit_code": request.GET.get("unit", "")[:40],
    }
    since = _date(request.GET.get("since", ""))
    until = _date(request.GET.get("until", ""))
    entries = access_log_list(user=request.user, since=since, until=until, **params)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = {k: v for k, v in params.items() if v and k != "unit_code"}
    if params["unit_code"]:
        query["unit"] = params["unit_code"]
    if since:
        query["since"] = since.isoformat()
    if until:
        query["until"] = until.isoformat()
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "params": params,
            "since": since,
            "until": until,
            "query": query,
            "actions": Action.choices,
        },
    )


@login_required
@require(Capability.VIEW_ACCESS_LOG)
@never_cache
def person_viewer_list(request: HttpRequest, person_id: int) -> HttpResponse:
    """谁看过此人: every user who viewed, listed, revealed or exported the person's records."""
    viewers = person_viewers(user=request.user, person_id=person_id)
    page = Paginator(viewers.entries, 50).get_page(request.GET.get("page"))
    labels = dict(Action.choices)
    summary = [
        {**row, "action_labels": [str(labels.get(a, a)) for a in row["actions"]]}
        for row in viewers.summary
    ]
    return render(
        request,
        "audit/person_viewers.html",
        {"person_id": person_id, "summary": summary, "page": page},
    )
