from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bastion.reports"
    label = "reports"
