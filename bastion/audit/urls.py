from django.urls import path

from bastion.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.access_log, name="list"),
    path("persons/<int:person_id>/", views.person_viewer_list, name="person_viewers"),
]
