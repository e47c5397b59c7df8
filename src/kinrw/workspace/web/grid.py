"""The month grid of a measure: all sessions of a month in one table, saved in one go."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateformat import format as date_format
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _g

from kinrw.catalogue.models import Indicator
from kinrw.workspace import services
from kinrw.workspace.models import Measure
from kinrw.workspace.roles import Action, Area, require
from kinrw.workspace.selectors import month_sessions, programme_indicators
from kinrw.workspace.services import GridErrors, WorkspaceError
from kinrw.workspace.web.base import area_view, may_write
from kinrw.workspace.web.grid_rows import (
    Row,
    attach_errors,
    month_bounds,
    rows_from_post,
    rows_from_sessions,
)


def _neighbours(year: int, month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    prev = (year - 1, 12) if month == 1 else (year, month - 1)
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return prev, nxt


def _label(rows: list[Row]) -> None:
    """Each row's name (its header): the session's day and time, or „Neuer Termin n“."""
    n = 0
    for row in rows:
        if row.session is not None:
            s = row.session
            text = date_format(s.date, "D, d.m.Y")
            row.extra["label"] = f"{text}, {s.starts_at:%H:%M}" if s.starts_at else text
        else:
            n += 1
            row.extra["label"] = _g("Neuer Termin %(n)s") % {"n": n}


def _summary(rows: list[Row], indicators: list[Indicator]) -> list[tuple[str, str]]:
    """(anchor, text) of every bad cell, for the list of errors above the grid."""
    columns = {
        "col-datum": _g("Datum"),
        "col-uhrzeit": _g("Beginn"),
        "col-ausgefallen": _g("ausgefallen"),
        "col-ehrenamtliche": _g("Ehrenamtliche"),
        **{f"col-n{j}": i.label for j, i in enumerate(indicators)},
    }
    items = []
    for row in rows:
        if row.error:
            items.append((row.head_id, f"{row.extra['label']}: {row.error}"))
        for cell in row.cells:
            if cell.error:
                items.append(
                    (cell.name, f"{row.extra['label']}, {columns[cell.column]}: {cell.error}")
                )
    return items


@area_view(Area.SESSIONS)
def measure_month(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    measure = get_object_or_404(
        Measure.objects.select_related("programme"), pk=pk, is_deleted=False
    )
    indicators = programme_indicators(programme=measure.programme)
    sessions = month_sessions(measure=measure, year=year, month=month)
    can_write = may_write(request, Area.SESSIONS)
    error = ""
    if request.method == "POST":
        require(request.user, Action.WRITE, Area.SESSIONS)  # type: ignore[arg-type]
        rows, grid = rows_from_post(request.POST, sessions, indicators)
        try:
            result = services.sessions_save_month(
                actor=request.user,  # type: ignore[arg-type]
                measure=measure,
                year=year,
                month=month,
                rows=grid,
            )
        except GridErrors as exc:
            attach_errors(rows, exc.errors)
            error = exc.message
        except WorkspaceError as exc:
            error = exc.message
        else:
            if result.created or result.updated:
                messages.success(
                    request,
                    _g("Gespeichert: %(new)s neue und %(changed)s geänderte Termine.")
                    % {"new": result.created, "changed": result.updated},
                )
            else:
                messages.info(request, _g("Keine Änderungen; es wurde nichts gespeichert."))
            return redirect("ws:measure_month", pk=measure.pk, year=year, month=month)
    else:
        rows = rows_from_sessions(sessions, indicators)
    first, last = month_bounds(year, month)
    outside = last < measure.starts_on or (measure.ends_on is not None and first > measure.ends_on)
    if (outside or not can_write) and request.method != "POST":
        rows = [r for r in rows if r.session is not None]
    _label(rows)
    (py, pm), (ny, nm) = _neighbours(year, month)
    context = {
        "measure": measure,
        "indicators": indicators,
        "rows": rows,
        "row_count": len(rows),
        "error": error,
        "summary": _summary(rows, indicators),
        "month_name": f"{MONTHS[month]} {year}",
        "first": first,
        "last": last,
        "outside": outside,
        "prev": {"year": py, "month": pm, "name": f"{MONTHS[pm]} {py}"},
        "next": {"year": ny, "month": nm, "name": f"{MONTHS[nm]} {ny}"},
        "can_write": can_write,
    }
    return render(request, "workspace/measures/month.html", context)
