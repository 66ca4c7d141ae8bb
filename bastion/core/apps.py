from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bastion.core"
    label = "core"
