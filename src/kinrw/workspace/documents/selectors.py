"""Reads of a KI's documents: the list of one owner, one document with its owner alive."""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from kinrw.workspace.models import CooperationAgreement, Document, GremiumMeeting, Measure
from kinrw.workspace.roles import Area

OWNER_FIELD: dict[type[Model], str] = {
    Measure: "measure",
    CooperationAgreement: "agreement",
    GremiumMeeting: "meeting",
}


def owner_field(owner: Model) -> str:
    return OWNER_FIELD[type(owner)]


def documents_of(*, owner: Model) -> QuerySet[Document]:
    return Document.objects.filter(**{owner_field(owner): owner}).select_related("uploaded_by")


def documents_alive() -> QuerySet[Document]:
    """Documents whose owner is still shown (a measure or organisation not deleted)."""
    alive = (
        Q(measure__isnull=False, measure__is_deleted=False)
        | Q(agreement__isnull=False, agreement__organisation__is_deleted=False)
        | Q(meeting__isnull=False)
    )
    return Document.objects.filter(alive)


def document_get(*, pk: int) -> Document:
    """A document whose owner is still shown; else 404."""
    return get_object_or_404(
        documents_alive().select_related(
            "measure", "agreement__organisation", "meeting__gremium", "uploaded_by"
        ),
        pk=pk,
    )


def area_of(document: Document) -> Area:
    """The role table's area whose rights apply to the document: its owner's."""
    return Area.MEASURES if document.measure_id is not None else Area.PARTNERS
