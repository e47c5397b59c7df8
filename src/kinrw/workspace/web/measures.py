"""Pages for measures (Maßnahmen): list, detail, forms, delete."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_AP
from django.utils.translation import gettext_lazy as _

from kinrw.catalogue.models import Breakdown, Programme
from kinrw.workspace.figures import monthly_totals_many
from kinrw.workspace.models import Measure, MeasureStatus, TargetGroup
from kinrw.workspace.overview import IndicatorRow
from kinrw.workspace.roles import Area
from kinrw.workspace.selectors import measure_list as select_measures
from kinrw.workspace.selectors import (
    measure_sessions,
    programme_indicators,
)
from kinrw.workspace.web import session_list as sessions
from kinrw.workspace.web.base import area_view, may_write
from kinrw.workspace.web.documents import section_context
from kinrw.workspace.web.listing import Column, Filter, list_response


def _search(qs: QuerySet[Measure], term: str) -> QuerySet[Measure]:
    return qs.filter(Q(title__icontains=term) | Q(description__icontains=term))


def _programme_choices() -> list[tuple[str, str]]:
    return list(Programme.objects.filter(is_active=True).values_list("code", "name"))


COLUMNS = [
    Column(
        "titel",
        _("Titel"),
        lambda m: m.title,
        sort="title",
        link=lambda m: reverse("ws:measure_detail", args=[m.pk]),
    ),
    Column("programm", _("Programm"), lambda m: m.programme.name, sort="programme__sort_order"),
    Column("status", _("Status"), lambda m: m.get_status_display(), sort="status"),
    Column("beginn", _("Beginn"), lambda m: m.starts_on, sort="starts_on"),
    Column("ende", _("Ende"), lambda m: m.ends_on, sort="ends_on"),
    Column("gemeinden", _("Gemeinden"), lambda m: ", ".join(g.name for g in m.gemeinden.all())),
    Column("partner", _("Partnerorganisation"), lambda m: m.partner.name if m.partner else None),
]

FILTERS = [
    Filter(
        "status",
        _("Status"),
        lambda: MeasureStatus.choices,
        lambda qs, v: qs.filter(status=v),
    ),
    Filter(
        "programm",
        _("Programm"),
        _programme_choices,
        lambda qs, v: qs.filter(programme__code=v),
    ),
]


@area_view(Area.MEASURES)
def measure_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        queryset=select_measures(),
        title=_("Maßnahmen"),
        columns=COLUMNS,
        filters=FILTERS,
        search=_search,
        search_label=_("Titel oder Beschreibung enthält"),
        default_sort="-beginn",
        template="workspace/measures/list.html",
        export_name="massnahmen",
        empty_text=_(
            "Noch keine Maßnahmen. Legen Sie die erste an: Titel, Programm und Beginn genügen."
        ),
        context={"can_write": may_write(request, Area.MEASURES)},
    )


SESSION_COLUMNS = [
    sessions.DATE,
    sessions.TIME,
    Column("dauer", _("Dauer (Minuten)"), lambda s: s.duration_minutes, sort="duration_minutes"),
    sessions.CANCELLED,
    sessions.VOLUNTEERS,
    sessions.FIGURES,
    Column("notiz", _("Notiz"), lambda s: s.note),
]


def language_labels(codes: list[str]) -> list[str]:
    breakdown = Breakdown.objects.filter(code="language").first()
    labels = {v["code"]: v["label"] for v in breakdown.values} if breakdown else {}
    return [labels.get(code, code) for code in codes]


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("jahr", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _years(measure: Measure, today: dt.date, year: int) -> list[int]:
    last = measure.ends_on.year if measure.ends_on else max(today.year, measure.starts_on.year)
    return sorted(set(range(measure.starts_on.year, last + 1)) | {year})


def grid_month(measure: Measure, today: dt.date) -> dt.date:
    """The month the grid opens with: this month while the measure runs, else its start or end."""
    if today < measure.starts_on:
        return measure.starts_on
    if measure.ends_on is not None and today > measure.ends_on:
        return measure.ends_on
    return today


def _figures(measure: Measure, year: int) -> list[IndicatorRow]:
    indicators = programme_indicators(programme=measure.programme)
    values = monthly_totals_many(indicators=indicators, year=year, measure=measure)
    rows = []
    for indicator in indicators:
        by_month = values.get(indicator.pk, {})
        rows.append(
            IndicatorRow(
                indicator=indicator,
                months=[by_month.get(m) for m in range(1, 13)],
                total=sum(by_month.values(), Decimal(0)),
            )
        )
    return rows


@area_view(Area.MEASURES)
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(select_measures(), pk=pk)
    today = timezone.localdate()
    year = _year(request, measure.starts_on.year if today < measure.starts_on else today.year)
    opens = grid_month(measure, today)
    return list_response(
        request,
        queryset=measure_sessions(measure=measure),
        title=_("Termine"),
        columns=SESSION_COLUMNS,
        filters=[sessions.month_filter(measure)],
        default_sort="datum",
        template="workspace/measures/detail.html",
        export_name=f"termine-massnahme-{measure.pk}",
        empty_text=_(
            "Noch keine Termine. Legen Sie einen Termin an, eine wöchentliche Terminreihe "
            "oder tragen Sie Termine im Monatsraster ein."
        ),
        context={
            "measure": measure,
            "year": year,
            "years": _years(measure, today, year),
            "months": list(MONTHS_AP.values()),
            "figures": _figures(measure, year),
            "target_group_labels": [TargetGroup(g).label for g in measure.target_groups],
            "language_labels": language_labels(measure.languages),
            "grid_year": opens.year,
            "grid_month": opens.month,
            "can_write": may_write(request, Area.MEASURES),
            "can_write_sessions": may_write(request, Area.SESSIONS),
            **section_context(
                request, measure, reverse("ws:measure_document_upload", args=[measure.pk])
            ),
        },
    )
