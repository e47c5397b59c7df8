"""The ministry dashboard (issue 4, parts 5 and 6): protected figures, scope, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from kinrw.accounts.models import User
from kinrw.catalogue.models import Indicator
from kinrw.state.disclosure import CONFIDENTIAL, NOTHING, ProtectedCell
from kinrw.state.facts import Fact
from kinrw.state.models import LandAccess, LandRole
from kinrw.state.selectors import Scope, protect_series, scope
from kinrw.tenancy.models import Tenant
from tests.kit import PASSWORD, Kit

pytestmark = pytest.mark.django_db

YEAR = 2025
URL = f"/dashboard/?programm=griffbereit&indikator=children&jahr={YEAR}"
KOELN, BONN, DUESSELDORF = "05315", "05314", "05111"
SECRET = ("4321", "4.321", "4000", "4.000")  # Köln's figures, hidden to protect Bonn's 2


def _children() -> Indicator:
    return Indicator.objects.get(programme__code="griffbereit", code="children")


def _duesseldorf() -> Tenant:
    return Tenant.objects.create(
        schema_name="ki_duesseldorf",
        slug="duesseldorf",
        ags=DUESSELDORF,
        ars="051110000000",
        nuts3="DEA11",
        name="Düsseldorf",
        official_name="Landeshauptstadt Düsseldorf",
        kind="kreisfreie_stadt",
        regierungsbezirk="Düsseldorf",
        population=620_000,
        population_date=dt.date(2024, 12, 31),
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
    duesseldorf = _duesseldorf()
    _fact(kit.a.tenant, 3, 4000)
    _fact(kit.a.tenant, 5, 321)
    _fact(kit.b.tenant, 3, 2)
    _fact(duesseldorf, 3, 40)
    return duesseldorf


def _client(kit: Kit, role: str = LandRole.MINISTERIUM, bezirk: str = "") -> Client:
    email = f"{role}{bezirk.lower()}@land.example"
    user = User.objects.create_user(email, PASSWORD)
    LandAccess.objects.create(user=user, role=role, regierungsbezirk=bezirk)
    client = Client(HTTP_HOST=kit.land_host)
    client.force_login(user)
    return client


def _table(html: str) -> dict[str, list[str]]:
    """{row header: cells} of the figure table (its body and its roll-up rows)."""
    table = html.split('id="tabelle-heading"')[1].split("</table>")[0]
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        head = re.search(r'<th scope="row"[^>]*>(.*?)</th>', tr, re.S)
        if head:
            rows[re.sub(r"<[^>]+>", "", head.group(1)).strip()] = [
                c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
            ]
    return rows


def test_scope_follows_the_land_role(kit: Kit) -> None:
    def user(role: str, bezirk: str = "") -> User:
        u = User.objects.create_user(f"{role}@scope.example", PASSWORD)
        LandAccess.objects.create(user=u, role=role, regierungsbezirk=bezirk)
        return u

    assert scope(user(LandRole.MINISTERIUM)) == Scope()
    assert scope(user(LandRole.LAKI)) == Scope()
    assert scope(user(LandRole.BEZIRKSREGIERUNG, "Köln")) == Scope(bezirk="Köln")
    assert scope(user(LandRole.PLATTFORMBETRIEB)) is None
    assert scope(User.objects.create_user("ohne@scope.example", PASSWORD)) is None


def test_ministry_sees_the_protected_table_map_and_trend(kit: Kit, facts: Tenant) -> None:
    response = _client(kit).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    rows = _table(html)
    assert rows["Bonn"][:2] == ["Köln", CONFIDENTIAL]  # primary: 2 children
    assert rows["Köln"][:2] == ["Köln", CONFIDENTIAL]  # secondary: else 4323 − 4321 = 2
    assert rows["Düsseldorf"][:2] == ["Düsseldorf", "40"]
    assert rows["Regierungsbezirk Köln"][1] == "4.323"
    assert rows["Nordrhein-Westfalen"][1] == "4.363"
    for secret in SECRET:
        assert secret not in html
    assert 'aria-label="Bonn: geheim (kleine Fallzahl, nicht veröffentlicht)"' in html
    assert 'aria-label="Düsseldorf: 40 Kinder"' in html
    assert "<script" not in html and "Summe in Nordrhein-Westfalen je Monat 2025" in html
    assert '<th scope="row">3/2025</th><td class="num">4.042</td>' in html
    assert '<rect x="88" y="10.0" width="24" height="100.0"' in html  # March, the peak
    assert "Stand der Daten" in html and "Einwohnerzahlen: IT.NRW, Stand" in html


def test_exports_are_exactly_the_page_table(kit: Kit, facts: Tenant) -> None:
    client = _client(kit)
    page = _table(client.get(URL + "&sortierung=-wert").content.decode())
    response = client.get(URL + "&sortierung=-wert&export=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert lines[0][:4] == ["Gebiet", "Ebene", "Regierungsbezirk", "Wert"]
    assert [line[0] for line in lines[1:]] == list(page)
    assert {line[0]: line[3] for line in lines[1:]} == {
        "Düsseldorf": "40",
        "Bonn": CONFIDENTIAL,
        "Köln": CONFIDENTIAL,
        "Regierungsbezirk Düsseldorf": "40",
        "Regierungsbezirk Köln": "4323",
        "Nordrhein-Westfalen": "4363",
    }
    xlsx = client.get(URL + "&sortierung=-wert&export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [[c for c in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[3]) for r in cells] == [(line[0], _xlsx(line[3])) for line in lines[1:]]
    # timestamps ("Stand der Daten") may contain any digits; every other cell must not
    texts = [str(v) for row in cells for v in row if not isinstance(v, dt.datetime)]
    for secret in SECRET:
        assert secret not in body  # CSV times are TT.MM.JJJJ HH:MM: no 4 digits but the year
        assert all(secret not in text for text in texts)


def _xlsx(value: str) -> object:
    return int(value) if value.isdigit() else value


def test_bezirksregierung_sees_only_its_bezirk_as_a_subset(kit: Kit, facts: Tenant) -> None:
    client = _client(kit, LandRole.BEZIRKSREGIERUNG, "Köln")
    html = client.get(URL).content.decode()
    rows = _table(html)
    assert set(rows) == {"Bonn", "Köln", "Regierungsbezirk Köln"}
    # the same protected Land table: Köln stays hidden although Bonn is the only secret
    assert rows["Köln"][1] == rows["Bonn"][1] == CONFIDENTIAL
    assert rows["Regierungsbezirk Köln"][1] == "4.323"
    assert "Düsseldorf: 40" not in html and "Nordrhein-Westfalen</th>" not in html
    assert f'<g data-ags="{DUESSELDORF}"><title>Düsseldorf: keine Angabe</title>' in html
    assert f'href="#ki-{DUESSELDORF}"' not in html and 'href="/ki/duesseldorf/' not in html
    assert 'href="/ki/bonn/?jahr=' in html  # a KI of its Bezirk opens the KI's page
    assert "Summe im Regierungsbezirk Köln je Monat 2025" in html
    body = client.get(URL + "&export=csv").content.decode("utf-8-sig")
    assert "Düsseldorf" not in body and "4363" not in body
    other = _client(kit, LandRole.BEZIRKSREGIERUNG, "Detmold").get(URL).content.decode()
    assert set(_table(other)) == set()  # no KI of the kit in Detmold


def test_figures_need_a_land_role_with_figures(kit: Kit) -> None:
    operator = _client(kit, LandRole.PLATTFORMBETRIEB)
    refused = operator.get(URL)
    assert refused.status_code == 403
    assert "Keine Berechtigung" in refused.content.decode()
    assert "umfasst keine Programmzahlen" in refused.content.decode()  # not "ask your KI-Leitung"
    assert "KI-Leitung" not in refused.content.decode()
    assert "<svg" not in refused.content.decode()
    assert operator.get(URL + "&export=csv").status_code == 403
    anonymous = Client(HTTP_HOST=kit.land_host).get(URL)
    assert anonymous.status_code == 302 and "/konto/anmelden/" in anonymous["Location"]
    assert kit.a.client().get(URL).status_code == 404  # not on a KI's host
    assert kit.b.client().get(URL + "&export=csv").status_code == 404


def test_empty_state_without_facts(kit: Kit) -> None:
    html = _client(kit).get(URL).content.decode()
    assert "Für 2025 liegen zu dieser Kennzahl noch keine Zahlen vor" in html
    assert _table(html)["Köln"][:2] == ["Köln", NOTHING]
    assert "keine Zahlen" in html


def test_per_inhabitants_and_sorting(kit: Kit, facts: Tenant) -> None:
    client = _client(kit)
    html = client.get(URL + "&bezug=einwohner").content.decode()
    assert _table(html)["Düsseldorf"][2] == "0,6"  # 40 per 620,000 → 0.645 per 10,000
    assert 'aria-label="Düsseldorf: 0,6 je 10.000 Einw."' in html
    up = list(_table(client.get(URL + "&sortierung=wert").content.decode()))
    assert up[0] == "Düsseldorf"  # the only published KI value; hidden ones come last
    assert 'aria-sort="descending"' in client.get(URL + "&sortierung=-rate").content.decode()


def test_a_hidden_month_does_not_follow_from_the_year() -> None:
    shown = [ProtectedCell(Decimal(v), "") for v in (5, 3)]
    secret = ProtectedCell(None, CONFIDENTIAL, "primary")
    series = protect_series(ProtectedCell(10, ""), [shown[0], secret, shown[1]])
    assert [c.symbol for c in series] == ["", CONFIDENTIAL, CONFIDENTIAL]  # 3 hidden too
    hidden_year = protect_series(ProtectedCell(None, CONFIDENTIAL), shown)
    assert [c.symbol for c in hidden_year] == ["", CONFIDENTIAL]
    assert protect_series(ProtectedCell(10, ""), shown) == shown


def test_figures_that_do_not_count_persons_are_never_hidden(kit: Kit) -> None:
    euros = Indicator.objects.get(programme__code="griffbereit", code="money_passed_on")
    assert not euros.counts_persons
    Fact.objects.create(
        tenant=kit.b.tenant,
        programme=euros.programme,
        indicator=euros,
        period=dt.date(YEAR, 4, 1),
        value=Decimal("2.00"),
        source_generation=1,
    )
    url = f"/dashboard/?programm=griffbereit&indikator=money_passed_on&jahr={YEAR}"
    rows = _table(_client(kit).get(url).content.decode())
    assert rows["Bonn"][1] == "2" and rows["Nordrhein-Westfalen"][1] == "2"
