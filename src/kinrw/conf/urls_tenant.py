"""URLs on a KI's host (``<slug>.<base domain>``): the KI workspace."""

from django.urls import include, path

from kinrw.workspace import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("kinrw.workspace.web.urls")),
    path("konto/", include("kinrw.conf.urls_accounts")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("kinrw.workspace.api.urls")),
]
