"""Indicator values: the one place that turns a KI's session counts into figures.

The KI's own overview and the Land's state layer both call this module, so a
figure means the same everywhere: the sum of the entered values of all
sessions that took place (not cancelled, not deleted) of measures that are not
deleted, by calendar month.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import DateField, Sum
from django.db.models.functions import ExtractMonth, TruncMonth

from kinrw.catalogue.models import Indicator
from kinrw.workspace.models import FiguresState, Measure, SessionCount

COUNTING = {
    "session__cancelled": False,
    "session__is_deleted": False,
    "session__measure__is_deleted": False,
}


def _counts(indicator: Indicator, year: int):  # type: ignore[no-untyped-def]
    return SessionCount.objects.filter(indicator=indicator, session__date__year=year, **COUNTING)


def monthly_totals(*, indicator: Indicator, year: int) -> dict[int, Decimal]:
    """{month: total} for the current KI; months without sessions are absent."""
    rows = (
        _counts(indicator, year)
        .filter(breakdown="")
        .annotate(month=ExtractMonth("session__date"))
        .values("month")
        .annotate(total=Sum("value"))
        .order_by("month")
    )
    return {row["month"]: row["total"] for row in rows}


Cell = tuple[int, dt.date, str, str]  # indicator id, first of the month, breakdown, value code


def monthly_cells(
    *, indicators: list[Indicator], start: dt.date, end: dt.date
) -> dict[Cell, Decimal]:
    """Every figure of those indicators for the months from ``start`` to before ``end``
    (first days of months), in one query: the totals (breakdown and value code "") and
    the cells of the breakdowns each indicator declares. A breakdown cell never comes
    without its month's total."""
    rows = (
        SessionCount.objects.filter(
            indicator__in=indicators, session__date__gte=start, session__date__lt=end, **COUNTING
        )
        .annotate(month=TruncMonth("session__date", output_field=DateField()))
        .values_list("indicator_id", "month", "breakdown", "value_code")
        .annotate(total=Sum("value"))
        .order_by()
    )
    declared = {i.pk: set(i.breakdowns) for i in indicators}
    found = {(i, m, b, c): v for i, m, b, c, v in rows}
    return {
        (i, m, b, c): v
        for (i, m, b, c), v in found.items()
        if b == "" or (b in declared[i] and (i, m, "", "") in found)
    }


def monthly_breakdown(
    *, indicator: Indicator, year: int, breakdown: str
) -> dict[tuple[int, str], Decimal]:
    """{(month, value code): total} of one breakdown for the current KI."""
    rows = (
        _counts(indicator, year)
        .filter(breakdown=breakdown)
        .annotate(month=ExtractMonth("session__date"))
        .values("month", "value_code")
        .annotate(total=Sum("value"))
        .order_by("month", "value_code")
    )
    return {(row["month"], row["value_code"]): row["total"] for row in rows}


def monthly_totals_many(
    *, indicators: list[Indicator], year: int, measure: Measure | None = None
) -> dict[int, dict[int, Decimal]]:
    """{indicator id: {month: total}} for several indicators in one query (of the whole KI,
    or of one measure)."""
    counts = SessionCount.objects.filter(
        indicator__in=indicators, breakdown="", session__date__year=year, **COUNTING
    )
    if measure is not None:
        counts = counts.filter(session__measure=measure)
    rows = (
        counts.annotate(month=ExtractMonth("session__date"))
        .values("indicator_id", "month")
        .annotate(total=Sum("value"))
    )
    result: dict[int, dict[int, Decimal]] = {i.pk: {} for i in indicators}
    for row in rows:
        result[row["indicator_id"]][row["month"]] = row["total"]
    return result


CACHE_SECONDS = 24 * 3600


def generation() -> int:
    """The KI's figures counter: raised by database triggers with every change that can
    move a figure (measures, sessions, counts), in the same transaction."""
    value = FiguresState.objects.filter(pk=1).values_list("generation", flat=True).first()
    return value or 0


def monthly_totals_cached(
    *, indicators: list[Indicator], year: int
) -> dict[int, dict[int, Decimal]]:
    """:func:`monthly_totals_many` of the whole KI, cached until its figures change.

    The key holds the KI's schema and the counter, so a KI never gets another's
    figures and a change is visible at once after its commit.
    """
    ids = ",".join(str(pk) for pk in sorted(i.pk for i in indicators))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:16]
    key = f"kinrw:figures:{connection.schema_name}:{year}:{generation()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = monthly_totals_many(indicators=indicators, year=year)
        cache.set(key, found, CACHE_SECONDS)
    return found  # type: ignore[no-any-return]
