"""Policy pages (防控策略): the versions in force and a new version for officers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bastion.accounts.decorators import require
from bastion.accounts.roles import Capability
from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors
from bastion.observation import services
from bastion.observation.forms import PolicyForm
from bastion.observation.selectors import policy as policy_selectors
from bastion.observation.services.policies import may_set_default


@login_required
@require(Capability.VIEW_OBSERVATIONS)
@never_cache
def policy_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "observation/policy_list.html",
        {
            "versions": policy_selectors.policy_versions(user=user),
            "can_manage": bool(policy_selectors.policy_counties(user=user))
            or may_set_default(user),
        },
    )


@login_required
@require(Capability.MANAGE_POLICY)
@never_cache
def policy_create(request: HttpRequest) -> HttpResponse:
    """A new version: starts from the one in force, takes effect today or later."""
    user = request.user
    counties = policy_selectors.policy_counties(user=user)
    choices = [("", _("全市默认"))] if may_set_default(user) else []
    choices += [(c.code, c.name) for c in counties]
    base_code = counties[0].code if counties else "430200000000"
    base = policy_selectors.policy_for(unit_code=base_code, on=timezone.localdate())
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_from(base), counties=choices)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["county"]
        county = next((c for c in counties if c.code == code), None)
        if code and county is None:
            form.add_error("county", _("只能为本辖区内的县（市、区）制定策略。"))
        else:
            try:
                policy = services.policy_create_version(
                    actor=user, county=county, **form.service_kwargs()
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(
                    request,
                    _("已保存 %(name)s 第 %(v)s 版，%(d)s 起生效。")
                    % {"name": policy.name, "v": policy.version, "d": policy.effective_from},
                )
                return redirect("observation:policies")
    return render(request, "observation/policy_form.html", {"form": form})
