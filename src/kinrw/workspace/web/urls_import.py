"""Import of sessions from CSV/Excel (``/termine/import/…``)."""

from django.urls import path

from kinrw.workspace.web import imports

urlpatterns = [
    path("termine/import/", imports.session_import, name="session_import"),
    path(
        "termine/import/vorlage/", imports.session_import_template, name="session_import_template"
    ),
    path("termine/import/<int:pk>/", imports.session_import_preview, name="session_import_preview"),
    path(
        "termine/import/<int:pk>/importieren/",
        imports.session_import_confirm,
        name="session_import_confirm",
    ),
    path(
        "termine/import/<int:pk>/verwerfen/",
        imports.session_import_discard,
        name="session_import_discard",
    ),
]
