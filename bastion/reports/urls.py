"""Report pages under /reports/ (the dashboard has its own urls under /dashboard/)."""

from django.urls import path

from bastion.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("<str:code>/", views.report_unit, name="unit"),
    path("<str:code>/print/", views.report_print, name="print"),
    path("<str:code>/xlsx/", views.report_xlsx, name="xlsx"),
    path("<str:code>/sign/", views.report_sign, name="sign"),
]
