"""The State API on the Land host (issue 4, part 7): same table, scope and suppression."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from kinrw.state.disclosure import CONFIDENTIAL, NOTHING
from kinrw.state.models import LandRole
from kinrw.tenancy.models import Tenant
from tests.kit import Kit
from tests.state.test_dashboard import SECRET, YEAR, _client, _duesseldorf, _fact

pytestmark = pytest.mark.django_db

API = "/api/v1/state/"
FIGURES = f"{API}figures/?programme=griffbereit&indicator=children&year={YEAR}"
TREND = f"{API}trend/?programme=griffbereit&indicator=children&year={YEAR}"


@pytest.fixture
def facts(kit: Kit) -> Tenant:
    """Köln 4000 + 321, Bonn 2 (secret), Düsseldorf 40: Köln hidden too (Bezirk Köln)."""
    duesseldorf = _duesseldorf()
    _fact(kit.a.tenant, 3, 4000)
    _fact(kit.a.tenant, 5, 321)
    _fact(kit.b.tenant, 3, 2)
    _fact(duesseldorf, 3, 40)
    return duesseldorf


def _rows(response: object) -> dict[str, tuple[object, str]]:
    return {r["name"]: (r["value"], r["symbol"]) for r in response.json()["rows"]}  # type: ignore[attr-defined]


def test_figures_are_the_protected_land_table(kit: Kit, facts: Tenant) -> None:
    response = _client(kit).get(FIGURES)
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert (body["programme"], body["indicator"], body["year"]) == ("griffbereit", "children", YEAR)
    assert _rows(response) == {
        "Bonn": (None, CONFIDENTIAL),  # primary: 2 children
        "Düsseldorf": (40, ""),
        "Köln": (None, CONFIDENTIAL),  # secondary: else 4323 − 4321 = 2
        "Regierungsbezirk Düsseldorf": (40, ""),
        "Regierungsbezirk Köln": (4323, ""),
        "Nordrhein-Westfalen": (4363, ""),
    }
    hidden = [r for r in body["rows"] if r["symbol"] == CONFIDENTIAL]
    assert all(r["rate"] is None for r in hidden)
    text = response.content.decode()
    for secret in (*SECRET, '"value":2,', '"value":2}', '"value":4321'):
        assert secret not in text
    assert '"value":40,' in text  # the check above looks at the right format
    month = _client(kit, LandRole.LAKI).get(FIGURES + "&month=5")
    assert _rows(month)["Köln"] == (321, "") and _rows(month)["Bonn"] == (None, NOTHING)


@pytest.mark.parametrize(
    ("role", "bezirk"), [(LandRole.MINISTERIUM, ""), (LandRole.BEZIRKSREGIERUNG, "Köln")]
)
def test_figures_are_the_rows_of_the_dashboard_csv(
    kit: Kit, facts: Tenant, role: str, bezirk: str
) -> None:
    client = _client(kit, role, bezirk)
    export = client.get(
        f"/dashboard/?programm=griffbereit&indikator=children&jahr={YEAR}&export=csv"
    )
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    api = client.get(FIGURES).json()["rows"]
    assert [(r["name"], str(r["symbol"] or r["value"])) for r in api] == [
        (line[0], line[3]) for line in lines[1:]
    ]


def test_bezirksregierung_gets_a_subset_of_the_land_table(kit: Kit, facts: Tenant) -> None:
    client = _client(kit, LandRole.BEZIRKSREGIERUNG, "Köln")
    response = client.get(FIGURES)
    assert _rows(response) == {
        "Bonn": (None, CONFIDENTIAL),
        "Köln": (None, CONFIDENTIAL),  # the Land table's pattern, not one of the Bezirk
        "Regierungsbezirk Köln": (4323, ""),
    }
    assert "4363" not in response.content.decode() and "Düsseldorf" not in response.content.decode()
    kis = client.get(f"{API}kis/").json()
    assert [k["slug"] for k in kis] == [kit.b.tenant.slug, kit.a.tenant.slug]  # Bonn, Köln
    assert kis[1]["computed_at"] and kis[1]["population"] == kit.a.tenant.population
    trend = client.get(TREND).json()
    assert trend["area"] == "Regierungsbezirk Köln"
    assert [m["month"] for m in trend["months"]] == list(range(1, 13))
    detmold = _client(kit, LandRole.BEZIRKSREGIERUNG, "Detmold")
    assert detmold.get(FIGURES).json()["rows"] == [] and detmold.get(f"{API}kis/").json() == []


def test_trend_of_the_land(kit: Kit, facts: Tenant) -> None:
    body = _client(kit).get(TREND).json()
    assert body["area"] == "Nordrhein-Westfalen"
    months = {m["month"]: (m["value"], m["symbol"]) for m in body["months"]}
    assert months[3] == (4042, "") and months[5] == (321, "") and months[1] == (None, NOTHING)


def test_programmes_and_kis_for_the_ministry(kit: Kit, facts: Tenant) -> None:
    client = _client(kit)
    programmes = client.get(f"{API}programmes/").json()
    griffbereit = next(p for p in programmes if p["code"] == "griffbereit")
    children = next(i for i in griffbereit["indicators"] if i["code"] == "children")
    assert children["counts_persons"] is True
    kis = {k["slug"]: k for k in client.get(f"{API}kis/").json()}
    assert set(kis) == {kit.a.tenant.slug, kit.b.tenant.slug, facts.slug}
    assert kis[facts.slug]["regierungsbezirk"] == "Düsseldorf"
    assert kis[facts.slug]["population_date"] == "2024-12-31"


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        (f"{API}figures/?year={YEAR}", "indicator", "Kennzahl an"),
        (f"{API}figures/?indicator=gibtsnicht&year={YEAR}", "indicator", "gibt es nicht"),
        (f"{API}figures/?indicator=children", "year", "Jahr an"),
        (f"{API}figures/?indicator=children&year=abc", "year", "eine Zahl"),
        (f"{API}figures/?indicator=children&year=1800", "year", "Jahr von 2000"),
        (f"{FIGURES}&month=13", "month", "1 bis 12"),
        (f"{API}figures/?indicator=children&year={YEAR}", "programme", "Mehrere Programme"),
        (f"{API}figures/?programme=x&indicator=children&year=2025", "indicator", "gibt es nicht"),
        (f"{API}trend/?indicator=children", "year", "Jahr an"),
    ],
)
def test_bad_parameters_get_a_german_400(kit: Kit, query: str, field: str, words: str) -> None:
    response = _client(kit).get(query)
    assert response.status_code == 400
    assert words in response.json()[field][0]


@pytest.mark.parametrize("path", ["programmes/", "kis/", FIGURES[len(API) :], "trend/"])
def test_only_land_roles_with_figures(kit: Kit, facts: Tenant, path: str) -> None:
    operator = _client(kit, LandRole.PLATTFORMBETRIEB).get(API + path)
    assert operator.status_code == 403 and "keine Programmzahlen" in operator.json()["detail"]
    anonymous = Client(HTTP_HOST=kit.land_host).get(API + path)
    assert anonymous.status_code in (401, 403)
    assert "4363" not in anonymous.content.decode()
    assert kit.a.client().get(API + path).status_code == 404  # not on a KI's host
    assert kit.b.client().get(API + path).status_code == 404


def test_no_writes(kit: Kit) -> None:
    client = _client(kit)
    response = client.post(f"{API}figures/", {}, content_type="application/json")
    assert response.status_code in (403, 405)
