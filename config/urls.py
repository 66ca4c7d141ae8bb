from django.contrib import admin
from django.urls import include, path

from bastion.core.api import api

urlpatterns = [
    # First: the API takes the heaviest traffic (check-ins), and Django tries the patterns in
    # order; no other pattern starts with "api/".
    path("api/v1/", api.urls),
    path("", include("bastion.core.urls")),
    path("accounts/", include("bastion.accounts.urls")),
    path("units/", include("bastion.orgs.urls")),
    path("persons/", include("bastion.people.urls")),
    path("audit/", include("bastion.audit.urls")),
    path("screening/", include("bastion.screening.urls")),
    path("observation/", include("bastion.observation.urls")),
    path("checkpoints/", include("bastion.checkpoints.urls")),
    path("community/", include("bastion.community.urls")),
    path("mobilisation/", include("bastion.mobilisation.urls")),
    path("supplies/", include("bastion.supplies.urls")),
    path("reports/", include("bastion.reports.urls")),
    path("dashboard/", include("bastion.reports.dashboard.urls")),
    path("exports/", include("bastion.exports.urls")),
    path("party/", include("bastion.party.urls")),
    path("public/", include("bastion.supplies.public_urls")),
    path("c/", include("bastion.observation.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
