from django.apps import AppConfig


class CheckpointsConfig(AppConfig):
    name = "bastion.checkpoints"
    label = "checkpoints"
