"""Export pages under /exports/. URLs carry dataset names, unit codes, filter values and job
ids: never an ID number or a phone."""

from django.urls import path

from bastion.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("new/", views.export_new, name="new"),
    path("<int:job_id>/", views.export_detail, name="detail"),
    path("<int:job_id>/file/", views.export_download, name="download"),
]
