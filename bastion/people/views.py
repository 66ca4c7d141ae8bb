"""Person pages (人员): list and search, detail with reveal, create, edit, merge; households.

One view serves the full page and its htmx partial. Searches are POSTed so that ID numbers and
phones never appear in a URL; only unit codes, care tags and page numbers do.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.paging import CappedPaginator
from bastion.people import selectors, services
from bastion.people.forms import (
    ListFilterForm,
    MergeForm,
    PersonForm,
    RevealForm,
    SearchForm,
    add_service_errors,
)
from bastion.people.models import Person
from bastion.people.selectors import SEARCH_LIMIT, QueryKind

PAGE_SIZE = 25


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _deny_unless(user: Any, capability: Capability, person: Person) -> None:
    """The person is visible to the user; acting on them needs more (403, nothing leaks)."""
    if not code_in_scope(user, person.unit_code, capability):
        raise PermissionDenied


@login_required
@never_cache
def person_list(request: HttpRequest) -> HttpResponse:
    """GET: the list, filtered by unit and care tag, paged. POST: a search (htmx or not)."""
    user = request.user
    htmx = _is_htmx(request)
    units = [] if htmx else list(selectors.filter_units(user=user))
    # The box comes back empty: a typed ID number or phone is not echoed into the page.
    context: dict[str, Any] = {"search": SearchForm()}
    if request.method == "POST":
        posted = SearchForm(request.POST)
        q = posted.cleaned_data["q"] if posted.is_valid() else ""
        kind, found = selectors.person_search(user=user, q=q)
        rows = list(found[: SEARCH_LIMIT + 1])
        context |= {
            "filters": ListFilterForm(units=units),
            "searched": kind != QueryKind.EMPTY,
            "rows": rows[:SEARCH_LIMIT],
            "truncated": len(rows) > SEARCH_LIMIT,
        }
        if kind != QueryKind.EMPTY:
            services.person_list_log(
                actor=user, action=Action.SEARCH, count=len(rows[:SEARCH_LIMIT]), kind=kind
            )
    else:
        filters = ListFilterForm(request.GET, units=units)
        filters.is_valid()
        unit_code = filters.cleaned_data.get("unit") or None
        tag = filters.cleaned_data.get("tag") or None
        persons = selectors.person_list(user=user, unit_code=unit_code, care_tag=tag)
        page = CappedPaginator(persons, PAGE_SIZE).get_page(filters.cleaned_data.get("page"))
        services.person_list_log(
            actor=user,
            action=Action.LIST,
            count=page.paginator.count,
            unit_code=unit_code or "",
            unit=unit_code,
            care_tag=tag,
            page=page.number,
        )
        context |= {
            "filters": filters,
            "page": page,
            "rows": page.object_list,
            "query": urlencode({k: v for k, v in (("unit", unit_code), ("tag", tag)) if v}),
        }
    if htmx:
        return render(request, "people/_results.html", context)
    context["can_create"] = selectors.entry_units(user=user).exists()
    return render(request, "people/person_list.html", context)


@login_required
@never_cache
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get(user=user, person_id=person_id)
    if person.pk != person_id:
        return redirect("people:detail", person_id=person.pk)
    services.person_view_log(actor=user, person=person)
    duplicates = selectors.duplicate_candidates(
        user=user,
        name=person.name,
        birth_date=person.birth_date,
        mobile=person.mobile,
        exclude_id=person.pk,
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "duplicates": duplicates,
            "can_edit": code_in_scope(user, person.unit_code, Capability.EDIT_PERSONS),
            "can_merge": code_in_scope(user, person.unit_code, Capability.MERGE_PERSONS),
            "can_reveal": code_in_scope(user, person.unit_code, Capability.REVEAL_PERSONAL_DATA),
            "can_audit": code_in_scope(user, person.unit_code, Capability.VIEW_ACCESS_LOG),
            "merged_from": list(person.merged_from.values_list("pk", flat=True)),
        },
    )


@login_required
@never_cache
@require_POST
def person_reveal(request: HttpRequest, person_id: int) -> HttpResponse:
    """Show one full value after the user gives a reason; the reveal is logged."""
    user = request.user
    person = selectors.person_get(user=user, person_id=person_id)
    _deny_unless(user, Capability.REVEAL_PERSONAL_DATA, person)
    form = RevealForm(request.POST)
    value = None
    if form.is_valid():
        try:
            value = services.person_reveal(
                actor=user,
                person=person,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
    field = form.cleaned_data.get("field") or request.POST.get("field", "")
    field = field if field in services.REVEALABLE_FIELDS else "id_number"
    template = "people/_reveal.html" if _is_htmx(request) else "people/person_reveal.html"
    return render(
        request,
        template,
        {"person": person, "form": form, "field": field, "value": value},
    )


@login_required
@require(Capability.EDIT_PERSONS)
@never_cache
def person_create(request: HttpRequest) -> HttpResponse:
    """Register a person. Likely duplicates are shown before saving; the user saves anyway
    only after ticking 确认不是同一人."""
    user = request.user
    units = list(selectors.entry_units(user=user))
    form = PersonForm(request.POST or None, units=units)
    candidates: list[Person] = []
    existing: Person | None = None
    if request.method == "POST" and form.is_valid():
        arguments = form.create_arguments()
        if not form.cleaned_data["confirm_not_duplicate"]:
            candidates = selectors.duplicate_candidates(
                user=user,
                name=arguments["name"],
                birth_date=arguments["birth_date"],
                mobile=arguments["mobile"],
                id_number=arguments["id_number"] or "",
            )
        if not candidates:
            try:
                person = services.person_create(actor=user, **arguments)
            except services.DuplicatePerson as e:
                existing = e.existing
                add_service_errors(form, e)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("已登记：%(name)s。") % {"name": person.name})
                return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "candidates": candidates, "existing": existing, "person": None},
    )


@login_required
@never_cache
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    """Edit with optimistic concurrency: a stale save shows the current values instead."""
    user = request.user
    person = selectors.person_get(user=user, person_id=person_id)
    if person.pk != person_id:
        return redirect("people:edit", person_id=person.pk)
    _deny_unless(user, Capability.EDIT_PERSONS, person)
    units = list(selectors.entry_units(user=user))
    if person.unit not in units:
        units.append(person.unit)
    form = PersonForm(request.POST or None, units=units, person=person)
    existing: Person | None = None
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=user,
                person=person,
                version=form.cleaned_data["version"] or 0,
                **form.changes(),
            )
        except StaleVersion as e:
            stale = True
            person = e.current
            form = PersonForm(units=units, person=person)
        except services.DuplicatePerson as e:
            existing = e.existing
            add_service_errors(form, e)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "stale": stale, "existing": existing},
        status=409 if stale else 200,
    )


@login_required
@require(Capability.MERGE_PERSONS)
@never_cache
def person_merge(request: HttpRequest, person_id: int) -> HttpResponse:
    """Merge a duplicate into this person (officers only). The page offers the likely
    duplicates and a search; merging needs an explicit confirmation."""
    user = request.user
    keep = selectors.person_get(user=user, person_id=person_id, capability=Capability.MERGE_PERSONS)
    if keep.pk != person_id:
        return redirect("people:merge", person_id=keep.pk)
    search = SearchForm()
    merge_form = MergeForm()
    results: list[Person] | None = None
    if request.method == "POST" and "merge_id" in request.POST:
        merge_form = MergeForm(request.POST)
        if merge_form.is_valid():
            merge = selectors.person_get(
                user=user,
                person_id=merge_form.cleaned_data["merge_id"],
                capability=Capability.MERGE_PERSONS,
            )
            try:
                services.person_merge(actor=user, keep=keep, merge=merge)
            except ValidationError as e:
                add_service_errors(merge_form, e)
            else:
                messages.success(
                    request,
                    _("已将 %(name)s（编号 %(id)s）合并到本记录。")
                    % {"name": merge.name, "id": merge.pk},
                )
                return redirect("people:detail", person_id=keep.pk)
    elif request.method == "POST":
        posted = SearchForm(request.POST)
        q = posted.cleaned_data["q"] if posted.is_valid() else ""
        kind, found = selectors.person_search(user=user, q=q)
        results = [p for p in found[:SEARCH_LIMIT] if p.pk != keep.pk]
        if kind != QueryKind.EMPTY:
            services.person_list_log(
                actor=user, action=Action.SEARCH, count=len(results), kind=kind, purpose="merge"
            )
    candidates = selectors.duplicate_candidates(
        user=user,
        name=keep.name,
        birth_date=keep.birth_date,
        mobile=keep.mobile,
        exclude_id=keep.pk,
    )
    return render(
        request,
        "people/person_merge.html",
        {
            "keep": keep,
            "candidates": candidates,
            "results": results,
            "search": search,
            "merge_form": merge_form,
        },
    )


@login_required
@never_cache
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    """The people of one address together (一户)."""
    user = request.user
    household = selectors.household_get(user=user, household_id=household_id)
    members = list(selectors.household_members(user=user, household=household))
    services.person_list_log(
        actor=user,
        action=Action.LIST,
        count=len(members),
        unit_code=household.unit_code,
        household=household.pk,
    )
    return render(
        request, "people/household_detail.html", {"household": household, "members": members}
    )
