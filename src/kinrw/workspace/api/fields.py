"""Serializer fields of the API that Django REST framework does not have."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kinrw.workspace.models import SessionCount

_NUMBER = {"type": "number", "minimum": 0}
COUNTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "Zahlen des Termins je Indikator des Programms: die Summe („total“) und "
        "optional Aufschlüsselungen („by“), deren Werte die Summe ergeben müssen."
    ),
    "additionalProperties": {
        "type": "object",
        "properties": {
            "total": _NUMBER,
            "by": {
                "type": "object",
                "additionalProperties": {"type": "object", "additionalProperties": _NUMBER},
            },
        },
        "required": ["total"],
    },
    "example": {"children": {"total": 7, "by": {"gender": {"weiblich": 4, "maennlich": 3}}}},
}
EXAMPLE = json.dumps(COUNTS_SCHEMA["example"], ensure_ascii=False)


def plain_number(value: Decimal) -> int | float:
    """A count as JSON shows it best: 7, not "7.00"; 1.5 stays 1.5."""
    return int(value) if value == value.to_integral_value() else float(value)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return False
    try:
        return Decimal(str(value).strip()).is_finite()
    except ArithmeticError:
        return False


@extend_schema_field(COUNTS_SCHEMA)
class CountsField(serializers.Field):
    """``{indicator: {"total": n, "by": {breakdown: {value: n}}}}``, as the services take it.

    Only the shape is checked here; whether indicators, breakdowns and values
    exist and add up is checked by the service, with a German message.
    """

    default_error_messages = {
        "shape": _(
            "Bitte die Zahlen je Indikator mit „total“ (Summe) und optional „by“ "
            "(Aufschlüsselungen) angeben, z. B. {example}."
        ),
        "number": _("„{value}“ ist keine Zahl."),
    }

    def to_internal_value(self, data: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(data, dict):
            self.fail("shape", example=EXAMPLE)
        for entry in data.values():
            if not isinstance(entry, dict) or "total" not in entry or set(entry) - {"total", "by"}:
                self.fail("shape", example=EXAMPLE)
            self._number(entry["total"])
            by = entry.get("by") or {}
            if not isinstance(by, dict) or not all(isinstance(c, dict) for c in by.values()):
                self.fail("shape", example=EXAMPLE)
            for cells in by.values():
                for value in cells.values():
                    self._number(value)
        return data

    def _number(self, value: Any) -> None:
        if not _is_number(value):
            self.fail("number", value=value)

    def to_representation(self, value: Any) -> dict[str, dict[str, Any]]:
        rows: Iterable[SessionCount] = value.all()  # prefetched with their indicators
        counts: dict[str, dict[str, Any]] = {}
        for row in rows:
            entry = counts.setdefault(row.indicator.code, {"total": 0})
            if not row.breakdown:
                entry["total"] = plain_number(row.value)
            else:
                by = entry.setdefault("by", {}).setdefault(row.breakdown, {})
                by[row.value_code] = plain_number(row.value)
        return counts
