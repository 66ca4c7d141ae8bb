from django.apps import AppConfig


class MobilisationConfig(AppConfig):
    name = "bastion.mobilisation"
    label = "mobilisation"
