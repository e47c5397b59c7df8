"""Documents (``/dokumente/…``) and their upload under measures, agreements and meetings."""

from django.urls import path

from kinrw.workspace.web import documents

urlpatterns = [
    path(
        "massnahmen/<int:measure_pk>/dokumente/neu/",
        documents.measure_document_upload,
        name="measure_document_upload",
    ),
    path(
        "partner/<int:organisation_pk>/vereinbarungen/<int:agreement_pk>/dokumente/neu/",
        documents.agreement_document_upload,
        name="agreement_document_upload",
    ),
    path(
        "gremien/<int:gremium_pk>/sitzungen/<int:meeting_pk>/dokumente/neu/",
        documents.meeting_document_upload,
        name="meeting_document_upload",
    ),
    path("dokumente/<int:pk>/", documents.document_download, name="document_download"),
    path("dokumente/<int:pk>/loeschen/", documents.document_delete, name="document_delete"),
]
