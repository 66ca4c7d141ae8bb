from django.urls import URLPattern

app_name = "checkpoints"
urlpatterns: list[URLPattern] = []
