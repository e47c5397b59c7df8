from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kinrw.core"
    label = "core"
    verbose_name = "Kern"
