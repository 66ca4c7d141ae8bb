from django.urls import path

from bastion.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_index, name="index"),
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/add/", views.unit_create, name="create"),
]
