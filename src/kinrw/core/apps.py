from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kinrw.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from kinrw.core import metrics

        metrics.connect_signals()  # failed and locked-out logins (ADR 0013)
