"""The KI's own overview: this year's figures per enrolled programme, and what comes next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kinrw.catalogue.models import Indicator, Programme
from kinrw.workspace.figures import monthly_totals_cached
from kinrw.workspace.models import Session
from kinrw.workspace.selectors import enrolment_list


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    months: list[Decimal | None]  # January … December; None: nothing recorded
    total: Decimal


@dataclass(frozen=True)
class ProgrammeFigures:
    programme: Programme
    rows: list[IndicatorRow]


def programme_figures(*, year: int) -> list[ProgrammeFigures]:
    enrolments = list(enrolment_list(year=year).prefetch_related("programme__indicators"))
    indicators = [i for e in enrolments for i in e.programme.indicators.all() if i.is_active]
    values = monthly_totals_cached(indicators=indicators, year=year)
    result = []
    for enrolment in enrolments:
        rows = []
        for indicator in enrolment.programme.indicators.all():
            by_month = values.get(indicator.pk, {})
            months = [by_month.get(m) for m in range(1, 13)]
            rows.append(
                IndicatorRow(
                    indicator=indicator, months=months, total=sum(by_month.values(), Decimal(0))
                )
            )
        result.append(ProgrammeFigures(programme=enrolment.programme, rows=rows))
    return result


def upcoming_sessions(*, today: dt.date, limit: int = 10) -> list[Session]:
    return list(
        Session.objects.filter(
            date__gte=today, is_deleted=False, cancelled=False, measure__is_deleted=False
        )
        .select_related("measure")
        .order_by("date", "starts_at")[:limit]
    )
