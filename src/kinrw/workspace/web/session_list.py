"""Tables of sessions: the KI-wide list ``/termine/`` and the columns a measure's page reuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from kinrw.catalogue.models import Programme
from kinrw.workspace.models import MeasureStatus, Session
from kinrw.workspace.roles import Area
from kinrw.workspace.selectors import session_list as select_sessions
from kinrw.workspace.selectors import session_months, session_search
from kinrw.workspace.web.base import area_view, may_write
from kinrw.workspace.web.listing import Column, Filter, list_response


def number(value: Decimal) -> str:
    """A figure as Germans write it: no trailing zeros, decimal comma."""
    return format(value.normalize(), "f").replace(".", ",")


def figures_text(session: Session) -> str:
    """The entered totals of a session (needs ``session_list``/``measure_sessions``)."""
    return "; ".join(f"{c.indicator.label}: {number(c.value)}" for c in session.totals)  # type: ignore[attr-defined]


def month_label(day: dt.date) -> str:
    return f"{MONTHS[day.month]} {day.year}"


def month_filter(measure: object | None = None) -> Filter:
    """Filter ``monat=JJJJ-MM`` offering the months that have sessions."""

    def choices() -> list[tuple[str, str]]:
        return [(f"{d:%Y-%m}", month_label(d)) for d in session_months(measure=measure)]  # type: ignore[arg-type]

    def apply(qs: QuerySet[Session], value: str) -> QuerySet[Session]:
        year, month = value.split("-")
        return qs.filter(date__year=int(year), date__month=int(month))

    return Filter("monat", _("Monat"), choices, apply)


def session_url(session: Session) -> str:
    return reverse("ws:session_detail", args=[session.pk])


DATE = Column("datum", _("Datum"), lambda s: s.date, sort=("date", "starts_at"), link=session_url)
TIME = Column("uhrzeit", _("Beginn"), lambda s: s.starts_at, sort="starts_at")
CANCELLED = Column("ausgefallen", _("ausgefallen"), lambda s: s.cancelled, sort="cancelled")
VOLUNTEERS = Column(
    "ehrenamtliche",
    _("Ehrenamtliche"),
    lambda s: s.volunteers_present,
    sort="volunteers_present",
    numeric=True,
)
FIGURES = Column("zahlen", _("Erfasste Zahlen"), figures_text)

COLUMNS = [
    DATE,
    TIME,
    Column(
        "massnahme",
        _("Maßnahme"),
        lambda s: s.measure.title,
        sort="measure__title",
        link=lambda s: reverse("ws:measure_detail", args=[s.measure_id]),
    ),
    Column("programm", _("Programm"), lambda s: s.measure.programme.name),
    CANCELLED,
    VOLUNTEERS,
    FIGURES,
]


def _programmes() -> list[tuple[str, str]]:
    return list(Programme.objects.filter(is_active=True).values_list("code", "name"))


FILTERS = [
    Filter(
        "programm",
        _("Programm"),
        _programmes,
        lambda qs, v: qs.filter(measure__programme__code=v),
    ),
    Filter(
        "status",
        _("Status der Maßnahme"),
        lambda: MeasureStatus.choices,
        lambda qs, v: qs.filter(measure__status=v),
    ),
]


@area_view(Area.SESSIONS)
def session_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        queryset=select_sessions(),
        title=_("Termine"),
        columns=COLUMNS,
        filters=[month_filter(), *FILTERS],
        search=session_search,
        search_label=_("Maßnahme oder Notiz enthält"),
        default_sort="-datum",
        template="workspace/sessions/list.html",
        export_name="termine",
        empty_text=_(
            "Noch keine Termine. Öffnen Sie eine Maßnahme und legen Sie dort einen Termin oder "
            "eine wöchentliche Terminreihe an."
        ),
        context={"can_write": may_write(request, Area.SESSIONS)},
    )
