"""Shapes of the State API: the catalogue, the KIs in scope, protected figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kinrw.catalogue.models import Indicator, Programme
from kinrw.tenancy.models import Tenant

SYMBOL_HELP = _("Leer bei einer Zahl; „.“ gesperrt (Geheimhaltung), „–“ nichts vorhanden.")


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """An integer stays an integer; other numbers become a JSON number. None stays null."""

    def to_representation(self, value: Any) -> int | float | None:
        if value is None:
            return None
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "label", "unit", "counts_persons", "breakdowns"]


class ProgrammeSerializer(serializers.ModelSerializer):
    indicators = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["code", "name", "handlungsfeld", "active_from", "active_until", "indicators"]

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_indicators(self, programme: Programme) -> list[dict[str, Any]]:
        active = [i for i in programme.indicators.all() if i.is_active]
        return IndicatorSerializer(active, many=True).data  # type: ignore[return-value]


class KiSerializer(serializers.ModelSerializer):
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Stand der Daten: die jüngste Zahl dieses KI.")
    )

    class Meta:
        model = Tenant
        fields = [
            "slug",
            "name",
            "ags",
            "regierungsbezirk",
            "population",
            "population_date",
            "computed_at",
        ]


class FigureRowSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["ki", "bezirk", "land"], help_text=_("KI, Regierungsbezirk oder Land.")
    )
    ags = serializers.CharField(help_text=_("Gemeindeschlüssel des KI; leer bei Summen."))
    name = serializers.CharField()
    regierungsbezirk = serializers.CharField(source="bezirk")
    value = NumberField(source="cell.value", allow_null=True)
    symbol = serializers.CharField(source="cell.symbol", help_text=SYMBOL_HELP)
    rate = NumberField(allow_null=True, help_text=_("Je 10.000 Einwohner; leer wenn gesperrt."))
    computed_at = serializers.DateTimeField(allow_null=True)


class FiguresSerializer(serializers.Serializer):
    programme = serializers.CharField(source="indicator.programme.code")
    indicator = serializers.CharField(source="indicator.code")
    unit = serializers.CharField(source="indicator.unit")
    counts_persons = serializers.BooleanField(source="indicator.counts_persons")
    year = serializers.IntegerField()
    month = serializers.IntegerField(allow_null=True)
    rows = FigureRowSerializer(many=True)


class TrendPointSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    value = NumberField(source="cell.value", allow_null=True)
    symbol = serializers.CharField(source="cell.symbol", help_text=SYMBOL_HELP)


class TrendSerializer(serializers.Serializer):
    programme = serializers.CharField(source="indicator.programme.code")
    indicator = serializers.CharField(source="indicator.code")
    year = serializers.IntegerField()
    area = serializers.CharField(help_text=_("Land oder Regierungsbezirk der Summe."))
    months = TrendPointSerializer(many=True)
