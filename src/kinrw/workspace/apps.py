from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "kinrw.workspace"
    label = "workspace"
    verbose_name = "Arbeitsbereich"
