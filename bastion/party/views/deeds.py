"""Deeds (先进事迹): the list of a unit, record, the deed page (photos, backing facts, consent,
nomination upward, commendation) and its photos."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.mobilisation.selectors import member_list, team_list
from bastion.party import selectors, services
from bastion.party.forms import (
    CommendForm,
    ConsentForm,
    DeedForm,
    FactForm,
    NominateForm,
    PhotoForm,
    add_service_errors,
)
from bastion.party.models import DeedPhoto, DeedStatus
from bastion.party.views.common import MANAGE, RECORD, VIEW, crumbs, period_of, query


@login_required
@require(VIEW)
@never_cache
def deed_list(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    form, start, end = period_of(request)
    wide = "start" not in request.GET  # no period asked: every deed, newest first
    status = request.GET.get("status", "")
    if status not in DeedStatus.values:
        status = ""
    deeds = list(
        selectors.deed_list(
            user=user,
            unit=unit,
            start=None if wide else start,
            end=None if wide else end,
            status=status,
        )[:200]
    )
    access_log_write(
        user=user,
        action=Action.LIST,
        object_type="party.deed",
        unit_code=unit.code,
        detail={"count": len(deeds)},
    )
    return render(
        request,
        "party/deed_list.html",
        {
            "unit": unit,
            "crumbs": crumbs(request, unit),
            "form": form,
            "query": query(start, end),
            "deeds": [(d, selectors.deed_subject_for(user=user, deed=d)) for d in deeds],
            "status": status,
            "statuses": DeedStatus.choices,
            "can_record": code_in_scope(user, unit.code, RECORD),
            "section": "deeds",
        },
    )


@login_required
@require(VIEW)
@never_cache
def public_deed_list(request: HttpRequest) -> HttpResponse:
    """Deeds whose subject agreed to publication, from every unit: the city's shared examples."""
    deeds = list(selectors.public_deeds())
    return render(
        request,
        "party/public_deeds.html",
        {"deeds": [(d, selectors.subject_name(d, in_chain=False)) for d in deeds]},
    )


@login_required
@require(RECORD)
def deed_create(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code, capability=RECORD)
    members = list(member_list(user=user, unit=unit)[:500])
    teams = list(team_list(user=user, unit=unit)[:100])
    form = DeedForm(request.POST or None, members=members, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deed = services.deed_record(
                actor=user,
                unit=unit,
                title=data["title"],
                text=data["text"],
                happened_on=data["happened_on"],
                place=data["place"],
                member=selectors.member_for(user=user, member_id=data["member"]),
                team=selectors.team_for(user=user, team_id=data["team"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("事迹已记录。"))
            return redirect("party:deed_detail", deed_id=deed.pk)
    return render(
        request,
        "party/form.html",
        {"unit": unit, "form": form, "title": _("记录先进事迹"), "section": "deeds"},
    )


@login_required
@require(VIEW)
@never_cache
def deed_detail(request: HttpRequest, deed_id: int) -> HttpResponse:
    user = request.user
    deed = selectors.deed_get(user=user, deed_id=deed_id)
    in_chain = code_in_scope(user, deed.unit_code, VIEW)
    access_log_write(
        user=user,
        action=Action.VIEW,
        object_type="party.deed",
        object_id=deed.pk,
        unit_code=deed.unit_code,
    )
    can_record = code_in_scope(user, deed.unit_code, RECORD)
    return render(
        request,
        "party/deed_detail.html",
        {
            "deed": deed,
            "unit": deed.unit,
            "subject": selectors.subject_name(deed, in_chain=in_chain),
            "photos": deed.photos.all(),
            "facts": deed.facts.all(),
            "nominations": deed.nominations.all(),
            "names": selectors.unit_names(
                [deed.holder_code, *[n.to_code for n in deed.nominations.all()]]
            ),
            "can_record": can_record,
            "can_nominate": code_in_scope(user, deed.holder_code, RECORD)
            and deed.status != DeedStatus.COMMENDED,
            "can_commend": code_in_scope(user, deed.holder_code, MANAGE)
            and deed.status != DeedStatus.COMMENDED,
            "photo_form": PhotoForm(),
            "fact_form": FactForm(choices=selectors.fact_choices(user=user, deed=deed)),
            "consent_form": ConsentForm(),
            "nominate_form": NominateForm(),
            "commend_form": CommendForm(),
            "section": "deeds",
        },
    )


def _act(request: HttpRequest, deed_id: int, form_class: Any, action: str) -> HttpResponse:
    """One small POST on a deed: validate the form, call the service, say what happened."""
    user = request.user
    if action in ("nominate", "commend"):
        capability = MANAGE if action == "commend" else RECORD
        deed = selectors.deed_for_holder(user=user, deed_id=deed_id, capability=capability)
    else:
        deed = selectors.deed_get(user=user, deed_id=deed_id, capability=RECORD)
    if action == "fact":
        choices = selectors.fact_choices(user=user, deed=deed)
        form = form_class(request.POST, choices=choices)
    else:
        form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return redirect("party:deed_detail", deed_id=deed.pk)
    data = form.cleaned_data
    try:
        if action == "photo":
            services.deed_photo_add(
                actor=user, deed=deed, upload=data["image"], caption=data["caption"]
            )
            done = _("照片已上传。")
        elif action == "fact":
            services.deed_fact_link(
                actor=user, deed=deed, kind=data["kind"], object_id=data["object_id"]
            )
            done = _("已关联记录。")
        elif action == "consent":
            services.deed_consent(actor=user, deed=deed, note=data["consent_note"])
            done = _("已记录本人同意公开。")
        elif action == "nominate":
            services.deed_nominate(actor=user, deed=deed, note=data["note"])
            done = _("已向上级推荐。")
        else:
            services.deed_commend(actor=user, deed=deed, commendation=data["commendation"])
            done = _("已表彰。")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("party:deed_detail", deed_id=deed.pk)


@login_required
@require(RECORD)
@require_POST
def deed_photo(request: HttpRequest, deed_id: int) -> HttpResponse:
    return _act(request, deed_id, PhotoForm, "photo")


@login_required
@require(RECORD)
@require_POST
def deed_fact(request: HttpRequest, deed_id: int) -> HttpResponse:
    return _act(request, deed_id, FactForm, "fact")


@login_required
@require(RECORD)
@require_POST
def deed_consent(request: HttpRequest, deed_id: int) -> HttpResponse:
    return _act(request, deed_id, ConsentForm, "consent")


@login_required
@require(RECORD)
@require_POST
def deed_nominate(request: HttpRequest, deed_id: int) -> HttpResponse:
    return _act(request, deed_id, NominateForm, "nominate")


@login_required
@require(MANAGE)
@require_POST
def deed_commend(request: HttpRequest, deed_id: int) -> HttpResponse:
    return _act(request, deed_id, CommendForm, "commend")


@login_required
@require(VIEW)
def photo_file(request: HttpRequest, photo_id: int) -> HttpResponse:
    """A deed's photo, to whoever may open the deed (media files are not served publicly)."""
    photo = get_object_or_404(DeedPhoto.objects.select_related("deed"), pk=photo_id)
    selectors.deed_get(user=request.user, deed_id=photo.deed_id)
    if not photo.image.name or not photo.image.storage.exists(photo.image.name):
        raise Http404("未找到")
    with photo.image.open("rb") as f:
        return HttpResponse(f.read(), content_type=photo.content_type)
