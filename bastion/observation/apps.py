from django.apps import AppConfig


class ObservationConfig(AppConfig):
    name = "bastion.observation"
    label = "observation"
