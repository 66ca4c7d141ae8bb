"""Public pages of the supplies app, mounted at /public/ without login."""

from django.urls import path

from bastion.supplies import public_views

app_name = "public"
urlpatterns = [
    path("donations", public_views.public_donations, name="donations"),
]
