"""The choropleth map of the 54 KIs: server-side SVG from the BKG areas, no script.

Every area is a link (keyboard: Tab from KI to KI) whose ``aria-label`` says the KI
and its value in words; values fall into five quantile classes of a colour-blind-safe
sequential palette (ColorBrewer YlGnBu), a suppressed value (``.``) is hatched, a
missing one (``–``) grey. The legend says the ranges in text, and every page showing
the map carries the BKG credit (``CREDIT``, linked to ``CREDIT_URL``).
"""

from __future__ import annotations

import functools
import json
import math
from bisect import bisect_left
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

AREAS_FILE = Path(__file__).parent / "data" / "nrw_ki_areas.geojson"
CREDIT = "© GeoBasis-DE / BKG 2021 (Daten verändert)"
CREDIT_URL = "https://www.bkg.bund.de"
LICENCE = "dl-de/by-2-0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"

WIDTH = 600  # SVG user units; the page scales the picture
PALETTE = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0")  # each >= 4.5:1 to BORDER
BORDER = "#1b1b1b"
MISSING_FILL = "#bdbdbd"
SUPPRESSED = "."
MISSING = "–"
SYMBOL_LABELS = {
    SUPPRESSED: _("geheim (kleine Fallzahl, nicht veröffentlicht)"),
    MISSING: _("keine Angabe"),
}


@dataclass(frozen=True)
class Area:
    ags: str
    name: str  # from the source; Tenant.name takes precedence
    d: str  # SVG path data


@dataclass(frozen=True)
class LegendEntry:
    kind: str  # "class", "suppressed" or "missing"
    label: str
    fill: str
    count: int


@dataclass(frozen=True)
class Choropleth:
    title: str
    unit: str
    svg: SafeString
    legend: tuple[LegendEntry, ...]
    credit: str = CREDIT
    credit_url: str = CREDIT_URL
    licence: str = LICENCE
    licence_url: str = LICENCE_URL


@functools.cache
def geometry() -> tuple[tuple[Area, ...], int, int]:
    """The areas projected to SVG coordinates, and the picture's width and height.

    Equirectangular, longitudes scaled by cos(mid-latitude): true enough for NRW.
    The StädteRegion Aachen (05334) comes before the Stadt Aachen (05334002) inside it,
    so the city is drawn on top.
    """
    features = json.loads(AREAS_FILE.read_text(encoding="utf-8"))["features"]
    rings = [
        (f["properties"]["ags"], f["properties"]["name"], f["geometry"]["coordinates"])
        for f in features
    ]
    points = [pt for _a, _n, polygon in rings for ring in polygon for pt in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    x_scale = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / ((east - west) * x_scale)
    height = math.ceil((north - south) * scale)

    def path(polygon: list[list[list[float]]]) -> str:
        parts = []
        for ring in polygon:
            xy = [
                f"{(lon - west) * x_scale * scale:.1f} {(north - lat) * scale:.1f}"
                for lon, lat in ring
            ]
            parts.append("M" + " L".join(xy) + " Z")
        return " ".join(parts)

    areas = tuple(
        Area(ags=ags, name=name, d=path(polygon))
        for ags, name, polygon in sorted(rings, key=lambda r: (len(r[0]), r[0]))
    )
    return areas, WIDTH, height


def quantile_breaks(values: Sequence[Decimal], classes: int = len(PALETTE)) -> list[Decimal]:
    """Upper bounds of the quantile classes (ascending, no repeats): a value belongs to
    the first class whose bound it does not exceed. Same values, same classes."""
    ordered = sorted(values)
    if not ordered:
        return []
    n = len(ordered)
    bounds = {ordered[math.ceil(k * n / classes) - 1] for k in range(1, classes + 1)}
    return sorted(bounds)


def class_of(value: Decimal, breaks: Sequence[Decimal]) -> int:
    return bisect_left(breaks, value)


def class_colour(index: int, classes: int) -> str:
    """The palette colour of class ``index`` of ``classes``: fewer classes (ties, few
    values) spread over the palette, so that the lightest and the darkest stay apart."""
    if classes <= 1:
        return PALETTE[len(PALETTE) // 2]
    return PALETTE[round(index * (len(PALETTE) - 1) / (classes - 1))]


def german_number(value: Decimal, decimals: int = 0) -> str:
    """The number in the active language's format (German: 1.234,5), grouped by thousands.

    Python's formatting with the language's two separators swapped in: Django's
    ``number_format`` does the same, ten times slower (a page of 1,000 KIs)."""
    text = f"{Decimal(value):,.{decimals}f}"
    decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def build(
    values: Mapping[str, Decimal | None],
    *,
    title: str,
    unit: str,
    symbols: Mapping[str, str] | None = None,
    links: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    decimals: int = 0,
    key: str = "karte",
    inactive: Collection[str] = (),
) -> Choropleth:
    """The map of ``values`` (AGS → value; None or a symbol ``.``/``–`` when there is none).

    ``links`` (AGS → URL) default to ``#ki-<ags>`` (the KI's row in the page's table),
    ``names`` (AGS → Tenant.name) to the names of the source. ``key`` makes the SVG's
    ids unique when a page shows more than one map. ``inactive`` areas (AGS) are
    outside the viewer's scope: drawn as "–" without a link, so not in the Tab order.
    """
    symbols, links, names = symbols or {}, links or {}, names or {}
    areas, width, height = geometry()
    state: dict[str, Decimal | str] = {}
    for area in areas:
        value = values.get(area.ags)
        symbol = MISSING if area.ags in inactive else symbols.get(area.ags)
        if symbol in SYMBOL_LABELS:
            state[area.ags] = symbol  # type: ignore[assignment]
        elif value is None:
            state[area.ags] = MISSING
        else:
            state[area.ags] = Decimal(value)  # type: ignore[arg-type]
    numbers = [v for v in state.values() if isinstance(v, Decimal)]
    breaks = quantile_breaks(numbers)
    hatch = f"{key}-geheim"

    def fill_and_label(ags: str) -> tuple[str, str]:
        v = state[ags]
        if isinstance(v, Decimal):
            return class_colour(
                class_of(v, breaks), len(breaks)
            ), f"{german_number(v, decimals)} {unit}"
        return (f"url(#{hatch})" if v == SUPPRESSED else MISSING_FILL), str(SYMBOL_LABELS[v])

    shapes = []
    for area in areas:
        fill, said = fill_and_label(area.ags)
        label = escape(f"{names.get(area.ags, area.name)}: {said}")
        if area.ags in inactive:
            shapes.append(
                f'<g data-ags="{escape(area.ags)}"><title>{label}</title>'
                f'<path d="{area.d}" fill="{escape(fill)}"/></g>'
            )
            continue
        href = escape(links.get(area.ags, f"#ki-{area.ags}"))
        shapes.append(
            f'<a href="{href}" aria-label="{label}" data-ags="{escape(area.ags)}">'
            f'<title>{label}</title><path d="{area.d}" fill="{escape(fill)}"/></a>'
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ki-map__svg" viewBox="0 0 {width} '
        f'{height}" width="100%" role="group" aria-label="{escape(title)}">'
        f'<defs><pattern id="{escape(hatch)}" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#3d3d3d" stroke-width="3"/></pattern></defs>'
        f'<g stroke="{BORDER}" stroke-width="0.8" stroke-linejoin="round">{"".join(shapes)}</g>'
        "</svg>"
    )
    legend = _legend(state, breaks, unit=unit, decimals=decimals, hatch=hatch)
    return Choropleth(title=title, unit=unit, svg=mark_safe(svg), legend=legend)  # noqa: S308


def _legend(
    state: Mapping[str, Decimal | str],
    breaks: Sequence[Decimal],
    *,
    unit: str,
    decimals: int,
    hatch: str,
) -> tuple[LegendEntry, ...]:
    """One entry per non-empty class with its range in words, then the symbols in use."""
    by_class: dict[int, list[Decimal]] = {}
    for v in state.values():
        if isinstance(v, Decimal):
            by_class.setdefault(class_of(v, breaks), []).append(v)
    entries = []
    for index, members in sorted(by_class.items()):
        low, high = german_number(min(members), decimals), german_number(max(members), decimals)
        text = (
            f"{low} {unit}"
            if low == high
            else gettext("%(low)s bis %(high)s %(unit)s")
            % {
                "low": low,
                "high": high,
                "unit": unit,
            }
        )
        colour = class_colour(index, len(breaks))
        entries.append(LegendEntry("class", text, colour, len(members)))
    symbols = [v for v in state.values() if not isinstance(v, Decimal)]
    for symbol, kind, fill in (
        (SUPPRESSED, "suppressed", f"url(#{hatch})"),
        (MISSING, "missing", MISSING_FILL),
    ):
        if symbol in symbols:
            label = f"{symbol} {SYMBOL_LABELS[symbol]}"
            entries.append(LegendEntry(kind, label, fill, symbols.count(symbol)))
    return tuple(entries)


def choropleth(
    values: Mapping[str, Decimal | None],
    *,
    title: str,
    unit: str,
    symbols: Mapping[str, str] | None = None,
    links: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    decimals: int = 0,
) -> SafeString:
    """Only the SVG of :func:`build` (show the legend and the credit with it)."""
    return build(
        values, title=title, unit=unit, symbols=symbols, links=links, names=names, decimals=decimals
    ).svg
