"""The choropleth of the 54 KIs: areas, labels, classes, symbols, escaping, page access."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.test import Client

from kinrw.accounts.models import User
from kinrw.state import map as ki_map
from kinrw.tenancy.models import Tenant
from tests.kit import PASSWORD, Kit

SVG = "{http://www.w3.org/2000/svg}"
AREAS = [a.ags for a in ki_map.geometry()[0]]
KOELN, BONN, AACHEN_REGION, AACHEN = "05315", "05314", "05334", "05334002"


def _links(svg: str) -> dict[str, ElementTree.Element]:
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output)
    return {a.get("data-ags"): a for a in root.iter(f"{SVG}a")}  # type: ignore[misc]


def _fills(svg: str) -> dict[str, str]:
    return {ags: a.find(f"{SVG}path").get("fill") for ags, a in _links(svg).items()}  # type: ignore[union-attr]


def _build(values: dict[str, Decimal | None], **extra: object) -> ki_map.Choropleth:
    return ki_map.build(values, title="Teilnahmen", unit="Personen", **extra)  # type: ignore[arg-type]


def test_54_areas_each_a_link_with_a_german_label_and_no_script() -> None:
    values = {ags: Decimal(1234 + i) for i, ags in enumerate(AREAS)}
    svg = str(_build(values).svg)
    links = _links(svg)
    assert len(AREAS) == len(links) == 54
    assert "<script" not in svg.lower() and "style=" not in svg
    for ags, link in links.items():
        assert link.get("href") == f"#ki-{ags}"  # an <a href> is in the Tab order
        label = link.get("aria-label") or ""
        assert re.fullmatch(r".+: \d\.\d{3} Personen", label), label  # German grouping
        assert link.find(f"{SVG}title").text == label  # type: ignore[union-attr]


def test_the_city_of_aachen_is_drawn_on_top_of_the_staedteregion() -> None:
    assert AREAS.index(AACHEN) > AREAS.index(AACHEN_REGION)
    assert AREAS[-1] == AACHEN


def test_links_and_names_and_decimals_are_used() -> None:
    svg = str(
        _build(
            {KOELN: Decimal("12.345")},
            links={KOELN: "/ki/koeln/"},
            names={KOELN: "KI Köln"},
            decimals=1,
        ).svg
    )
    link = _links(svg)[KOELN]
    assert link.get("href") == "/ki/koeln/"
    assert link.get("aria-label") == "KI Köln: 12,3 Personen"


def test_classes_are_quantiles_and_deterministic() -> None:
    values = {ags: Decimal(i) for i, ags in enumerate(AREAS[:50])}  # 0..49, 10 per class
    first, again = _build(values), _build(dict(reversed(values.items())))
    fills = _fills(str(first.svg))
    assert fills == _fills(str(again.svg))
    for i, ags in enumerate(AREAS[:50]):
        assert fills[ags] == ki_map.PALETTE[i // 10], (i, fills[ags])
    classes = [e for e in first.legend if e.kind == "class"]
    assert [(e.label, e.count) for e in classes] == [
        ("0 bis 9 Personen", 10),
        ("10 bis 19 Personen", 10),
        ("20 bis 29 Personen", 10),
        ("30 bis 39 Personen", 10),
        ("40 bis 49 Personen", 10),
    ]
    assert [e.fill for e in classes] == list(ki_map.PALETTE)


def test_equal_values_share_a_class() -> None:
    assert ki_map.quantile_breaks([Decimal(5)] * 10) == [Decimal(5)]
    breaks = ki_map.quantile_breaks([Decimal(1)] * 8 + [Decimal(2), Decimal(3)])
    assert breaks == [Decimal(1), Decimal(3)]  # the first four quintile bounds are all 1
    assert [ki_map.class_of(Decimal(v), breaks) for v in (1, 2, 3)] == [0, 1, 1]
    # two classes take the lightest and the darkest colour, one class the middle one
    assert [ki_map.class_colour(i, 2) for i in (0, 1)] == [ki_map.PALETTE[0], ki_map.PALETTE[-1]]
    assert ki_map.class_colour(0, 1) == ki_map.PALETTE[2]


def test_suppressed_and_missing_areas_are_distinct_and_labelled() -> None:
    values = {ags: Decimal(100) for ags in AREAS}
    values[BONN] = None  # no value, no symbol: missing
    result = _build(values, symbols={KOELN: ki_map.SUPPRESSED, AACHEN: ki_map.MISSING})
    links = _links(str(result.svg))
    fills = _fills(str(result.svg))
    assert fills[KOELN] == "url(#karte-geheim)" and 'id="karte-geheim"' in str(result.svg)
    assert fills[BONN] == fills[AACHEN] == ki_map.MISSING_FILL
    assert len({fills[KOELN], fills[BONN], fills[AACHEN_REGION]}) == 3
    assert links[KOELN].get("aria-label") == "Köln: geheim (kleine Fallzahl, nicht veröffentlicht)"
    assert links[BONN].get("aria-label") == "Bonn: keine Angabe"
    legend = {e.kind: (e.label, e.count) for e in result.legend}
    assert legend["suppressed"] == (". geheim (kleine Fallzahl, nicht veröffentlicht)", 1)
    assert legend["missing"] == ("– keine Angabe", 2)
    assert legend["class"] == ("100 Personen", 51)


def test_every_text_is_escaped() -> None:
    svg = str(
        ki_map.build(
            {KOELN: Decimal(1)},
            names={KOELN: '<b>Köln</b> & "Co"'},
            links={KOELN: '/x?a=1&b="2"'},
            title="<Titel>",
            unit="<i>P</i>",
        ).svg
    )
    assert "<b>" not in svg and "<i>" not in svg and "<Titel>" not in svg
    link = _links(svg)[KOELN]  # still well-formed XML
    assert link.get("aria-label") == '<b>Köln</b> & "Co": 1 <i>P</i>'
    assert link.get("href") == '/x?a=1&b="2"'


# The page on the Land host


def _land_client(kit: Kit) -> Client:
    client = Client(HTTP_HOST=kit.land_host)
    assert client.login(username=kit.land_email, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_page_shows_map_legend_credit_and_table(kit: Kit) -> None:
    Tenant.objects.filter(ags=KOELN).update(name="Köln <Stadt>")
    response = _land_client(kit).get("/karte/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    assert html.count('<a href="#ki-') == 54
    assert 'aria-label="Köln &lt;Stadt&gt;: ' in html and "Köln <Stadt>" not in html
    credit = '<a href="https://www.bkg.bund.de">© GeoBasis-DE / BKG 2021 (Daten verändert)</a>'
    assert credit in html
    assert "Legende" in html and "– keine Angabe" in html
    rows = re.findall(r'<th scope="row" id="ki-(\d+)"', html)
    assert sorted(rows) == sorted(AREAS)  # every map link has its table row


@pytest.mark.django_db
def test_table_sorts_by_value(kit: Kit) -> None:
    client = _land_client(kit)
    population = dict(Tenant.objects.values_list("ags", "population"))
    big = max(population, key=population.__getitem__)
    small = min(population, key=population.__getitem__)
    up = re.findall(r'id="ki-(\d+)"', client.get("/karte/?sortierung=wert").content.decode())
    down = client.get("/karte/?sortierung=-wert").content.decode()
    assert up[:2] == [small, big] and re.findall(r'id="ki-(\d+)"', down)[:2] == [big, small]
    assert 'aria-sort="descending"' in down
    by_name = client.get("/karte/?sortierung=unsinn").content.decode()
    assert 'aria-sort="ascending"' in by_name


@pytest.mark.django_db
def test_page_needs_a_land_account(kit: Kit) -> None:
    anonymous = Client(HTTP_HOST=kit.land_host).get("/karte/")
    assert anonymous.status_code == 302 and "/konto/anmelden/" in anonymous["Location"]
    # an account of the public schema without a Land role (KI accounts live in their schema)
    client = Client(HTTP_HOST=kit.land_host)
    client.force_login(User.objects.create_user("ohne-rolle@example.org", PASSWORD))
    refused = client.get("/karte/")
    assert refused.status_code == 403 and "<svg" not in refused.content.decode()
    assert kit.a.client().get("/karte/").status_code == 404  # KI users: not on a KI host
