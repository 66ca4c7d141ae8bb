"""The short public address of the self check-in page, /c/<token>, printed in QR codes.

Include it at the site root: `path("c/", include("bastion.observation.public_urls"))`.
"""

from django.urls import path

from bastion.observation.views import selfcheck

app_name = "selfcheck"
urlpatterns = [
    path("<str:token>", selfcheck.self_checkin, name="page"),
]
