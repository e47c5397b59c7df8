from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "kinrw.catalogue"
    label = "catalogue"
    verbose_name = "Programmkatalog"
