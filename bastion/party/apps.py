from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "bastion.party"
    label = "party"
