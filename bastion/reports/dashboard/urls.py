"""Dashboard pages under /dashboard/. URLs carry unit codes only."""

from django.urls import path

from bastion.reports.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard_home, name="home"),
    path("<str:code>/", views.dashboard_unit, name="unit"),
    path("<str:code>/screen/", views.dashboard_screen, name="screen"),
]
