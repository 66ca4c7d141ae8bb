"""Org tree pages: the user's units, drill-down city → county → township → village."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.orgs import selectors, services
from bastion.orgs.forms import UnitCreateForm
from bastion.people.selectors import registry_counts


@login_required
def unit_index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:60]
    results = list(selectors.unit_search(user=request.user, q=q)) if q else []
    roots = selectors.unit_roots(user=request.user)
    if not q and len(roots) == 1:
        return redirect("orgs:detail", code=roots[0].code)
    template = (
        "orgs/_search_results.html" if request.headers.get("HX-Request") else "orgs/index.html"
    )
    return render(request, template, {"q": q, "results": results, "roots": roots})


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    children = list(selectors.unit_children(user=user, unit=unit))
    persons, households = registry_counts(user=user, unit=unit, children=children)
    rows = [(c, persons[c.code], households[c.code]) for c in children]
    return render(
        request,
        "orgs/detail.html",
        {
            "unit": unit,
            "crumbs": selectors.unit_breadcrumbs(user=user, unit=unit),
            "rows": rows,
            "total_persons": sum(persons.values()),
            "total_households": sum(households.values()),
            "can_add": code_in_scope(user, unit.code, Capability.MANAGE_UNITS),
        },
    )


@login_required
@require(Capability.MANAGE_UNITS)
def unit_create(request: HttpRequest, code: str) -> HttpResponse:
    parent = selectors.unit_get(user=request.user, code=code)
    if not code_in_scope(request.user, parent.code, Capability.MANAGE_UNITS):
        return render(request, "403.html", status=403)
    form = UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(parent=parent, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return redirect("orgs:detail", code=unit.code)
    return render(request, "orgs/create.html", {"form": form, "parent": parent})
