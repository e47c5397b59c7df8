"""The template to fill in ("Vorlage herunterladen"): per programme, or per measure with its
sessions and their counts (so that the file can be corrected and imported again)."""

from __future__ import annotations

from typing import Any

from kinrw.catalogue.models import Breakdown, Indicator, Programme
from kinrw.workspace.imports.columns import FIXED_HEADERS, template_headers
from kinrw.workspace.models import Measure


def template_table(
    *, programme: Programme, measure: Measure | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows (none per programme; the measure's sessions per measure)."""
    indicators = list(
        Indicator.objects.filter(programme=programme, is_active=True).order_by("sort_order", "code")
    )
    count_columns = template_headers(indicators, {b.code: b for b in Breakdown.objects.all()})
    headers = FIXED_HEADERS + [header for header, _ in count_columns]
    rows: list[list[Any]] = []
    if measure is None:
        return headers, rows
    sessions = (
        measure.sessions.filter(is_deleted=False)
        .prefetch_related("counts__indicator")
        .order_by("date", "starts_at", "pk")
    )
    for session in sessions:
        cells = {
            (c.indicator.code, c.breakdown, c.value_code): c.value for c in session.counts.all()
        }
        rows.append(
            [
                measure.pk,
                measure.title,
                session.date,
                session.starts_at,
                session.duration_minutes,
                session.cancelled,
                session.volunteers_present,
                session.note,
                *(cells.get(key) for _, key in count_columns),
            ]
        )
    return headers, rows
