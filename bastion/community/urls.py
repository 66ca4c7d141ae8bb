"""Community pages under /community/. URLs carry database ids, unit codes and dates only."""

from django.urls import path

from bastion.community.views import disinfection, gatherings, summary

app_name = "community"
urlpatterns = [
    path("", summary.community_index, name="index"),
    path("units/<str:code>/", summary.unit_summary, name="unit_summary"),
    path("gatherings/", gatherings.gathering_list, name="gathering_list"),
    path("gatherings/new/", gatherings.gathering_create, name="gathering_create"),
    path("gatherings/export/", gatherings.gathering_export, name="gathering_export"),
    path("gatherings/<int:gathering_id>/", gatherings.gathering_detail, name="gathering_detail"),
    path("gatherings/<int:gathering_id>/edit/", gatherings.gathering_edit, name="gathering_edit"),
    path(
        "gatherings/<int:gathering_id>/attendees/",
        gatherings.gathering_attendees,
        name="gathering_attendees",
    ),
    path("sites/", disinfection.site_list, name="site_list"),
    path("sites/new/", disinfection.site_create, name="site_create"),
    path("sites/<int:site_id>/", disinfection.site_detail, name="site_detail"),
    path("sites/<int:site_id>/edit/", disinfection.site_edit, name="site_edit"),
    path("sites/<int:site_id>/run/", disinfection.run_create, name="run_create"),
    path("runs/export/", disinfection.run_export, name="run_export"),
]
