"""Briefings (简报): a unit's drafts, a new draft for a period, the editor (words around the
figures), and the draft as .docx, PDF and a print page."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import StaleVersion
from bastion.party import exports, selectors, services
from bastion.party.briefing import KINDS, placeholders
from bastion.party.figures import catalogue
from bastion.party.forms import BriefingCreateForm
from bastion.party.models import Briefing
from bastion.party.selectors import RenderedBriefing
from bastion.party.views.common import MANAGE, VIEW, crumbs, report_url


@login_required
@require(VIEW)
@never_cache
def briefing_list(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, code=code)
    can_manage = code_in_scope(user, unit.code, MANAGE)
    form = BriefingCreateForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            return redirect("party:briefing_list", code=unit.code)
        if form.is_valid():
            try:
                draft = services.briefing_create(
                    actor=user,
                    unit=unit,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("party:briefing_detail", briefing_id=draft.pk)
    return render(
        request,
        "party/briefing_list.html",
        {
            "unit": unit,
            "crumbs": crumbs(request, unit),
            "briefings": selectors.briefing_list(user=user, unit=unit)[:50],
            "form": form if can_manage else None,
            "section": "briefings",
        },
    )


def _posted_paragraphs(request: HttpRequest) -> list[dict[str, str]]:
    """The paragraphs of the editor form, in order, without the deleted ones; a new paragraph
    is appended when its text is filled."""
    raw = request.POST.get("count", "0")
    count = min(int(raw), 100) if raw.isdigit() else 0
    out = []
    for n in range(count):
        if request.POST.get(f"p{n}-delete"):
            continue
        out.append(
            {
                "id": request.POST.get(f"p{n}-id", ""),
                "kind": request.POST.get(f"p{n}-kind", "text"),
                "text": request.POST.get(f"p{n}-text", ""),
            }
        )
    new_text = request.POST.get("new-text", "").strip()
    new_kind = request.POST.get("new-kind", "text")
    if new_text or new_kind == "deeds":
        out.append({"id": "", "kind": new_kind, "text": new_text})
    return out


# The insert-figure control lists the figures by where they come from, Party work first.
FIGURE_GROUPS = [
    ("party", gettext_lazy("党组织和党员")),
    ("brief", gettext_lazy("简报专用数据")),
    ("report", gettext_lazy("日报数据")),
    ("meta", gettext_lazy("单位和日期")),
]


def _figure_groups(rendered: RenderedBriefing) -> list[tuple[Any, list[Any]]]:
    """[(group label, [figure, ...])]: every figure the author may insert, with its value."""
    return [
        (label, [f for f in rendered.figures.values() if f.source == source])
        for source, label in FIGURE_GROUPS
    ]


def _editor(
    request: HttpRequest,
    draft: Briefing,
    rendered: RenderedBriefing,
    errors: dict[str, list[str]] | None = None,
    posted: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    errors = errors or {}
    labels = catalogue()
    rows: list[dict[str, Any]] = []
    source = posted if posted is not None else draft.paragraphs
    by_id = {p.id: p for p in rendered.paragraphs}
    for n, p in enumerate(source):
        shown = by_id.get(str(p.get("id")))
        rows.append(
            {
                "n": n,
                "p": p,
                "rendered": shown,
                "errors": errors.get(f"paragraphs.{n + 1}", []),
                "legend": [
                    (
                        k,
                        labels.get(k, ("", ""))[0],
                        rendered.figures[k].text if k in rendered.figures else "",
                    )
                    for k in dict.fromkeys(placeholders(str(p.get("text", ""))))
                ],
            }
        )
    return render(
        request,
        "party/briefing_detail.html",
        {
            "draft": draft,
            "unit": draft.unit,
            "rendered": rendered,
            "rows": rows,
            "kinds": KINDS,
            "errors": errors,
            "other_errors": [
                m for k, v in errors.items() if not k.startswith("paragraphs.") for m in v
            ],
            "can_manage": code_in_scope(user, draft.unit_code, MANAGE),
            "deed_choices": selectors.deed_choices(user=user, unit=draft.unit),
            "report_url": report_url(draft.unit_code, draft.start, draft.end),
            "catalogue": sorted(labels.items()),
            "figure_groups": _figure_groups(rendered),
            "figure_texts": {k: f.text for k, f in rendered.figures.items()},
            "section": "briefings",
        },
        status=status,
    )


@login_required
@require(VIEW)
@never_cache
def briefing_detail(request: HttpRequest, briefing_id: int) -> HttpResponse:
    user = request.user
    draft = selectors.briefing_get(user=user, briefing_id=briefing_id)
    if request.method == "POST":
        draft = selectors.briefing_get(user=user, briefing_id=briefing_id, capability=MANAGE)
    rendered = selectors.briefing_render(user=user, draft=draft)
    if request.method != "POST":
        return _editor(request, draft, rendered)
    posted = _posted_paragraphs(request)
    deed_ids = [int(i) for i in request.POST.getlist("deed_ids") if i.isdigit()]
    version = request.POST.get("version", "")
    try:
        services.briefing_update(
            actor=user,
            draft=draft,
            version=int(version) if version.isdigit() else 0,
            figures=rendered.figures,
            title=request.POST.get("title", draft.title),
            paragraphs=posted,
            deed_ids=deed_ids,
        )
    except StaleVersion:
        messages.error(request, _("简报已被他人修改：已载入最新内容，请重新修改。"))
        return redirect("party:briefing_detail", briefing_id=draft.pk)
    except ValidationError as error:
        return _editor(request, draft, rendered, error.message_dict, posted, status=422)
    messages.success(request, _("简报已保存。"))
    return redirect("party:briefing_detail", briefing_id=draft.pk)


@login_required
@require(MANAGE)
@require_POST
def briefing_copy(request: HttpRequest, briefing_id: int) -> HttpResponse:
    """A new draft for the next period of the same length, with this draft's structure."""
    user = request.user
    draft = selectors.briefing_get(user=user, briefing_id=briefing_id, capability=MANAGE)
    days = draft.end - draft.start
    start = draft.end + timedelta(days=1)
    new = services.briefing_create(
        actor=user, unit=draft.unit, start=start, end=start + days, source=draft
    )
    return redirect("party:briefing_detail", briefing_id=new.pk)


def _export(request: HttpRequest, briefing_id: int, kind: str) -> HttpResponse:
    user = request.user
    draft = selectors.briefing_get(user=user, briefing_id=briefing_id)
    rendered = selectors.briefing_render(user=user, draft=draft)
    access_log_write(
        user=user,
        action=Action.EXPORT,
        object_type="party.briefing",
        object_id=draft.pk,
        unit_code=draft.unit_code,
        detail={"format": kind},
    )
    name = f"briefing-{draft.unit_code}-{draft.start:%Y%m%d}-{draft.end:%Y%m%d}"
    if kind == "docx":
        response = HttpResponse(
            exports.briefing_docx(rendered),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    elif kind == "pdf":
        response = HttpResponse(exports.briefing_pdf(rendered), content_type="application/pdf")
    else:
        return HttpResponse(exports.briefing_html(rendered))
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@login_required
@require(VIEW)
def briefing_docx(request: HttpRequest, briefing_id: int) -> HttpResponse:
    return _export(request, briefing_id, "docx")


@login_required
@require(VIEW)
def briefing_pdf(request: HttpRequest, briefing_id: int) -> HttpResponse:
    return _export(request, briefing_id, "pdf")


@login_required
@require(VIEW)
def briefing_print(request: HttpRequest, briefing_id: int) -> HttpResponse:
    return _export(request, briefing_id, "print")
