"""Read-only endpoints of the State API; every figure comes from one protected Land table.

``figures/`` serves exactly the dashboard's table (:mod:`kinrw.state.dashboard`):
the KIs in the viewer's scope and the roll-ups, each a cell of the one protected
Land table of that indicator and period. A hidden cell has no value here either.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response

from kinrw.catalogue.models import Indicator, Programme
from kinrw.state import dashboard
from kinrw.state.api import serializers as s
from kinrw.state.api.params import FiguresMonthQuery, FiguresQuery
from kinrw.state.api.permissions import LandFiguresPermission
from kinrw.state.facts import Fact
from kinrw.state.selectors import (
    Scope,
    indicator_table,
    indicator_year,
    land_tenants,
    scope,
    trend,
)


class LandView(generics.GenericAPIView):
    authentication_classes = [SessionAuthentication]  # Land accounts: no API keys (yet)
    permission_classes = [LandFiguresPermission]
    pagination_class = None
    filter_backends: list[Any] = []

    @property
    def seen(self) -> Scope:
        seen = scope(self.request.user)
        assert seen is not None  # the permission let only users with a scope in
        return seen

    def query(self, serializer_class: type[FiguresQuery]) -> dict[str, Any]:
        params = serializer_class(data=self.request.query_params.dict())
        params.is_valid(raise_exception=True)
        return params.validated_data  # type: ignore[return-value]


@extend_schema_view(
    get=extend_schema(
        summary=_("Programmkatalog"),
        description=_("Die aktiven Programme mit ihren Kennzahlen (Schlüssel für figures/)."),
    )
)
class ProgrammeList(LandView, generics.ListAPIView):
    # the catalogue with its active indicators (codes for figures/ and trend/)

    serializer_class = s.ProgrammeSerializer

    def get_queryset(self) -> QuerySet[Programme]:
        indicators = Indicator.objects.order_by("sort_order", "code")
        return (
            Programme.objects.filter(is_active=True)
            .order_by("sort_order", "name")
            .prefetch_related(Prefetch("indicators", queryset=indicators))
        )


@extend_schema_view(
    get=extend_schema(
        summary=_("Sichtbare KI"),
        description=_(
            "Die KI, deren Zahlen Sie sehen dürfen, mit Einwohnerzahl (und Stand) und dem "
            "Stand ihrer Daten."
        ),
    )
)
class KiList(LandView, generics.ListAPIView):
    # the KIs in the viewer's scope, with population and data freshness

    serializer_class = s.KiSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tenants = [t for t in land_tenants() if self.seen.includes(t)]
        fresh = dict(
            Fact.objects.filter(tenant__in=tenants)
            .values("tenant_id")
            .annotate(latest=Max("computed_at"))
            .values_list("tenant_id", "latest")
        )
        for t in tenants:
            t.computed_at = fresh.get(t.pk)  # type: ignore[attr-defined]
        return Response(self.get_serializer(tenants, many=True).data)


class FiguresView(LandView):
    serializer_class = s.FiguresSerializer

    @extend_schema(
        parameters=[FiguresMonthQuery],
        summary=_("Geschützte Zahlen einer Kennzahl je KI"),
        description=_(
            "Die Tabelle des Dashboards: je KI im eigenen Zugriffsbereich, dann die Summen "
            "je Regierungsbezirk und (nur mit Sicht auf das ganze Land) für NRW."
        ),
    )
    def get(self, request: Request) -> Response:
        params = self.query(FiguresMonthQuery)
        indicator, year, month = params["indicator"], params["year"], params.get("month")
        data = indicator_table(indicator, year, month)
        rows = dashboard.ki_rows(data, self.seen, "name") + dashboard.rollup_rows(data, self.seen)
        body = {"indicator": indicator, "year": year, "month": month, "rows": rows}
        return Response(self.get_serializer(body).data)


class TrendView(LandView):
    serializer_class = s.TrendSerializer

    @extend_schema(
        parameters=[FiguresQuery],
        summary=_("Summe je Monat eines Jahres"),
        description=_(
            "Die Summe des eigenen Bereichs (Land oder Regierungsbezirk) je Monat, wie im "
            "Dashboard geschützt."
        ),
    )
    def get(self, request: Request) -> Response:
        params = self.query(FiguresQuery)
        indicator, year = params["indicator"], params["year"]
        seen = self.seen
        source, tenants = indicator_year(indicator, year), land_tenants()
        data = indicator_table(indicator, year, tenants=tenants, source=source)
        rollups = dashboard.rollup_rows(data, seen)
        total = rollups[-1] if rollups else None
        points = (
            trend(indicator, year, seen, total.cell, tenants=tenants, source=source)
            if total is not None
            else []
        )
        area = total.name if total is not None else ""
        body = {"indicator": indicator, "year": year, "area": area, "months": points}
        return Response(self.get_serializer(body).data)
