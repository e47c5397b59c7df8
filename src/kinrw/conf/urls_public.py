"""URLs on the Land host (``<base domain>``): the ministry side. No workspace data."""

from django.urls import include, path

from kinrw.state import views, views_dashboard, views_map

urlpatterns = [
    path("", views.home, name="home"),
    path("karte/", views_map.map_preview, name="state_map"),
    path("dashboard/", views_dashboard.dashboard_view, name="state_dashboard"),
    path("konto/", include("kinrw.conf.urls_accounts")),
    path("i18n/", include("django.conf.urls.i18n")),
]
