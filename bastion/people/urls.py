"""Person pages. URLs carry database ids, unit codes and page numbers only: never an ID number
or a phone."""

from django.urls import path

from bastion.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/edit/", views.person_edit, name="edit"),
    path("<int:person_id>/reveal/", views.person_reveal, name="reveal"),
    path("<int:person_id>/merge/", views.person_merge, name="merge"),
    path("households/<int:household_id>/", views.household_detail, name="household"),
]
