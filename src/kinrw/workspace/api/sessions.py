"""Sessions (Termine) of the KI's measures, with their counts (figures only, never names)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.request import Request

from kinrw.workspace.api.base import ServiceSerializer, ServiceViewSet
from kinrw.workspace.api.fields import CountsField
from kinrw.workspace.api.filters import IntegerFilter
from kinrw.workspace.models import Measure, Session, SessionCount
from kinrw.workspace.roles import Area
from kinrw.workspace.selectors import session_search
from kinrw.workspace.services import session_delete, session_record, session_update


class SessionSerializer(ServiceSerializer):
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.filter(is_deleted=False),
        help_text="Nummer der Maßnahme (siehe /measures/).",
    )
    counts = CountsField(required=False)

    class Meta:
        model = Session
        fields = [
            "id",
            "measure",
            "date",
            "starts_at",
            "duration_minutes",
            "cancelled",
            "volunteers_present",
            "note",
            "counts",
            "created_at",
            "updated_at",
        ]


class SessionUpdateSerializer(SessionSerializer):
    # a session stays with its measure

    measure = serializers.PrimaryKeyRelatedField(read_only=True)


class SessionFilter(filters.FilterSet):
    measure = IntegerFilter(field_name="measure_id", label="Maßnahme")
    programme = filters.CharFilter(
        field_name="measure__programme__code", label="Programm (Schlüssel)"
    )
    date = filters.DateFromToRangeFilter(label="Datum von/bis")
    year = IntegerFilter(field_name="date__year", label="Jahr")
    month = IntegerFilter(field_name="date__month", label="Monat (1–12)")

    class Meta:
        model = Session
        fields = ["measure", "programme", "date", "year", "month", "cancelled"]


class SessionSearchFilter(SearchFilter):
    """``?search=``: every word in the note or in the title of the session's measure."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        for term in self.get_search_terms(request):
            queryset = session_search(queryset, term)
        return queryset


class SessionViewSet(ServiceViewSet):
    """Termine der Maßnahmen mit ihren Zahlen.

    Anlegen mit Maßnahme, Datum und Uhrzeit eines vorhandenen Termins ersetzt
    dessen Angaben und Zahlen (wie die Erfassung im Monatsraster).
    """

    area = Area.SESSIONS
    queryset = Session.objects.all()
    serializer_class = SessionSerializer
    update_serializer_class = SessionUpdateSerializer
    filterset_class = SessionFilter
    filter_backends = [filters.DjangoFilterBackend, SessionSearchFilter, OrderingFilter]
    search_fields = ["note", "measure__title"]  # what SessionSearchFilter searches
    ordering_fields = ["date", "starts_at", "measure", "created_at", "id"]
    ordering = ["date", "starts_at", "id"]

    def get_queryset(self) -> QuerySet[Session]:
        counts = SessionCount.objects.select_related("indicator").order_by(
            "indicator__sort_order", "breakdown", "value_code"
        )
        # a deleted measure's sessions are deleted too: no join with the measures
        return Session.objects.filter(is_deleted=False).prefetch_related(
            Prefetch("counts", queryset=counts)
        )

    def create_object(self, data: dict[str, Any]) -> Session:
        return session_record(actor=self.actor, **data)

    def update_object(self, instance: Session, data: dict[str, Any]) -> Session:
        return session_update(actor=self.actor, session=instance, **data)

    def delete_object(self, instance: Session) -> None:
        session_delete(actor=self.actor, session=instance)
