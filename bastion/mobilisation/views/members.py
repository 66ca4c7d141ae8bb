"""A member's page (队员) and the link to the account they sign in with (关联登录账号).

The link lets the sweeps, check-ins, disinfection runs and deliveries that the account records
count as the member's service (bastion.party.engagement). Officers (MANAGE_MOBILISATION over
the member's unit) set it; a matching mobile is only ever a suggestion they confirm, or a
batch they start from the member list.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bastion.accounts.decorators import require
from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.mobilisation import selectors, services
from bastion.mobilisation.forms import AccountLinkForm, add_service_errors

VIEW = Capability.VIEW_MOBILISATION
MANAGE = Capability.MANAGE_MOBILISATION
MAX_ACCOUNTS = 300


@login_required
@require(VIEW)
@never_cache
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    """The member; for officers, the account link with the suggestion by mobile."""
    user = request.user
    member = selectors.member_get(user=user, member_id=member_id)
    can_manage = code_in_scope(user, member.unit_code, MANAGE)
    form = None
    suggestion = None
    if can_manage:
        accounts = list(selectors.account_choices(user=user, member=member)[:MAX_ACCOUNTS])
        form = AccountLinkForm(
            request.POST or None, accounts=accounts, initial={"account": member.account_id}
        )
        suggestion = selectors.account_suggestion(user=user, member=member)
        if request.method == "POST" and form.is_valid():
            chosen = form.cleaned_data["account"]
            # The form only offers `accounts`, so a chosen id is always among them.
            account = next((a for a in accounts if a.pk == chosen), None)
            try:
                services.member_link_account(actor=user, member=member, account=account)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("已关联登录账号。") if account else _("已取消关联登录账号。")
                )
                return redirect("mobilisation:member_detail", member_id=member.pk)
    elif request.method == "POST":
        raise Http404("未找到")
    return render(
        request,
        "mobilisation/member_detail.html",
        {
            "unit": member.unit,
            "member": member,
            "account": member.account if member.account_id else None,
            "form": form,
            "suggestion": suggestion,
            "section": "members",
        },
    )


@login_required
@require(MANAGE)
@require_POST
def link_by_mobile(request: HttpRequest, code: str) -> HttpResponse:
    """按手机号关联: link every unambiguous match of the unit's members in one go."""
    unit = selectors.unit_get(user=request.user, code=code, capability=MANAGE)
    linked = services.member_link_by_mobile(actor=request.user, unit=unit)
    messages.success(
        request,
        ngettext("已按手机号关联 %(n)d 名队员。", "已按手机号关联 %(n)d 名队员。", len(linked))
        % {"n": len(linked)},
    )
    return redirect("mobilisation:member_list", code=unit.code)
