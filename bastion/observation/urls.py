"""Observation pages at /observation/. URLs carry database ids, unit codes and the self
check-in token only: never an ID number or a phone."""

from django.urls import path

from bastion.observation.views import alerts, dashboard, manage, observations, policy, selfcheck

app_name = "observation"
urlpatterns = [
    path("", dashboard.today, name="today"),
    path("list/", observations.observation_list, name="list"),
    path("new/", observations.observation_new, name="new"),
    path("new/<int:person_id>/", observations.observation_start, name="start"),
    path("<int:pk>/", observations.observation_detail, name="detail"),
    path("<int:pk>/checkin/", observations.checkin_create, name="checkin"),
    path(
        "<int:pk>/checkins/<int:checkin_id>/correct/",
        observations.checkin_correct,
        name="correct",
    ),
    path("<int:pk>/complete/", manage.observation_complete, name="complete"),
    path("<int:pk>/close/", manage.observation_close, name="close"),
    path("<int:pk>/period/", manage.observation_period, name="period"),
    path("<int:pk>/transfer/", manage.observation_transfer, name="transfer"),
    path("<int:pk>/accept/", manage.observation_accept, name="accept"),
    path("<int:pk>/workers/", manage.observation_workers, name="workers"),
    path("<int:pk>/supplies/", manage.supply_create, name="supplies"),
    path("<int:pk>/care/", manage.care_create, name="care"),
    path("<int:pk>/care/<int:visit_id>/", manage.care_record, name="care_record"),
    path("<int:pk>/notice/", manage.door_notice, name="notice"),
    path("<int:pk>/link/", manage.personal_link, name="link"),
    path("<int:pk>/links/revoke/", manage.links_revoke, name="links_revoke"),
    path("<int:pk>/refer/", alerts.observation_refer, name="refer"),
    path("<int:pk>/missed/acknowledge/", alerts.missed_acknowledge, name="missed_acknowledge"),
    path("alerts/", alerts.alert_inbox, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", alerts.alert_acknowledge, name="acknowledge"),
    path("alerts/<int:alert_id>/resolve/", alerts.alert_resolve, name="resolve"),
    path("cases/<int:case_id>/", alerts.case_detail, name="case"),
    path("cases/<int:case_id>/contacts/", alerts.case_contacts, name="case_contacts"),
    path("cases/<int:case_id>/<slug:step>/", alerts.case_step, name="case_step"),
    path("units/", dashboard.unit_index, name="units"),
    path("units/<str:code>/", dashboard.unit_page, name="unit"),
    path("policies/", policy.policy_list, name="policies"),
    path("policies/new/", policy.policy_create, name="policy_create"),
    # The self check-in page; the project also serves it at /c/<token> (public_urls).
    path("c/<str:token>/", selfcheck.self_checkin, name="self_checkin"),
]
