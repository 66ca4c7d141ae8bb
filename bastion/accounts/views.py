"""Login, the user's own profile and tokens, and account management inside a jurisdiction."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bastion.accounts import selectors, services
from bastion.accounts.decorators import require
from bastion.accounts.forms import AccountCreateForm, LoginForm, TokenCreateForm
from bastion.accounts.jurisdiction import scoped
from bastion.accounts.roles import Capability, Role
from bastion.core.forms import add_service_errors
from bastion.core.http import AuthedRequest
from bastion.orgs.models import OrgUnit


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenCreateForm()
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "new_token": new_token, "tokens": selectors.token_list(user=request.user)},
    )


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    services.token_revoke(user=request.user, token_id=token_id)
    messages.success(request, _("令牌已撤销。"))
    return redirect("accounts:profile")


@login_required
@require(Capability.MANAGE_ACCOUNTS)
def account_list(request: AuthedRequest) -> HttpResponse:
    accounts = selectors.account_list(user=request.user)
    return render(request, "accounts/list.html", {"accounts": accounts})


@login_required
@require(Capability.MANAGE_ACCOUNTS)
def account_create(request: AuthedRequest) -> HttpResponse:
    units = scoped(
        request.user, OrgUnit.objects.filter(is_active=True), Capability.MANAGE_ACCOUNTS
    ).order_by("code")[:2000]
    unit_choices = [(u.code, f"{'　' * u.depth}{u.name}") for u in units]
    role_choices = [(r.value, str(r.label)) for r in Role]
    form = AccountCreateForm(request.POST or None, units=unit_choices, roles=role_choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.code == data["unit"])
        try:
            services.account_create(
                actor=request.user,
                username=data["username"],
                display_name=data["display_name"],
                password=data["password"],
                unit=unit,
                role=data["role"],
                mobile=data["mobile"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("账号已创建。"))
            return redirect("accounts:list")
    return render(request, "accounts/create.html", {"form": form})


@login_required
@require(Capability.MANAGE_ACCOUNTS)
@require_POST
def account_set_active(request: AuthedRequest, account_id: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, account_id=account_id)
    active = request.POST.get("active") == "1"
    try:
        services.account_set_active(actor=request.user, user=account, active=active)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("账号已启用。") if active else _("账号已停用。"))
    return redirect("accounts:list")
