"""Measures (Maßnahmen) of the KI."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers

from kinrw.accounts.models import User
from kinrw.catalogue.models import Handlungsfeld, Programme
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.api.base import ServiceSerializer, ServiceViewSet
from kinrw.workspace.api.filters import IntegerFilter
from kinrw.workspace.models import Measure, MeasureStatus, Organisation, TargetGroup
from kinrw.workspace.roles import Area
from kinrw.workspace.selectors import measure_list
from kinrw.workspace.services import measure_create, measure_delete, measure_update


class MeasureSerializer(ServiceSerializer):
    programme = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Programme.objects.all(),
        help_text="Schlüssel des Programms (siehe /programmes/).",
    )
    handlungsfeld = serializers.ChoiceField(
        choices=Handlungsfeld.choices,
        required=False,
        allow_blank=True,
        help_text="Leer: das Handlungsfeld des Programms.",
    )
    target_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroup.choices), required=False
    )
    gemeinden = serializers.SlugRelatedField(
        slug_field="ags",
        many=True,
        required=False,
        queryset=Gemeinde.objects.all(),
        help_text="AGS der Gemeinden im Gebiet des KI (siehe /gemeinden/).",
    )
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_deleted=False),
        required=False,
        allow_null=True,
        help_text="Nummer der Partnerorganisation (siehe /organisations/).",
    )
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(ki_membership__isnull=False),
        many=True,
        required=False,
        help_text="Nummern der verantwortlichen Konten (siehe /memberships/).",
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        help_text="Schlüssel der Sprachen (Aufschlüsselung „language“ im Programmkatalog).",
    )

    class Meta:
        model = Measure
        fields = [
            "id",
            "title",
            "description",
            "programme",
            "handlungsfeld",
            "target_groups",
            "gemeinden",
            "venue",
            "partner",
            "starts_on",
            "ends_on",
            "status",
            "responsible",
            "languages",
            "created_at",
            "updated_at",
        ]


class MeasureFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=MeasureStatus.choices)
    programme = filters.CharFilter(field_name="programme__code", label="Programm (Schlüssel)")
    handlungsfeld = filters.ChoiceFilter(choices=Handlungsfeld.choices)
    year = IntegerFilter(method="running_in", label="läuft im Jahr")
    starts_on = filters.DateFromToRangeFilter(label="Beginn von/bis")
    partner = IntegerFilter(field_name="partner_id", label="Partnerorganisation")
    gemeinde = filters.CharFilter(field_name="gemeinden__ags", label="Gemeinde (AGS)")

    class Meta:
        model = Measure
        fields = ["status", "programme", "handlungsfeld", "year", "starts_on", "partner"]

    def running_in(self, queryset: QuerySet[Measure], name: str, value: Any) -> QuerySet:
        year = int(value)
        return queryset.filter(starts_on__year__lte=year).filter(
            Q(ends_on__isnull=True) | Q(ends_on__year__gte=year)
        )


class MeasureViewSet(ServiceViewSet):
    """Maßnahmen und Angebote des KI (gelöschte erscheinen nicht)."""

    area = Area.MEASURES
    queryset = Measure.objects.all()
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter
    search_fields = ["title", "description", "venue"]
    ordering_fields = ["starts_on", "ends_on", "title", "status", "created_at", "id"]
    ordering = ["-starts_on", "title", "id"]

    def get_queryset(self) -> QuerySet[Measure]:
        return measure_list()

    def create_object(self, data: dict[str, Any]) -> Measure:
        return measure_create(actor=self.actor, **data)

    def update_object(self, instance: Measure, data: dict[str, Any]) -> Measure:
        return measure_update(actor=self.actor, measure=instance, **data)

    def delete_object(self, instance: Measure) -> None:
        measure_delete(actor=self.actor, measure=instance)
