"""The ministry dashboard's rows, map and export, from one protected Land table.

The page table, the map and the exports are all built from the same
:class:`~kinrw.state.selectors.IndicatorTable`, cut to the viewer's
:class:`~kinrw.state.selectors.Scope`; nothing here sees a hidden value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinrw.state import disclosure
from kinrw.state import map as ki_map
from kinrw.state.disclosure import ProtectedCell
from kinrw.state.selectors import IndicatorTable, Scope, TrendPoint

SORTS = ("name", "-name", "wert", "-wert", "rate", "-rate")
PER = 10_000


@dataclass(frozen=True)
class Row:
    kind: str  # "ki", "bezirk" or "land"
    ags: str
    name: str
    bezirk: str
    cell: ProtectedCell
    rate: Decimal | None  # per 10,000 inhabitants; None when hidden or no value
    computed_at: dt.datetime | None = None

    @property
    def shown(self) -> str:
        return cell_text(self.cell)

    @property
    def computed_text(self) -> str:
        """When the KI's latest figure arrived, in the page's local time ("" if never)."""
        if self.computed_at is None:
            return ""
        return timezone.localtime(self.computed_at).strftime("%d.%m.%Y %H:%M")

    @property
    def rate_shown(self) -> str:
        if self.rate is None:
            return self.cell.symbol or disclosure.NOTHING
        return ki_map.german_number(self.rate, 1)

    @property
    def export_value(self) -> Any:
        return self.cell.symbol or self.cell.value

    @property
    def export_rate(self) -> Any:
        return self.rate if self.rate is not None else self.cell.symbol or disclosure.NOTHING


def cell_text(cell: ProtectedCell) -> str:
    """A protected cell as the page shows it: a German number, or its symbol."""
    if cell.symbol:
        return cell.symbol
    return ki_map.german_number(Decimal(cell.value or 0), _decimals(cell.value))


def _decimals(value: object) -> int:
    return 0 if isinstance(value, int) or value == int(value or 0) else 2  # type: ignore[call-overload]


def rate(cell: ProtectedCell, population: int) -> Decimal | None:
    if cell.hidden or cell.value is None or not population:
        return None
    exact = Decimal(cell.value) * PER / population
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _counted(tenants: Sequence[Any]) -> list[Any]:
    """The KIs whose population adds up: a city inside a Kreis with its own KI (Stadt
    Aachen in the StädteRegion) is already in the Kreis' population."""
    kreise = {t.ags for t in tenants if len(t.ags) == 5}
    return [t for t in tenants if len(t.ags) == 5 or t.ags[:5] not in kreise]


def ki_rows(data: IndicatorTable, seen: Scope, sort: str) -> list[Row]:
    rows = []
    for t in data.tenants:
        if not seen.includes(t):
            continue
        cell = data.table.ki(t.slug)
        rows.append(
            Row(
                "ki",
                t.ags,
                t.name,
                t.regierungsbezirk,
                cell,
                rate(cell, t.population),
                data.computed_at.get(t.pk),
            )
        )
    rows.sort(key=lambda r: r.name.casefold())
    field = sort.lstrip("-")
    if field in ("wert", "rate"):  # hidden and missing values last either way

        def number(r: Row) -> Decimal:
            return Decimal((r.cell.value if field == "wert" else r.rate) or 0)

        rows.sort(key=number, reverse=sort.startswith("-"))
        rows.sort(key=lambda r: r.cell.hidden or r.cell.value is None)
    elif sort == "-name":
        rows.reverse()
    return rows


def rollup_rows(data: IndicatorTable, seen: Scope) -> list[Row]:
    """The Regierungsbezirk totals in scope, then (whole Land only) the Land total."""
    counted = _counted(data.tenants)
    rows = []
    for name in data.bezirke():
        if seen.bezirk and name != seen.bezirk:
            continue
        cell = data.table.bezirk(name)
        people = sum(t.population for t in counted if t.regierungsbezirk == name)
        label = gettext("Regierungsbezirk %(name)s") % {"name": name}
        rows.append(Row("bezirk", "", label, name, cell, rate(cell, people)))
    if seen.whole_land and data.tenants:
        cell = data.table.land
        people = sum(t.population for t in counted)
        rows.append(Row("land", "", gettext("Nordrhein-Westfalen"), "", cell, rate(cell, people)))
    return rows


def choropleth(data: IndicatorTable, seen: Scope, *, per_capita: bool) -> ki_map.Choropleth:
    values: dict[str, Decimal | None] = {}
    symbols: dict[str, str] = {}
    inactive = set()
    for t in data.tenants:
        if not seen.includes(t):
            inactive.add(t.ags)
            continue
        cell = data.table.ki(t.slug)
        if cell.hidden:
            symbols[t.ags] = disclosure.CONFIDENTIAL
        elif cell.value is not None:
            values[t.ags] = rate(cell, t.population) if per_capita else Decimal(cell.value)
    # areas without a KI in scope (another Bezirk, or no KI registered) have no row: no link
    scoped = {t.ags for t in data.tenants if seen.includes(t)}
    inactive |= {a.ags for a in ki_map.geometry()[0] if a.ags not in scoped}
    unit = gettext("je 10.000 Einw.") if per_capita else data.indicator.get_unit_display()
    title = gettext("%(indicator)s %(period)s nach KI") % {
        "indicator": data.indicator.label,
        "period": period_label(data.year, data.month),
    }
    return ki_map.build(
        values,
        title=title,
        unit=str(unit),
        symbols=symbols,
        names={t.ags: t.name for t in data.tenants},
        decimals=1 if per_capita else 0,
        inactive=inactive,
        links={
            t.ags: url + f"?jahr={data.year}"
            for t, url in zip(data.tenants, ki_urls(data.tenants), strict=True)
            if t.ags in scoped
        },
    )


def ki_urls(tenants: Sequence[Any]) -> list[str]:
    """The Land host's page of each KI; one ``reverse()`` for all of them (slugs are
    URL-safe by their validator)."""
    head, tail = reverse("state_ki", args=["muster"]).split("muster", 1)
    return [f"{head}{t.slug}{tail}" for t in tenants]


def period_label(year: int, month: int | None) -> str:
    return f"{month:02d}/{year}" if month else str(year)


EXPORT_HEADERS = (
    _("Gebiet"),
    _("Ebene"),
    _("Regierungsbezirk"),
    _("Wert"),
    _("je 10.000 Einwohner"),
    _("Stand der Daten"),
)
KINDS = {"ki": _("KI"), "bezirk": _("Regierungsbezirk"), "land": _("Land")}


def export_rows(rows: Sequence[Row]) -> list[list[Any]]:
    """Exactly the page's table: the same rows, values and symbols."""
    return [
        [r.name, str(KINDS[r.kind]), r.bezirk, r.export_value, r.export_rate, r.computed_at]
        for r in rows
    ]


def trend_bars(points: Sequence[TrendPoint]) -> list[dict[str, object]]:
    """SVG geometry of the trend bars (100 units high at the peak); hidden months get none."""
    values = [0 if p.cell.hidden else float(p.cell.value or 0) for p in points]
    peak = max(values, default=0)
    bars = []
    for point, value in zip(points, values, strict=True):
        height = round(value / peak * 100, 1) if peak else 0.0
        left = (point.month - 1) * 40
        bars.append(
            {
                "x": left + 8,
                "label_x": left + 20,
                "y": f"{110 - height:.1f}",  # SVG numbers: a point, never localised
                "height": f"{height:.1f}",
                "month": point.month,
                "shown": cell_text(point.cell),
            }
        )
    return bars
