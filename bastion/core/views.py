"""The home page: where the user works and what is there."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bastion.orgs.selectors import unit_roots
from bastion.reports.dashboard.home import headline_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {"roots": unit_roots(user=request.user), "headline": headline_for(request.user)}
    return render(request, "core/home.html", context)
