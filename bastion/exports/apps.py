from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "bastion.exports"
    label = "exports"
