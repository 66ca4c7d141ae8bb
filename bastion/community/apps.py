from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "bastion.community"
    label = "community"
