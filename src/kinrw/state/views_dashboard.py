"""The ministry dashboard on the Land host: one indicator and year as map, table and trend."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinrw.catalogue.models import Indicator, Programme
from kinrw.core.export import FORMATS, export_response
from kinrw.state import dashboard
from kinrw.state.periods import closed_period, revisions
from kinrw.state.selectors import indicator_table, scope, trend
from kinrw.state.views_map import _require_land_user
from kinrw.tenancy.models import Tenant

NO_FIGURES = _(
    "Ihr Zugang zur Landesebene umfasst keine Programmzahlen. Wenden Sie sich an das "
    "Ministerium, wenn Sie die Zahlen sehen müssen."
)
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


def _headers(request: HttpRequest, sort: str) -> list[dict[str, object]]:
    headers = []
    for key, label in COLUMNS:
        query = request.GET.copy()
        query.pop("export", None)
        query["sortierung"] = "-" + key if sort == key else key
        current = sort.lstrip("-") == key
        headers.append(
            {
                "label": label,
                "numeric": key != "name",
                "url": "?" + query.urlencode(),
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
    context = _selection(request)
    context["scope"] = seen
    indicator = context["indicator"]
    if isinstance(indicator, Indicator):
        year = int(context["year"])  # type: ignore[call-overload]
        data = indicator_table(indicator, year)
        rows = dashboard.ki_rows(data, seen, str(context["sort"]))
        rollups = dashboard.rollup_rows(data, seen)
        fmt = request.GET.get("export", "")
        if fmt in FORMATS:
            name = gettext("Kennzahlen %(indicator)s %(year)s") % {
                "indicator": indicator.label,
                "year": year,
            }
            return export_response(
                fmt=fmt,
                name=name,
                headers=[str(h) for h in dashboard.EXPORT_HEADERS],
                rows=dashboard.export_rows(rows + rollups),
            )
        total = rollups[-1].cell if rollups else None
        points = trend(indicator, year, seen, total) if total is not None else []
        context.update(
            rows=rows,
            linked_rows=_linked(rows, data.tenants, year),
            rollups=rollups,
            headers=_headers(request, str(context["sort"])),
            map=dashboard.choropleth(data, seen, per_capita=bool(context["per_capita"])),
            points=points,
            bars=dashboard.trend_bars(points),
            has_facts=data.has_facts,
            population_dates=sorted({t.population_date for t in data.tenants}),
            export_query=_without(request, "export"),
            closed=closed_period(year),
            revision_count=sum(
                r.total for r in revisions(year, {t.pk for t in data.tenants if seen.includes(t)})
            ),
        )
    return render(request, "state/dashboard.html", context)


def _linked(
    rows: list[dashboard.Row], tenants: list[Tenant], year: int
) -> list[tuple[dashboard.Row, str]]:
    """Each KI row with the URL of the KI's page on the Land host, for the chosen year."""
    slugs = {t.ags: t.slug for t in tenants}
    return [(r, f"{reverse('state_ki', args=[slugs[r.ags]])}?jahr={year}") for r in rows]


def _without(request: HttpRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()
