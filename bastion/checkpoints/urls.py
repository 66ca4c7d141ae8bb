"""Checkpoint pages under /checkpoints/. URLs carry unit codes, database ids and dates only:
never a plate, an ID number or a phone (lookups are POSTed)."""

from django.urls import path

from bastion.checkpoints.views import manage, officer, reports, rosters

app_name = "checkpoints"
urlpatterns = [
    path("", officer.checkpoint_index, name="index"),
    path("lookup/", officer.lookup, name="lookup"),
    path("origins/", officer.origins, name="origins"),
    path("passages/<int:passage_id>/", officer.passage_detail, name="passage"),
    path("units/<str:code>/report/", reports.unit_report, name="report"),
    path("units/<str:code>/new/", manage.checkpoint_create, name="create"),
    path("shifts/<int:shift_id>/", rosters.shift_detail, name="shift"),
    path("shifts/<int:shift_id>/assign/", rosters.assignment_add, name="assignment_add"),
    path("shifts/<int:shift_id>/handover/", rosters.handover, name="handover"),
    path(
        "assignments/<int:assignment_id>/remove/",
        rosters.assignment_remove,
        name="assignment_remove",
    ),
    path("assignments/<int:assignment_id>/attendance/", rosters.attendance, name="attendance"),
    path("<str:code>/", officer.officer_screen, name="officer"),
    path("<str:code>/destinations/", officer.destinations, name="destinations"),
    path("<str:code>/edit/", manage.checkpoint_edit, name="edit"),
    path("<str:code>/roster/", rosters.roster_week, name="roster"),
    path("<str:code>/roster/print/", rosters.roster_print, name="roster_print"),
    path("<str:code>/roster/export/", rosters.roster_export, name="roster_export"),
]
