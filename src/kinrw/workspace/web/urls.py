"""Pages of the KI workspace (namespace ``ws``): one URL module per area."""

from django.urls import include, path

app_name = "ws"

urlpatterns = [
    path("", include("kinrw.workspace.web.urls_measures")),
    path("", include("kinrw.workspace.web.urls_partners")),
    path("", include("kinrw.workspace.web.urls_admin")),
    path("", include("kinrw.workspace.web.urls_import")),
    path("", include("kinrw.workspace.web.urls_documents")),
]
