from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "bastion.screening"
    label = "screening"
