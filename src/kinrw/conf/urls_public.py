"""URLs on the Land host (``<base domain>``): the ministry side. No workspace data."""

from django.urls import include, path

from kinrw.state import views

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/", include("kinrw.conf.urls_accounts")),
    path("i18n/", include("django.conf.urls.i18n")),
]
