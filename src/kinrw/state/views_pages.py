"""A page per KI and a page per programme (KIs ranked) on the Land host.

Every figure is the KI's cell of the same protected Land table as the dashboard
(:func:`kinrw.state.selectors.indicator_table`, one ``protect()`` per indicator and
year over all KIs). Only year values are shown: month values next to their year would
need the months protected together with it (see docs/state.md). Hidden KIs are not
ranked: they follow the ranked ones by name, so their order says nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kinrw.catalogue.models import Indicator, Programme
from kinrw.state import dashboard
from kinrw.state import map as ki_map
from kinrw.state.dashboard import Row
from kinrw.state.facts import Fact
from kinrw.state.selectors import IndicatorTable, Scope, indicator_table, land_tenants, scope
from kinrw.state.views_dashboard import NO_FIGURES, _int
from kinrw.state.views_map import _require_land_user
from kinrw.tenancy.models import Status, Tenant


@dataclass(frozen=True)
class KiFigure:
    indicator: Indicator
    row: Row


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # None: hidden or nothing reported, not ranked
    row: Row
    slug: str


@dataclass(frozen=True)
class Ranking:
    indicator: Indicator
    ranked: list[Ranked]
    has_facts: bool


def _scope(request: HttpRequest) -> Scope | HttpResponse:
    if (redirect := _require_land_user(request)) is not None:
        return redirect
    seen = scope(request.user)
    if seen is None:
        raise PermissionDenied(NO_FIGURES)
    return seen


def _years(programmes: list[Programme]) -> list[int]:
    this_year = timezone.localdate().year
    first = min((p.active_from for p in programmes), default=this_year)
    return list(range(this_year, max(first, this_year - 15) - 1, -1))


def _programmes() -> list[Programme]:
    return list(Programme.objects.filter(is_active=True).order_by("sort_order", "name"))


def _indicators(programme: Programme) -> list[Indicator]:
    return list(programme.indicators.filter(is_active=True).order_by("sort_order", "code"))


def ki_view(request: HttpRequest, slug: str) -> HttpResponse:
    seen = _scope(request)
    if isinstance(seen, HttpResponse):
        return seen
    tenant = get_object_or_404(Tenant.objects.exclude(status=Status.ARCHIVED), slug=slug)
    if not seen.includes(tenant):
        raise Http404
    programmes = _programmes()
    years = _years(programmes)
    year = _int(request.GET.get("jahr"), years, years[0])
    facts = Fact.objects.filter(tenant=tenant)
    reported = set(facts.values_list("indicator_id", flat=True).distinct())
    latest: dt.datetime | None = facts.aggregate(latest=Max("computed_at"))["latest"]
    tenants = land_tenants()
    sections = []
    for programme in programmes:
        figures = [
            KiFigure(indicator, _ki_row(indicator_table(indicator, year, tenants=tenants), tenant))
            for indicator in _indicators(programme)
            if indicator.pk in reported
        ]
        if figures:
            sections.append({"programme": programme, "figures": figures})
    return render(
        request,
        "state/ki.html",
        {
            "ki": tenant,
            "population": ki_map.german_number(Decimal(tenant.population)),
            "years": years,
            "year": year,
            "latest": latest,
            "sections": sections,
        },
    )


def _ki_row(data: IndicatorTable, tenant: Tenant) -> Row:
    cell = data.table.ki(tenant.slug)
    t = tenant
    rate = dashboard.rate(cell, t.population)
    return Row("ki", t.ags, t.name, t.regierungsbezirk, cell, rate, data.computed_at.get(t.pk))


def programme_view(request: HttpRequest, code: str) -> HttpResponse:
    seen = _scope(request)
    if isinstance(seen, HttpResponse):
        return seen
    programme = get_object_or_404(Programme, code=code, is_active=True)
    years = _years(_programmes())
    year = _int(request.GET.get("jahr"), years, years[0])
    per_capita = request.GET.get("bezug") == "einwohner"
    tenants = land_tenants()
    rankings = []
    for indicator in _indicators(programme):
        data = indicator_table(indicator, year, tenants=tenants)
        ranked = ranking(data, seen, per_capita=per_capita)
        rankings.append(Ranking(indicator, ranked, data.has_facts))
    return render(
        request,
        "state/programme.html",
        {
            "programme": programme,
            "years": years,
            "year": year,
            "per_capita": per_capita,
            "scope": seen,
            "rankings": rankings,
        },
    )


def ranking(data: IndicatorTable, seen: Scope, *, per_capita: bool) -> list[Ranked]:
    """The KIs in scope ranked by their published value (or rate), highest first.

    Ties share a rank (1, 2, 2, 4). KIs without a published positive number (hidden
    ".", or "–") follow unranked, by name: never ordered by a hidden value.
    """
    slugs = {t.ags: t.slug for t in data.tenants}
    rows = dashboard.ki_rows(data, seen, "name")
    published = [r for r in rows if not r.cell.symbol]
    others = [r for r in rows if r.cell.symbol]

    def number(r: Row) -> Decimal:
        return Decimal((r.rate if per_capita else r.cell.value) or 0)

    published.sort(key=number, reverse=True)  # stable: equal numbers stay by name
    ranked: list[Ranked] = []
    for index, row in enumerate(published):
        same = ranked and number(ranked[-1].row) == number(row)
        rank = ranked[-1].rank if same else index + 1
        ranked.append(Ranked(rank, row, slugs[row.ags]))
    return ranked + [Ranked(None, r, slugs[r.ags]) for r in others]
