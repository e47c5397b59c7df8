"""URLs on the Land host (``<base domain>``): the ministry side. No workspace data."""

from django.urls import include, path

from kinrw.core import metrics
from kinrw.state import views, views_dashboard, views_map, views_pages, views_periods

urlpatterns = [
    path("", views.home, name="home"),
    path("karte/", views_map.map_preview, name="state_map"),
    path("dashboard/", views_dashboard.dashboard_view, name="state_dashboard"),
    path("api/v1/state/", include("kinrw.state.api.urls")),
    path("ki/<slug:slug>/", views_pages.ki_view, name="state_ki"),
    path("programm/<slug:code>/", views_pages.programme_view, name="state_programme"),
    path("zeitraeume/", views_periods.period_list, name="state_periods"),
    path("zeitraeume/<int:year>/", views_periods.period_revisions, name="state_period_revisions"),
    path(
        "zeitraeume/<int:year>/abschliessen/",
        views_periods.period_close_view,
        name="state_period_close",
    ),
    path("metrics", metrics.metrics_view, name="metrics"),  # operators only (ADR 0013)
    path("konto/", include("kinrw.conf.urls_accounts")),
    path("i18n/", include("django.conf.urls.i18n")),
]
