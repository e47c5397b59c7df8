from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "kinrw.tenancy"
    label = "tenancy"
    verbose_name = "Mandanten"

    def ready(self) -> None:
        from kinrw.tenancy import contenttypes, signals  # noqa: F401  (cache invalidation)

        contenttypes.install()
