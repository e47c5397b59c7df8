"""The query parameters of the figure endpoints, checked with German messages."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kinrw.catalogue.models import Indicator

FIRST_YEAR = 2000


class FiguresQuery(serializers.Serializer):
    indicator = serializers.CharField(
        help_text=_("Schlüssel der Kennzahl, z. B. „children“."),
        error_messages={
            "required": _("Bitte geben Sie die Kennzahl an (indicator=<Schlüssel>)."),
            "blank": _("Bitte geben Sie die Kennzahl an (indicator=<Schlüssel>)."),
        },
    )
    programme = serializers.CharField(
        required=False,
        help_text=_("Schlüssel des Programms; nötig, wenn mehrere Programme die Kennzahl haben."),
    )
    year = serializers.IntegerField(
        help_text=_("Jahr, z. B. 2025."),
        error_messages={
            "required": _("Bitte geben Sie das Jahr an (year=JJJJ)."),
            "invalid": _("Das Jahr muss eine Zahl sein, z. B. year=2025."),
        },
    )

    def validate_year(self, year: int) -> int:
        last = timezone.localdate().year
        if not FIRST_YEAR <= year <= last:
            raise serializers.ValidationError(
                _("Bitte wählen Sie ein Jahr von %(first)s bis %(last)s.")
                % {"first": FIRST_YEAR, "last": last}
            )
        return year

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        found = Indicator.objects.select_related("programme").filter(
            code=attrs["indicator"], is_active=True, programme__is_active=True
        )
        if attrs.get("programme"):
            found = found.filter(programme__code=attrs["programme"])
        indicators = list(found[:2])
        if not indicators:
            raise serializers.ValidationError(
                {
                    "indicator": _(
                        "Diese Kennzahl gibt es nicht. Die Schlüssel stehen unter programmes/."
                    )
                }
            )
        if len(indicators) > 1:
            raise serializers.ValidationError(
                {
                    "programme": _(
                        "Mehrere Programme haben diese Kennzahl; bitte geben Sie programme= an."
                    )
                }
            )
        attrs["indicator"] = indicators[0]
        return attrs


class FiguresMonthQuery(FiguresQuery):
    month = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("Monat 1–12; ohne: das ganze Jahr."),
        error_messages={
            "invalid": _("Der Monat muss eine Zahl von 1 bis 12 sein."),
            "min_value": _("Der Monat muss eine Zahl von 1 bis 12 sein."),
            "max_value": _("Der Monat muss eine Zahl von 1 bis 12 sein."),
        },
    )
