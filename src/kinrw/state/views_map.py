"""The map preview on the Land host: the KIs' population (public data) as map and table."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinrw.state import map as ki_map
from kinrw.tenancy.models import Status, Tenant

SORTS = {"name", "-name", "wert", "-wert"}


@dataclass(frozen=True)
class Row:
    ags: str
    name: str
    regierungsbezirk: str
    value: Decimal | None
    shown: str  # German number, or the symbol


def map_tenants() -> list[Tenant]:
    """The KIs on the map: every registered KI except archived ones (public registry data)."""
    return list(
        Tenant.objects.exclude(status=Status.ARCHIVED)
        .only("ags", "name", "regierungsbezirk", "population")
        .order_by("ags")
    )


def _require_land_user(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not hasattr(request.user, "land_access"):
        raise PermissionDenied(_("Diese Seite ist nur für Konten der Landesebene."))
    return None


def _rows(tenants: list[Tenant], sort: str) -> list[Row]:
    areas = {a.ags: a for a in ki_map.geometry()[0]}
    by_ags = {t.ags: t for t in tenants}
    rows = []
    for ags, area in areas.items():
        tenant = by_ags.get(ags)
        value = Decimal(tenant.population) if tenant else None
        rows.append(
            Row(
                ags=ags,
                name=tenant.name if tenant else area.name,
                regierungsbezirk=tenant.regierungsbezirk if tenant else "",
                value=value,
                shown=ki_map.german_number(value) if value is not None else ki_map.MISSING,
            )
        )
    rows.sort(key=lambda r: r.name.casefold())
    if sort.lstrip("-") == "wert":  # missing values last either way
        rows.sort(key=lambda r: r.value or 0, reverse=sort.startswith("-"))
        rows.sort(key=lambda r: r.value is None)
    elif sort == "-name":
        rows.reverse()
    return rows


def map_preview(request: HttpRequest) -> HttpResponse:
    if (redirect := _require_land_user(request)) is not None:
        return redirect
    sort = request.GET.get("sortierung", "name")
    sort = sort if sort in SORTS else "name"
    tenants = map_tenants()
    unit = gettext("Einw.")
    choropleth = ki_map.build(
        {t.ags: Decimal(t.population) for t in tenants},
        names={t.ags: t.name for t in tenants},
        title=gettext("Einwohnerzahl der Gebiete der Kommunalen Integrationszentren"),
        unit=unit,
    )
    headers = []
    for key, label in (("name", _("Kommunales Integrationszentrum")), ("wert", _("Einwohnerzahl"))):
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        headers.append(
            {
                "label": label,
                "numeric": key == "wert",
                "url": f"?sortierung={'-' + key if sort == key else key}",
                "aria_sort": ("descending" if descending else "ascending") if current else None,
            }
        )
    context = {"map": choropleth, "rows": _rows(tenants, sort), "headers": headers, "sort": sort}
    return render(request, "state/map.html", context)
