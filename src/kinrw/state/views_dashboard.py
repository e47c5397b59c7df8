"""The ministry dashboard on the Land host: one indicator and year as map, table and trend."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from kinrw.catalogue.models import Indicator, Programme
from kinrw.core.export import FORMATS, export_response
from kinrw.state import dashboard
from kinrw.state.periods import closed_period, revisions
from kinrw.state.selectors import (
    Scope,
    indicator_table,
    indicator_year,
    land_tenants,
    scope,
    trend,
)
from kinrw.state.version import land_version
from kinrw.state.views_map import _require_land_user
from kinrw.tenancy.models import Tenant

NO_FIGURES = _(
    "Ihr Zugang zur Landesebene umfasst keine Programmzahlen. Wenden Sie sich an das "
    "Ministerium, wenn Sie die Zahlen sehen müssen."
)
PARAMETERS = ("programm", "indikator", "jahr", "bezug", "sortierung")
CACHE_SECONDS = 3600  # a new version makes a new key anyway; this only bounds the memory
COLUMNS = (
    ("name", _("Kommunales Integrationszentrum")),
    ("wert", _("Wert")),
    ("rate", _("je 10.000 Einwohner")),
)


def _int(value: str | None, choices: list[int], default: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if number in choices else default


def _selection(request: HttpRequest) -> dict[str, object]:
    programmes = list(Programme.objects.filter(is_active=True).order_by("sort_order", "name"))
    this_year = timezone.localdate().year
    first = min((p.active_from for p in programmes), default=this_year)
    years = list(range(this_year, max(first, this_year - 15) - 1, -1))
    programme = next(
        (p for p in programmes if p.code == request.GET.get("programm")),
        programmes[0] if programmes else None,
    )
    indicators = list(
        Indicator.objects.filter(programme=programme, is_active=True).order_by("sort_order", "code")
    )
    indicator = next(
        (i for i in indicators if i.code == request.GET.get("indikator")),
        indicators[0] if indicators else None,
    )
    sort = request.GET.get("sortierung", "name")
    return {
        "programmes": programmes,
        "programme": programme,
        "indicators": indicators,
        "indicator": indicator,
        "years": years,
        "year": _int(request.GET.get("jahr"), years, this_year),
        "per_capita": request.GET.get("bezug") == "einwohner",
        "sort": sort if sort in dashboard.SORTS else "name",
    }


def _query(context: dict[str, Any], **changes: str) -> str:
    """The page's own query string for the current selection (nothing else of the request)."""
    query = QueryDict(mutable=True)
    programme, indicator = context["programme"], context["indicator"]
    if isinstance(programme, Programme):
        query["programm"] = programme.code
    if isinstance(indicator, Indicator):
        query["indikator"] = indicator.code
    query["jahr"] = str(context["year"])
    if context["per_capita"]:
        query["bezug"] = "einwohner"
    query["sortierung"] = str(context["sort"])
    query.update(changes)
    return query.urlencode()


def _headers(context: dict[str, Any]) -> list[dict[str, object]]:
    sort = str(context["sort"])
    headers = []
    for key, label in COLUMNS:
        current = sort.lstrip("-") == key
        headers.append(
            {
                "label": label,
                "numeric": key != "name",
                "url": "?" + _query(context, sortierung="-" + key if sort == key else key),
                "aria_sort": ("descending" if sort.startswith("-") else "ascending")
                if current
                else None,
            }
        )
    return headers


def dashboard_view(request: HttpRequest) -> HttpResponse:
    if (redirect := _require_land_user(request)) is not None:
        return redirect
    seen = scope(request.user)
    if seen is None:
        raise PermissionDenied(NO_FIGURES)
    fmt = request.GET.get("export", "")
    if fmt in FORMATS:
        context = _selection(request)
        if isinstance(context["indicator"], Indicator):
            return _export(context["indicator"], context, seen, fmt)
    return render(request, "state/dashboard.html", {"content_html": _content_html(request, seen)})


def _export(indicator: Indicator, context: dict[str, Any], seen: Scope, fmt: str) -> HttpResponse:
    year = int(context["year"])
    data = indicator_table(indicator, year)
    rows = dashboard.ki_rows(data, seen, str(context["sort"]))
    name = gettext("Kennzahlen %(indicator)s %(year)s") % {
        "indicator": indicator.label,
        "year": year,
    }
    return export_response(
        fmt=fmt,
        name=name,
        headers=[str(h) for h in dashboard.EXPORT_HEADERS],
        rows=dashboard.export_rows(rows + dashboard.rollup_rows(data, seen)),
    )


def _content_html(request: HttpRequest, seen: Scope) -> str:
    """Selection form, map, table and trend, cached under the Land's figures version.

    The key holds everything the content depends on: the version (raised with any
    change of facts, periods, registry or catalogue), the language, the viewer's
    scope, this year (the default) and the page's parameters. Nothing of the user
    beyond the scope is in it; a hit costs one query, a miss computes everything.
    """
    parts = [
        land_version(),
        get_language(),
        seen.bezirk,
        timezone.localdate().year,
        *(request.GET.get(name, "")[:40] for name in PARAMETERS),
    ]
    key = "kinrw:land:dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        context = {**_selection(request), "scope": seen}
        indicator = context["indicator"]
        if isinstance(indicator, Indicator):
            context.update(_figures(context, indicator, seen))
        html = render_to_string("state/includes/dashboard_content.html", context, request)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own template's output)


def _figures(context: dict[str, Any], indicator: Indicator, seen: Scope) -> dict[str, Any]:
    year = int(context["year"])
    source = indicator_year(indicator, year)  # read once: year table and trend
    tenants = land_tenants()
    data = indicator_table(indicator, year, tenants=tenants, source=source)
    rows = dashboard.ki_rows(data, seen, str(context["sort"]))
    rollups = dashboard.rollup_rows(data, seen)
    total = rollups[-1].cell if rollups else None
    points = (
        trend(indicator, year, seen, total, tenants=tenants, source=source)
        if total is not None
        else []
    )
    return {
        "rows": rows,
        "ki_rows_html": _rows_html(_linked(rows, data.tenants, year)),
        "rollups": rollups,
        "headers": _headers(context),
        "map": dashboard.choropleth(data, seen, per_capita=bool(context["per_capita"])),
        "points": points,
        "bars": dashboard.trend_bars(points),
        "has_facts": data.has_facts,
        "population_dates": sorted({t.population_date for t in data.tenants}),
        "export_query": _query(context),
        "closed": closed_period(year),
        "revision_count": sum(
            r.total for r in revisions(year, {t.pk for t in data.tenants if seen.includes(t)})
        ),
    }


ROW = (
    '<tr><th scope="row" id="ki-{}" tabindex="-1"><a href="{}">{}</a></th><td>{}</td>'
    '<td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>\n'
)


def _rows_html(linked: list[tuple[dashboard.Row, str]]) -> str:
    """The table's KI rows, escaped by ``format_html``: a loop in the template engine
    costs ten times as much with 1,000 KIs."""
    never = gettext("keine Zahlen")
    return format_html_join(
        "",
        ROW,
        (
            (r.ags, url, r.name, r.bezirk, r.shown, r.rate_shown, r.computed_text or never)
            for r, url in linked
        ),
    )


def _linked(
    rows: list[dashboard.Row], tenants: list[Tenant], year: int
) -> list[tuple[dashboard.Row, str]]:
    """Each KI row with the URL of the KI's page on the Land host, for the chosen year."""
    urls = {t.ags: url for t, url in zip(tenants, dashboard.ki_urls(tenants), strict=True)}
    return [(r, f"{urls[r.ags]}?jahr={year}") for r in rows]
