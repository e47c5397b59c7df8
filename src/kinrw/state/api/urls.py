"""``/api/v1/state/`` on the Land host: the State API, its OpenAPI schema and docs.

Included only by ``kinrw.conf.urls_public``; KI hosts do not route it.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from kinrw.state.api import views
from kinrw.state.api.schema import SETTINGS, URLCONF
from kinrw.workspace.api.docs import DocsView

app_name = "state_api"

urlpatterns = [
    path("programmes/", views.ProgrammeList.as_view(), name="programmes"),
    path("kis/", views.KiList.as_view(), name="kis"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("trend/", views.TrendView.as_view(), name="trend"),
    path(
        "schema/",
        SpectacularAPIView.as_view(urlconf=URLCONF, custom_settings=SETTINGS),
        name="schema",
    ),
    path("docs/", DocsView.as_view(url_name="state_api:schema"), name="docs"),
]
