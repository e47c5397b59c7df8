"""Programmes: the KI's enrolments, and the Land's catalogue and the KI's Gemeinden to refer to."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from kinrw.catalogue.models import Breakdown, Indicator, Programme
from kinrw.tenancy.models import Gemeinde
from kinrw.tenancy.selectors import gemeinden_of
from kinrw.workspace.api.base import AreaMixin, ServiceSerializer, ServiceViewSet
from kinrw.workspace.api.filters import IntegerFilter
from kinrw.workspace.models import Enrolment
from kinrw.workspace.roles import Area
from kinrw.workspace.selectors import enrolment_list
from kinrw.workspace.services import enrolment_create, enrolment_delete, enrolment_update


class EnrolmentSerializer(ServiceSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", queryset=Programme.objects.all())
    programme_name = serializers.CharField(source="programme.name", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "programme",
            "programme_name",
            "year",
            "granted_amount",
            "created_at",
            "updated_at",
        ]


class EnrolmentUpdateSerializer(EnrolmentSerializer):
    # programme and year make the entry what it is: only the amount changes

    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta(EnrolmentSerializer.Meta):
        read_only_fields = ["year"]


class EnrolmentFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__code", label="Programm (Schlüssel)")

    class Meta:
        model = Enrolment
        fields = ["programme", "year"]


class EnrolmentViewSet(ServiceViewSet):
    """Programmteilnahmen: welche Landesprogramme das KI in welchem Jahr durchführt."""

    area = Area.PROGRAMMES
    queryset = Enrolment.objects.all()
    serializer_class = EnrolmentSerializer
    update_serializer_class = EnrolmentUpdateSerializer
    filterset_class = EnrolmentFilter
    search_fields = ["programme__name", "programme__code"]
    ordering_fields = ["year", "programme__sort_order", "created_at", "id"]
    ordering = ["-year", "programme__sort_order", "id"]

    def get_queryset(self) -> QuerySet[Enrolment]:
        return enrolment_list()

    def create_object(self, data: dict[str, Any]) -> Enrolment:
        return enrolment_create(actor=self.actor, **data)

    def update_object(self, instance: Enrolment, data: dict[str, Any]) -> Enrolment:
        if "granted_amount" not in data:
            return instance
        return enrolment_update(
            actor=self.actor, enrolment=instance, granted_amount=data["granted_amount"]
        )

    def delete_object(self, instance: Enrolment) -> None:
        enrolment_delete(actor=self.actor, enrolment=instance)


class BreakdownValueSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Schlüssel der Ausprägung")
    label = serializers.CharField(help_text="Bezeichnung der Ausprägung")


class BreakdownSerializer(serializers.ModelSerializer):
    values = BreakdownValueSerializer(many=True, read_only=True)

    class Meta:
        model = Breakdown
        fields = ["code", "label", "values"]


class IndicatorSerializer(serializers.ModelSerializer):
    breakdowns = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["code", "label", "unit", "counts_persons", "breakdowns"]

    @extend_schema_field(BreakdownSerializer(many=True))
    def get_breakdowns(self, indicator: Indicator) -> list[dict[str, Any]]:
        # the dimensions this indicator may be broken down by, with their values
        known = self.context["breakdowns"]  # loaded once per request
        return [known[code] for code in indicator.breakdowns if code in known]


class ProgrammeSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "code",
            "name",
            "funding_line",
            "handlungsfeld",
            "active_from",
            "active_until",
            "own_measure",
            "is_active",
            "description",
            "indicators",
        ]


class ProgrammeFilter(filters.FilterSet):
    year = IntegerFilter(method="running_in", label="läuft im Jahr")

    class Meta:
        model = Programme
        fields = ["code", "handlungsfeld", "is_active", "year"]

    def running_in(self, queryset: QuerySet[Programme], name: str, value: Any) -> QuerySet:
        year = int(value)
        return queryset.filter(active_from__lte=year).filter(
            Q(active_until__isnull=True) | Q(active_until__gte=year)
        )


class ProgrammeViewSet(AreaMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Programmkatalog des Landes mit Indikatoren (Nachschlageliste)."""

    area = Area.PROGRAMMES
    queryset = Programme.objects.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.filter(is_active=True))
    )
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    search_fields = ["name", "code", "funding_line"]
    ordering_fields = ["sort_order", "name", "code"]
    ordering = ["sort_order", "name"]

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        breakdowns = Breakdown.objects.filter(is_active=True)
        return {**context, "breakdowns": {b.code: BreakdownSerializer(b).data for b in breakdowns}}


class GemeindeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Gemeinde
        fields = ["ags", "ars", "name", "kind"]


@extend_schema_view(list=extend_schema(summary="Gemeinden im Gebiet dieses KI"))
class GemeindeViewSet(AreaMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Die Gemeinden im Gebiet dieses KI (für Maßnahmen, Organisationen, Gremien)."""

    area = Area.PROGRAMMES
    queryset = Gemeinde.objects.all()
    serializer_class = GemeindeSerializer
    filterset_fields = ["ags"]
    search_fields = ["name", "ags"]
    ordering_fields = ["name", "ags"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[Gemeinde]:
        tenant = getattr(self.request, "tenant", None)
        if getattr(self, "swagger_fake_view", False) or tenant is None:
            return Gemeinde.objects.none()
        return gemeinden_of(tenant=tenant)
