"""Facts from a KI's figures: compute, write (replay-safe), compare.

Everything is computed with :mod:`kinrw.workspace.figures` only, so a fact
means what the KI's own overview shows. :func:`recompute` is what a task calls
for one KI and a set of months; :func:`verify` computes without writing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from kinrw.catalogue.models import Indicator, Programme
from kinrw.state.facts import Fact
from kinrw.tenancy.context import in_public, in_tenant
from kinrw.tenancy.models import Status, Tenant
from kinrw.workspace import figures

# (indicator id, first day of the month, breakdown code, value code); "" = the total
Cell = tuple[int, dt.date, str, str]
# pg_advisory_xact_lock(namespace, tenant id): one writer of a KI's facts at a time
LOCK_NAMESPACE = 4_104


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_of(year: int) -> list[dt.date]:
    return [dt.date(year, month, 1) for month in range(1, 13)]


def default_years() -> list[int]:
    """From the first year a programme of the catalogue ran, to this year."""
    this_year = timezone.localdate().year
    with in_public():
        first = Programme.objects.order_by("active_from").values_list("active_from", flat=True)
        start = min(first.first() or this_year, this_year)
    return list(range(start, this_year + 1))


def month_ranges(months: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive months merged: [(first day, first day after the range), …]."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for month in sorted({month_start(m) for m in months}):
        following = (month + dt.timedelta(days=32)).replace(day=1)
        if ranges and ranges[-1][1] == month:
            ranges[-1] = (ranges[-1][0], following)
        else:
            ranges.append((month, following))
    return ranges


def compute(
    tenant: Tenant, months: Iterable[dt.date], indicators: list[Indicator] | None = None
) -> tuple[int, dict[Cell, Decimal]]:
    """The KI's generation (read first) and its figures of those months; writes nothing.

    Totals and every declared breakdown of every indicator of the catalogue
    (inactive ones too: counts may still refer to them); one query per run of
    consecutive months.
    """
    if indicators is None:
        with in_public():
            indicators = list(Indicator.objects.order_by("pk"))
    cells: dict[Cell, Decimal] = {}
    with in_tenant(tenant):
        generation = figures.generation()
        for start, end in month_ranges(months):
            cells.update(figures.monthly_cells(indicators=indicators, start=start, end=end))
    return generation, cells


def recompute(tenant: Tenant, months: Iterable[dt.date]) -> int:
    """Make the KI's facts of those months equal its figures; return how many it now has.

    Upserts what exists and deletes what no longer does (no increments, so a
    replay changes nothing), in one transaction per KI, locked against a
    concurrent recompute of the same KI.
    """
    months = sorted({month_start(m) for m in months})
    if not months:
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, tenant.pk])
        with in_public():
            indicators = list(Indicator.objects.order_by("pk"))
        generation, cells = compute(tenant, months, indicators)
        programme_of = {i.pk: i.programme_id for i in indicators}
        with in_public():
            stored = Fact.objects.filter(tenant=tenant, period__in=months)
            stale = [
                pk
                for pk, *key in stored.values_list(
                    "pk", "indicator_id", "period", "breakdown", "value_code"
                )
                if tuple(key) not in cells
            ]
            Fact.objects.filter(pk__in=stale).delete()
            now = timezone.now()
            Fact.objects.bulk_create(
                [
                    Fact(
                        tenant=tenant,
                        programme_id=programme_of[indicator_id],
                        indicator_id=indicator_id,
                        period=period,
                        breakdown=breakdown,
                        value_code=value_code,
                        value=value,
                        computed_at=now,
                        source_generation=generation,
                    )
                    for (indicator_id, period, breakdown, value_code), value in cells.items()
                ],
                update_conflicts=True,
                unique_fields=["tenant", "indicator", "period", "breakdown", "value_code"],
                update_fields=["programme", "value", "computed_at", "source_generation"],
                batch_size=2000,
            )
    return len(cells)


@dataclass(frozen=True)
class Drift:
    """A cell where the stored fact differs from a fresh computation (None = missing)."""

    tenant: str
    indicator: str  # "programme/indicator"
    period: dt.date
    breakdown: str
    value_code: str
    expected: Decimal | None
    stored: Decimal | None


def verify(tenant: Tenant | None = None, years: Iterable[int] | None = None) -> list[Drift]:
    """Compare the stored facts with a fresh computation; writes nothing."""
    with in_public():
        tenants = [tenant] if tenant else list(active_tenants())
        codes = {
            i.pk: f"{i.programme.code}/{i.code}"
            for i in Indicator.objects.select_related("programme")
        }
    base = set(years) if years is not None else set(default_years())
    drifts: list[Drift] = []
    for ki in tenants:
        with in_public():
            facts = Fact.objects.filter(tenant=ki)
            if years is not None:
                facts = facts.filter(period__year__in=base)
            stored = {
                (f.indicator_id, f.period, f.breakdown, f.value_code): f.value
                for f in facts.only("indicator_id", "period", "breakdown", "value_code", "value")
            }
        span = base | {period.year for _, period, _, _ in stored}
        _, expected = compute(ki, [m for year in sorted(span) for m in months_of(year)])
        for key in sorted(set(stored) | set(expected)):
            if stored.get(key) != expected.get(key):
                indicator_id, period, breakdown, value_code = key
                drifts.append(
                    Drift(
                        tenant=ki.slug,
                        indicator=codes.get(indicator_id, str(indicator_id)),
                        period=period,
                        breakdown=breakdown,
                        value_code=value_code,
                        expected=expected.get(key),
                        stored=stored.get(key),
                    )
                )
    return drifts


def active_tenants() -> QuerySet[Tenant]:
    """The KIs whose figures count: active and suspended, not archived (public schema)."""
    return Tenant.objects.exclude(status=Status.ARCHIVED).order_by("slug")
