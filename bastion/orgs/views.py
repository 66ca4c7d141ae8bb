"""Org tree pages: the user's units, drill-down city → county → township → village."""

import hashlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope, scope_prefixes
from bastion.accounts.roles import Capability
from bastion.orgs import selectors, services
from bastion.orgs.forms import UnitCreateForm
from bastion.orgs.models import OrgUnit
from bastion.people.models import Household, Person


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


# The registry's size per child changes slowly, and counting it scans the whole registry under
# the unit (a million persons for the city: 180 ms at tier M), on a page people open often:
# the counts are kept for a few minutes, per unit, children and the viewer's scope.
REGISTRY_COUNTS_SECONDS = 300


def _registry_counts(
    user: Any, unit: OrgUnit, children: list[OrgUnit]
) -> tuple[dict[str, int], dict[str, int]]:
    scope = scope_prefixes(user, Capability.VIEW_PERSONS)
    digest = hashlib.sha256(repr((unit.code, [c.code for c in children], scope)).encode())
    key = f"orgs:registry-counts:{digest.hexdigest()}"
    counts: tuple[dict[str, int], dict[str, int]] | None = cache.get(key)
    if counts is None:
        args = {"user": user, "unit": unit, "children": children}
        counts = (
            selectors.counts_by_child(
                queryset=Person.objects.filter(merged_into__isnull=True),
                capability=Capability.VIEW_PERSONS,
                **args,
            ),
            selectors.counts_by_child(
                queryset=Household.objects.all(), capability=Capability.VIEW_PERSONS, **args
            ),
        )
        cache.set(key, counts, REGISTRY_COUNTS_SECONDS)
    return counts


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    children = list(selectors.unit_children(user=user, unit=unit))
    persons, households = _registry_counts(user, unit, children)
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
