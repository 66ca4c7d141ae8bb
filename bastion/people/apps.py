from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bastion.people"
    label = "people"
