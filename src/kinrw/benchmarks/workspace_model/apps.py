from django.apps import AppConfig


class BenchWorkspaceConfig(AppConfig):
    name = "kinrw.benchmarks.workspace_model"
    label = "benchws"
    verbose_name = "Benchmark: Arbeitsbereich mit 26 Modellen"
    default_auto_field = "django.db.models.BigAutoField"
