"""Filter types the API's query parameters need beyond django-filter's own."""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    """A whole number (year, month, record number): ``?year=2026``."""

    field_class = forms.IntegerField
