from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "bastion.orgs"
    label = "orgs"
