"""Measures, their sessions and the month grid (``/massnahmen/…``, ``/termine/…``)."""

from django.urls import path

from kinrw.workspace.web import grid, measure_edit, measures, session_list, sessions

urlpatterns = [
    path("massnahmen/", measures.measure_list, name="measure_list"),
    path("massnahmen/neu/", measure_edit.measure_create, name="measure_create"),
    path("massnahmen/<int:pk>/", measures.measure_detail, name="measure_detail"),
    path("massnahmen/<int:pk>/bearbeiten/", measure_edit.measure_update, name="measure_update"),
    path("massnahmen/<int:pk>/loeschen/", measure_edit.measure_delete, name="measure_delete"),
    path(
        "massnahmen/<int:pk>/monat/<int:year>/<int:month>/",
        grid.measure_month,
        name="measure_month",
    ),
    path(
        "massnahmen/<int:measure_pk>/termine/neu/",
        sessions.session_create,
        name="session_create",
    ),
    path(
        "massnahmen/<int:measure_pk>/termine/reihe/",
        sessions.session_series,
        name="session_series",
    ),
    path("termine/", session_list.session_list, name="session_list"),
    path("termine/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("termine/<int:pk>/bearbeiten/", sessions.session_update, name="session_update"),
    path("termine/<int:pk>/loeschen/", sessions.session_delete, name="session_delete"),
]
