"""Mobilisation pages under /mobilisation/. URLs carry database ids and unit codes only."""

from django.urls import path

from bastion.mobilisation import views

app_name = "mobilisation"
urlpatterns = [
    path("", views.mobilisation_index, name="index"),
    path("units/<str:code>/", views.unit_summary, name="unit_summary"),
    path("units/<str:code>/members/", views.member_list, name="member_list"),
    path("units/<str:code>/members/new/", views.member_create, name="member_create"),
    path(
        "units/<str:code>/members/link-by-mobile/",
        views.link_by_mobile,
        name="link_by_mobile",
    ),
    path("members/<int:member_id>/", views.member_detail, name="member_detail"),
    path("units/<str:code>/calls/", views.call_list, name="call_list"),
    path("units/<str:code>/calls/new/", views.call_create, name="call_create"),
    path("units/<str:code>/teams/new/", views.team_create, name="team_create"),
    path("units/<str:code>/work-log/", views.work_log_create, name="work_log_create"),
    path("units/<str:code>/assignments/", views.assignment_list, name="assignment_list"),
    path("calls/<int:call_id>/", views.call_detail, name="call_detail"),
    path("calls/<int:call_id>/apply/", views.call_apply, name="call_apply"),
    path("calls/<int:call_id>/close/", views.call_close, name="call_close"),
    path(
        "applications/<int:application_id>/decide/",
        views.application_decide,
        name="application_decide",
    ),
    path("pledges/new/", views.pledge_create, name="pledge_create"),
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
]
