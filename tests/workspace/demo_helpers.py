"""Helpers for the demo data tests: a comparable picture of a KI's data, and its invariants."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import holidays
from django.db.models import Sum

from kinrw.catalogue.models import Indicator
from kinrw.tenancy.models import Tenant
from kinrw.tenancy.selectors import gemeinden_of
from kinrw.workspace.figures import COUNTING, monthly_breakdown, monthly_totals
from kinrw.workspace.models import (
    ContactPerson,
    CooperationAgreement,
    Enrolment,
    Gremium,
    GremiumMeeting,
    Measure,
    Membership,
    Organisation,
    Session,
    SessionCount,
)

DEMO_MODELS = [
    Enrolment,
    Organisation,
    ContactPerson,
    CooperationAgreement,
    Gremium,
    GremiumMeeting,
    Measure,
    Session,
    SessionCount,
    Membership,
]


def row_counts() -> dict[str, int]:
    """Rows per workspace table of the current KI."""
    return {m.__name__: m.objects.count() for m in DEMO_MODELS}


def fingerprint() -> dict[str, Any]:
    """Everything generated, without ids or timestamps: equal for equal data."""
    counts = (
        SessionCount.objects.values_list(
            "session__measure__title",
            "session__date",
            "indicator__programme__code",
            "indicator__code",
            "breakdown",
            "value_code",
        )
        .annotate(total=Sum("value"))
        .order_by()
    )
    return {
        "enrolments": sorted(
            Enrolment.objects.values_list("programme__code", "year", "granted_amount")
        ),
        "organisations": sorted(
            Organisation.objects.values_list("name", "kind", "street", "postcode", "gemeinde__ags")
        ),
        "contacts": sorted(
            ContactPerson.objects.values_list("organisation__name", "name", "email", "phone")
        ),
        "agreements": sorted(
            CooperationAgreement.objects.values_list("organisation__name", "kind", "starts_on")
        ),
        "meetings": sorted(GremiumMeeting.objects.values_list("gremium__name", "held_on", "topic")),
        "measures": sorted(
            (m.title, m.programme.code, m.starts_on, m.ends_on, m.status, tuple(m.languages))
            for m in Measure.objects.select_related("programme")
        ),
        "sessions": sorted(
            Session.objects.values_list(
                "measure__title", "date", "cancelled", "volunteers_present", "note"
            )
        ),
        "counts": sorted(counts),
    }


def check_invariants(tenant: Tenant, today: dt.date) -> None:
    """The rules the services enforce, checked on generated data."""
    area = set(gemeinden_of(tenant=tenant).values_list("pk", flat=True))
    enrolled = set(Enrolment.objects.values_list("programme_id", "year"))
    for measure in Measure.objects.select_related("programme").prefetch_related("gemeinden"):
        assert measure.programme.runs_in(measure.starts_on.year)
        assert (measure.programme_id, measure.starts_on.year) in enrolled
        assert {g.pk for g in measure.gemeinden.all()} <= area
        assert measure.ends_on is None or measure.ends_on >= measure.starts_on
    assert set(Organisation.objects.values_list("gemeinde_id", flat=True)) <= area
    emails = ContactPerson.objects.values_list("email", flat=True)
    assert emails and all(e.endswith("@example.org") for e in emails)
    closed = holidays.country_holidays("DE", subdiv="NW", years=range(2000, 2031))
    assert not [d for d in Session.objects.values_list("date", flat=True) if d in closed]
    not_counted = SessionCount.objects.exclude(**COUNTING) | SessionCount.objects.filter(
        session__date__gt=today
    )
    assert not not_counted.exists(), "counts on cancelled or future sessions"
    # every breakdown of every session adds up to the session's total
    totals: dict[tuple[int, int], Decimal] = {}
    cells: dict[tuple[int, int, str], Decimal] = defaultdict(Decimal)
    for session, indicator, breakdown, value in SessionCount.objects.values_list(
        "session_id", "indicator_id", "breakdown", "value"
    ):
        if breakdown:
            cells[(session, indicator, breakdown)] += value
        else:
            totals[(session, indicator)] = value
    assert cells, "no breakdown cells at all"
    for (session, indicator, _), value in cells.items():
        assert totals[(session, indicator)] == value


def check_figures(years: list[int]) -> int:
    """figures.monthly_* equal direct sums; returns how many non-empty months were compared."""
    compared = 0
    for indicator in Indicator.objects.filter(programme__in=Measure.objects.values("programme")):
        for year in years:
            totals = monthly_totals(indicator=indicator, year=year)
            direct: dict[int, Decimal] = defaultdict(Decimal)
            for date, value in SessionCount.objects.filter(
                indicator=indicator, breakdown="", session__date__year=year, **COUNTING
            ).values_list("session__date", "value"):
                direct[date.month] += value
            assert totals == dict(direct), indicator.code
            for breakdown in indicator.breakdowns:
                by_month: dict[int, Decimal] = defaultdict(Decimal)
                for (month, _), value in monthly_breakdown(
                    indicator=indicator, year=year, breakdown=breakdown
                ).items():
                    by_month[month] += value
                assert dict(by_month) == totals, (indicator.code, breakdown)
            compared += len(totals)
    return compared
