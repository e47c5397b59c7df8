"""URLconf of the request benchmark (tenant hosts and the plain site alike)."""

from django.urls import path

from kinrw.benchmarks import views

PATH = "/bench/items"

urlpatterns = [path(PATH.lstrip("/"), views.items, name="bench-items")]
