from django.apps import AppConfig


class StateConfig(AppConfig):
    name = "kinrw.state"
    label = "state"
    verbose_name = "Landesebene"
