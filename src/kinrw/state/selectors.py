"""Reads of the Land side: protected figure tables from facts, and who may see what.

Every table the Land sees is built here, once per indicator and period, and goes
through :func:`kinrw.state.disclosure.protect` over all KIs of the registry. A
Bezirksregierung sees a subset of that same protected Land table (``Scope``), never
a table protected on its own (two suppression patterns could be combined).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, QuerySet

from kinrw.catalogue.models import Indicator
from kinrw.state import disclosure
from kinrw.state.disclosure import KiFigures, ProtectedCell, ProtectedTable
from kinrw.state.facts import Fact
from kinrw.state.models import LandRole
from kinrw.state.periods import SubmittedFact, closed_period
from kinrw.tenancy.models import Status, Tenant


@dataclass(frozen=True)
class Scope:
    """The KIs a Land user may see figures of: all, or those of one Regierungsbezirk."""

    bezirk: str = ""  # "" = the whole Land

    def includes(self, tenant: Tenant) -> bool:
        return not self.bezirk or tenant.regierungsbezirk == self.bezirk

    @property
    def whole_land(self) -> bool:
        return not self.bezirk


def scope(user: object) -> Scope | None:
    """Which KIs' figures ``user`` may see; None: no figures at all.

    Ministerium and LaKI: every KI. Bezirksregierung: the KIs of its
    Regierungsbezirk. Plattformbetrieb (operations only) and anyone without a Land
    account: none.
    """
    access = (
        getattr(user, "land_access", None) if getattr(user, "is_authenticated", False) else None
    )
    if access is None:
        return None
    if access.role in (LandRole.MINISTERIUM, LandRole.LAKI):
        return Scope()
    if access.role == LandRole.BEZIRKSREGIERUNG and access.regierungsbezirk:
        return Scope(bezirk=access.regierungsbezirk)
    return None


LAND_FIELDS = ("id", "slug", "ags", "name", "regierungsbezirk", "population", "population_date")


def land_tenants() -> list[Tenant]:
    """Every KI of the registry that is not archived, by name (the fields the Land's
    pages use)."""
    return list(
        Tenant.objects.exclude(status=Status.ARCHIVED).only(*LAND_FIELDS).order_by("name", "ags")
    )


@dataclass(frozen=True)
class IndicatorTable:
    indicator: Indicator
    year: int
    month: int | None
    tenants: list[Tenant]
    table: ProtectedTable
    computed_at: dict[int, dt.datetime]  # tenant id -> latest fact of the indicator and year
    has_facts: bool  # any KI has a figure in this period

    def bezirke(self) -> list[str]:
        return sorted({t.regierungsbezirk for t in self.tenants})


@dataclass(frozen=True)
class IndicatorYear:
    """An indicator's facts of one year as the Land sees them: per KI and month, and
    when each KI's latest figure of the indicator arrived. Read once per page and
    shared by the year table and the twelve months of the trend."""

    values: dict[int, dict[int, Decimal]]  # tenant id -> month -> value
    computed_at: dict[int, dt.datetime]  # tenant id -> latest fact of the indicator and year

    def total(self, tenant_id: int, month: int | None) -> Decimal | None:
        months = self.values.get(tenant_id)
        if not months:
            return None
        if month is not None:
            return months.get(month)
        return sum(months.values())


def figures(year: int) -> QuerySet[Fact] | QuerySet[SubmittedFact]:
    """The facts the Land sees for ``year``: as submitted if the year is closed, else current."""
    period = closed_period(year)
    if period is None:
        return Fact.objects.all()
    return SubmittedFact.objects.filter(reporting_period=period)


def indicator_year(indicator: Indicator, year: int) -> IndicatorYear:
    """Two queries: the indicator's monthly totals of ``year`` per KI, and freshness."""
    values: dict[int, dict[int, Decimal]] = {}
    rows = figures(year).filter(indicator=indicator, breakdown="", period__year=year)
    for tenant_id, period, value in rows.values_list("tenant_id", "period", "value"):
        values.setdefault(tenant_id, {})[period.month] = value
    # when each KI's figures of this indicator and year were last computed (current
    # facts also for a closed year: the submitted ones keep no time)
    fresh = dict(
        Fact.objects.filter(indicator=indicator, breakdown="", period__year=year)
        .values("tenant_id")
        .annotate(latest=Max("computed_at"))
        .values_list("tenant_id", "latest")
    )
    return IndicatorYear(values, fresh)


def indicator_table(
    indicator: Indicator,
    year: int,
    month: int | None = None,
    *,
    tenants: Sequence[Tenant] | None = None,
    source: IndicatorYear | None = None,
) -> IndicatorTable:
    """Per KI the year's (or month's) total of ``indicator``, protected with the
    Regierungsbezirk and Land totals. A KI without facts has no value ("–").

    ``source``: the indicator's year, when the caller has read it already.
    """
    tenants = list(tenants) if tenants is not None else land_tenants()
    source = source if source is not None else indicator_year(indicator, year)
    rows = [
        KiFigures(t.slug, t.regierungsbezirk, _number(source.total(t.id, month))) for t in tenants
    ]
    table = disclosure.protect(rows, counts_persons=indicator.counts_persons)
    has_facts = any(row.value is not None for row in rows)
    return IndicatorTable(indicator, year, month, tenants, table, source.computed_at, has_facts)


def _number(value: Decimal | None) -> int | Decimal | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


@dataclass(frozen=True)
class TrendPoint:
    month: int
    cell: ProtectedCell


def trend(
    indicator: Indicator,
    year: int,
    seen: Scope,
    year_total: ProtectedCell,
    *,
    tenants: Sequence[Tenant] | None = None,
    source: IndicatorYear | None = None,
) -> list[TrendPoint]:
    """The scope's total (Land or Regierungsbezirk) per month of ``year``.

    Each month is a cell of that month's protected Land table. Since the months add
    up to the published year total, the series is one more additive group: a hidden
    month that would follow from the year and the other months hides another month.
    """
    tenants = list(tenants) if tenants is not None else land_tenants()
    source = source if source is not None else indicator_year(indicator, year)
    key = disclosure.LAND if seen.whole_land else disclosure.bezirk_key(seen.bezirk)
    cells = []
    for month in range(1, 13):
        table = indicator_table(indicator, year, month, tenants=tenants, source=source).table
        cells.append(table.cells.get(key, disclosure.ProtectedCell(None, disclosure.NOTHING)))
    return [TrendPoint(m, c) for m, c in enumerate(protect_series(year_total, cells), start=1)]


def protect_series(total: ProtectedCell, cells: list[ProtectedCell]) -> list[ProtectedCell]:
    """Hide more months until no hidden month follows from the total and the others."""
    cells = list(cells)
    while True:
        hidden = [c for c in cells if c.hidden]
        shown = [(c.value or 0, i) for i, c in enumerate(cells) if not c.hidden and c.value]
        if total.hidden:
            leaks = not hidden and any(c.value for c in cells)
        elif not hidden:
            leaks = False
        else:
            rest = (total.value or 0) - sum(v for v, _i in shown)
            leaks = len(hidden) == 1 or rest <= len(hidden)
        if not leaks or not shown:
            return cells
        _value, index = min(shown)
        cells[index] = ProtectedCell(None, disclosure.CONFIDENTIAL, disclosure.SECONDARY)
