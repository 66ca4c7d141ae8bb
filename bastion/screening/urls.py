"""Screening pages. URLs carry database ids, unit codes and tokens only: never an ID number or
a phone."""

from django.urls import path

from bastion.screening.views import imports, signals, sweeps, travel, verification

app_name = "screening"
urlpatterns = [
    path("", sweeps.screening_home, name="home"),
    path("signals/", signals.signal_inbox, name="inbox"),
    path("signals/new/", signals.signal_file, name="signal_file"),
    path("signals/waits/", signals.signal_waits, name="waits"),
    path("signals/<int:signal_id>/", signals.signal_detail, name="signal"),
    path("signals/<int:signal_id>/call/", signals.signal_call, name="signal_call"),
    path("signals/<int:signal_id>/confirm/", travel.signal_confirm, name="signal_confirm"),
    path("sweeps/", sweeps.sweep_list, name="sweeps"),
    path("sweeps/new/", sweeps.sweep_create, name="sweep_create"),
    path("sweeps/<int:sweep_id>/", sweeps.sweep_detail, name="sweep"),
    path("sweeps/<int:sweep_id>/todo/", sweeps.sweep_todo, name="todo"),
    path("sweeps/<int:sweep_id>/households/new/", sweeps.household_add, name="household_add"),
    path(
        "sweeps/<int:sweep_id>/households/<int:household_id>/visit/",
        sweeps.visit_create,
        name="visit",
    ),
    path("travel/", travel.travel_list, name="travel"),
    path("travel/new/", travel.travel_create, name="travel_create"),
    path("travel/<int:record_id>/edit/", travel.travel_edit, name="travel_edit"),
    path("risk-areas/", travel.risk_areas, name="risk_areas"),
    path("risk-areas/<int:area_id>/end/", travel.risk_area_end, name="risk_area_end"),
    path("poster/", travel.poster, name="poster_pick"),
    path("poster/<str:code>/", travel.poster, name="poster"),
    path("lists/", verification.vlist_index, name="vlists"),
    path("lists/new/", verification.vlist_upload, name="vlist_upload"),
    path("lists/<int:vlist_id>/", verification.vlist_detail, name="vlist"),
    path("lists/<int:vlist_id>/export/", verification.vlist_export, name="vlist_export"),
    path("rows/<int:row_id>/", verification.vrow_verify, name="vrow"),
    path("rows/<int:row_id>/route/", verification.vrow_route, name="vrow_route"),
    path("imports/", imports.import_index, name="imports"),
    path("imports/template.xlsx", imports.import_template, name="import_template"),
    path("imports/<int:job_id>/", imports.import_detail, name="import"),
    path("imports/<int:job_id>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:job_id>/rejected.xlsx", imports.import_rejected, name="import_rejected"),
    # Public: the link printed on a village's QR poster (no login).
    path("register/<str:token>/", travel.register, name="register"),
]
