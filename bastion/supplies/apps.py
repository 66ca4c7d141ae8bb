from django.apps import AppConfig


class SuppliesConfig(AppConfig):
    name = "bastion.supplies"
    label = "supplies"
