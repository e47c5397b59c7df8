"""A page per KI and a page per programme on the Land host (issue 4, part 6)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

from kinrw.accounts.models import User
from kinrw.catalogue.models import Indicator
from kinrw.state import disclosure
from kinrw.state.disclosure import CONFIDENTIAL, KiFigures
from kinrw.state.facts import Fact
from kinrw.state.models import LandAccess, LandRole
from kinrw.state.selectors import IndicatorTable, Scope
from kinrw.state.views_pages import ranking
from kinrw.tenancy.models import Status, Tenant
from tests.kit import PASSWORD, Kit

pytestmark = pytest.mark.django_db

YEAR = 2025
KI_URL = f"/ki/%s/?jahr={YEAR}"
PROGRAMME_URL = f"/programm/griffbereit/?jahr={YEAR}"
# Köln's year (4321) and months (4000, 321): hidden to protect Bonn's 2
SECRET = ("4321", "4.321", "4000", "4.000", ">321<")


def _children() -> Indicator:
    return Indicator.objects.get(programme__code="griffbereit", code="children")


def _tenant(slug: str, ags: str, name: str, bezirk: str, **extra: object) -> Tenant:
    return Tenant.objects.create(
        schema_name=f"ki_{slug}",
        slug=slug,
        ags=ags,
        ars=f"{ags}0000000"[:12],
        nuts3="DEA11",
        name=name,
        official_name=f"Stadt {name}",
        kind="kreisfreie_stadt",
        regierungsbezirk=bezirk,
        population=620_000,
        population_date=dt.date(2024, 12, 31),
        **extra,
    )


def _fact(tenant: Tenant, month: int, value: int) -> None:
    indicator = _children()
    Fact.objects.create(
        tenant=tenant,
        programme=indicator.programme,
        indicator=indicator,
        period=dt.date(YEAR, month, 1),
        value=Decimal(value),
        source_generation=1,
    )


@pytest.fixture
def facts(kit: Kit) -> Tenant:
    """Köln 4000 + 321, Bonn 2 (secret), Düsseldorf 40: Köln hidden too (Bezirk Köln)."""
    duesseldorf = _tenant("duesseldorf", "05111", "Düsseldorf", "Düsseldorf")
    _fact(kit.a.tenant, 3, 4000)
    _fact(kit.a.tenant, 5, 321)
    _fact(kit.b.tenant, 3, 2)
    _fact(duesseldorf, 3, 40)
    return duesseldorf


def _client(kit: Kit, role: str = LandRole.MINISTERIUM, bezirk: str = "") -> Client:
    user = User.objects.create_user(f"{role}{bezirk.lower()}@pages.example", PASSWORD)
    LandAccess.objects.create(user=user, role=role, regierungsbezirk=bezirk)
    client = Client(HTTP_HOST=kit.land_host)
    client.force_login(user)
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _ranking(html: str, code: str = "children") -> list[tuple[str, str, str]]:
    """(rank, KI, value) of the ranking table of indicator ``code``."""
    section = html.split(f'id="kennzahl-{code}"')[1].split("</table>")[0]
    body = section.split("<tbody>")[1]
    result = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
        result.append((cells[0], cells[1], cells[3]))
    return result


def test_ki_page_shows_registry_freshness_and_the_protected_year(kit: Kit, facts: Tenant) -> None:
    client = _client(kit)
    html = client.get(KI_URL % "koeln").content.decode()
    text = _text(html)
    assert "Kommunales Integrationszentrum Köln" in text
    assert "Stammdaten" in text and "Regierungsbezirk" in text
    assert "Stand 31.12.2024" in text or "IT.NRW" in text
    assert "zuletzt berechnet am" in text
    row = re.search(r"Kinder[^<]*\([^)]*\)</th>\s*<td class=\"num\">(.*?)</td>", html)
    assert row is not None and row.group(1) == CONFIDENTIAL  # same cell as the dashboard
    for secret in SECRET:
        assert secret not in html
    other = client.get(KI_URL % "duesseldorf").content.decode()
    assert re.search(r'<td class="num">40</td>', other)
    assert '/programm/griffbereit/?jahr=2025"' in other


def test_ki_page_without_figures_says_so(kit: Kit) -> None:
    html = _text(_client(kit).get(KI_URL % "bonn").content.decode())
    assert "Dieses KI hat noch keine Programmzahlen gemeldet." in html
    assert "Von diesem KI liegen noch keine Zahlen vor." in html


def test_programme_page_ranks_published_kis_and_never_hidden_ones(kit: Kit, facts: Tenant) -> None:
    client = _client(kit)
    html = client.get(PROGRAMME_URL).content.decode()
    ranked = _ranking(html)
    # Düsseldorf ranked; Bonn (2) and Köln (4321) hidden: unranked, by name, not by value
    assert ranked[0] == ("1", "Düsseldorf", "40")
    assert ranked[1:] == [("ohne Rang", "Bonn", CONFIDENTIAL), ("ohne Rang", "Köln", CONFIDENTIAL)]
    for secret in SECRET:
        assert secret not in html
    per_capita = client.get(PROGRAMME_URL + "&bezug=einwohner").content.decode()
    assert [r[1] for r in _ranking(per_capita)] == ["Düsseldorf", "Bonn", "Köln"]
    assert "KI im Vergleich" in _text(html)
    assert f'href="/ki/duesseldorf/?jahr={YEAR}"' in html


def test_ranking_shares_ranks_and_puts_hidden_and_empty_cells_last_by_name() -> None:
    tenants = [
        Tenant(slug=s, ags=a, name=n, regierungsbezirk="Köln", population=10_000)
        for s, a, n in [
            ("a", "05001", "Aachen"),
            ("b", "05002", "Bonn"),
            ("c", "05003", "Castrop"),
            ("d", "05004", "Düren"),
            ("e", "05005", "Essen"),
            ("f", "05006", "Frechen"),
        ]
    ]
    values = {"a": 1, "b": 50, "c": 50, "d": None, "e": 80, "f": 2}
    table = disclosure.protect(
        [KiFigures(t.slug, "Köln", values[t.slug]) for t in tenants], counts_persons=True
    )
    data = IndicatorTable(_children_stub(), YEAR, None, tenants, table, {}, True)
    result = [(r.rank, r.slug) for r in ranking(data, Scope(), per_capita=False)]
    assert set(table.hidden()) == {("ki", "a"), ("ki", "f")}  # 1 and 2: primary
    # ties share a rank; hidden (a=1, f=2) and empty (d) follow by name, never by value
    assert result == [(1, "e"), (2, "b"), (2, "c"), (None, "a"), (None, "d"), (None, "f")]


def _children_stub() -> Indicator:
    return Indicator(code="children", label="Kinder", counts_persons=True)


def test_bezirksregierung_sees_only_its_bezirk(kit: Kit, facts: Tenant) -> None:
    client = _client(kit, LandRole.BEZIRKSREGIERUNG, "Köln")
    assert client.get(KI_URL % "koeln").status_code == 200
    assert client.get(KI_URL % "duesseldorf").status_code == 404
    html = client.get(PROGRAMME_URL).content.decode()
    assert [r[1] for r in _ranking(html)] == ["Bonn", "Köln"]
    assert "Düsseldorf" not in _text(html.split("<form")[1])
    for secret in SECRET:
        assert secret not in html


def test_operations_and_other_users_get_no_figures(kit: Kit, facts: Tenant) -> None:
    ops = _client(kit, LandRole.PLATTFORMBETRIEB)
    for url in (KI_URL % "koeln", PROGRAMME_URL):
        response = ops.get(url)
        assert response.status_code == 403
        assert "keine Programmzahlen" in response.content.decode()
        anonymous = Client(HTTP_HOST=kit.land_host).get(url)
        assert anonymous.status_code == 302 and "/konto/" in anonymous["Location"]
    no_land_account = Client(HTTP_HOST=kit.land_host)
    no_land_account.force_login(User.objects.create_user("ohne@pages.example", PASSWORD))
    assert no_land_account.get(PROGRAMME_URL).status_code == 403


def test_unknown_or_archived_ki_and_unknown_programme_are_404(kit: Kit) -> None:
    client = _client(kit)
    _tenant("alt", "05112", "Altstadt", "Düsseldorf", status=Status.ARCHIVED)
    assert client.get("/ki/gibtesnicht/").status_code == 404
    assert client.get("/ki/alt/").status_code == 404
    assert client.get("/programm/gibtesnicht/").status_code == 404


def test_programme_page_without_figures_says_so(kit: Kit) -> None:
    html = _text(_client(kit).get(PROGRAMME_URL).content.decode())
    assert "Für 2025 liegen zu dieser Kennzahl noch keine Zahlen vor." in html
    assert "ohne Rang" in html  # every KI listed, none ranked


def test_dashboard_links_to_ki_and_programme_pages(kit: Kit, facts: Tenant) -> None:
    url = f"/dashboard/?programm=griffbereit&indikator=children&jahr={YEAR}"
    html = _client(kit).get(url).content.decode()
    assert f'<a href="/ki/koeln/?jahr={YEAR}">Köln</a>' in html
    assert f'href="/programm/griffbereit/?jahr={YEAR}"' in html
