"""The bench-only URLconf: the floor views, then the whole application's URLs."""

from django.urls import path

from bastion.benchmarks.floor import checkin_floor
from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/floor/checkin/", checkin_floor, name="bench-floor-checkin"),
    *app_urlpatterns,
]
