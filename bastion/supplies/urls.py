from django.urls import path

from bastion.supplies import views

app_name = "supplies"
urlpatterns = [
    path("", views.supplies_index, name="index"),
    path("issue/", views.stock_issue, name="issue"),
    path("units/<str:code>/", views.stock_detail, name="stock"),
    path("units/<str:code>/record/", views.movement_create, name="record"),
    path("units/<str:code>/minimum/", views.stock_minimum, name="minimum"),
    path("units/<str:code>/ledger/", views.ledger, name="ledger"),
    path("donations/", views.donation_list, name="donations"),
    path("donations/new/", views.donation_create, name="donation_create"),
    path("donations/<int:donation_id>/", views.donation_detail, name="donation"),
]
