"""Programme pages: the KI's enrolments (list, create, edit, delete) and the catalogue."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import AuditEntry, Enrolment, Membership, Role
from kinrw.workspace.services import enrolment_create
from kinrw.workspace.web.admin_forms import parse_euro
from tests.kit import PASSWORD, Kit, KitTenant

pytestmark = pytest.mark.django_db


def role_client(kt: KitTenant, role: str) -> Client:
    email = f"{role}-programme@{kt.tenant.slug}.example"
    client = Client(HTTP_HOST=kt.host)
    with in_tenant(kt.tenant):
        user = User.objects.create_user(email, PASSWORD, full_name=f"Konto {role}")
        Membership.objects.create(user=user, role=role)
        assert client.login(username=email, password=PASSWORD)
    return client


def rows(html: str) -> list[str]:
    """The row headers of the list table (first column), without tags."""
    return [
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r'<th scope="row">(.*?)</th>', html)
    ]


def _enrol(kt: KitTenant, code: str = "griffbereit", year: int = 2026, amount: str = "") -> int:
    with in_tenant(kt.tenant):
        return enrolment_create(
            actor=None,
            programme=Programme.objects.get(code=code),
            year=year,
            granted_amount=Decimal(amount) if amount else None,
        ).pk


def test_list_shows_programmes_years_and_german_amounts(kit: Kit) -> None:
    _enrol(kit.a, amount="33300.50")
    _enrol(kit.a, code="komm_an", year=2025)
    html = kit.a.client().get("/programme/").content.decode()
    assert "Griffbereit" in html and "KOMM-AN NRW" in html
    assert "33.300,50" in html and "2026" in html
    assert "Programm eintragen" in html and "/programme/katalog/" in html
    assert rows(html) == ["Griffbereit", "KOMM-AN NRW"]  # newest year first
    only_2025 = kit.a.client().get("/programme/?jahr=2025").content.decode()
    assert rows(only_2025) == ["KOMM-AN NRW"]
    by_programme = kit.a.client().get("/programme/?programm=griffbereit").content.decode()
    assert rows(by_programme) == ["Griffbereit"] and "1 Eintrag" in by_programme


def test_list_is_empty_with_a_hint_and_exports(kit: Kit) -> None:
    assert "Noch keine Programme eingetragen" in kit.a.client().get("/programme/").content.decode()
    _enrol(kit.a, amount="12500.00")
    csv = kit.a.client().get("/programme/?export=csv").content.decode("utf-8-sig").splitlines()
    assert csv[0] == "Programm;Jahr;Bewilligter Betrag (Euro);Handlungsfeld"
    assert csv[1].startswith("Griffbereit;2026;12500;")
    from openpyxl import load_workbook

    response = kit.a.client().get("/programme/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 1).value == "Griffbereit" and sheet.cell(2, 3).value == 12500


def test_list_queries_do_not_grow_with_rows(kit: Kit) -> None:
    client = kit.a.client()
    _enrol(kit.a, year=2013)
    client.get("/programme/")
    with CaptureQueriesContext(connection) as one:
        client.get("/programme/")
    for year in range(2014, 2034):
        _enrol(kit.a, year=year)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/programme/").content.decode()
    assert "21 Einträge" in html
    assert len(many) == len(one)


def test_create_with_german_amount_saves_through_the_service(kit: Kit) -> None:
    client = kit.a.client()
    form = client.get("/programme/neu/?jahr=2026").content.decode()
    assert 'name="programme"' in form and "Griffbereit" in form
    response = client.post(
        "/programme/neu/",
        {"year": "2026", "programme": _programme_pk("griffbereit"), "granted_amount": "12.500,00"},
    )
    assert response.status_code == 302 and response["Location"] == "/programme/"
    assert "ist für 2026 eingetragen" in client.get("/programme/").content.decode()
    with in_tenant(kit.a.tenant):
        enrolment = Enrolment.objects.get()
        assert enrolment.granted_amount == Decimal("12500.00")
        entry = AuditEntry.objects.get(object_type="workspace.enrolment")
        assert entry.action == "create" and entry.actor.email == kit.a.admin_email


def _programme_pk(code: str) -> int:
    return Programme.objects.get(code=code).pk


def test_programme_choices_follow_the_year(kit: Kit) -> None:
    client = kit.a.client()
    kim = f'value="{_programme_pk("kim_baustein_1")}"'
    assert kim not in client.get("/programme/neu/?jahr=2015").content.decode()
    in_2024 = client.get("/programme/neu/?jahr=2024").content.decode()
    assert kim in in_2024 and 'id="id_programme_help"' in in_2024
    assert "Programme des Landes, die 2024 laufen" in in_2024
    # the refresh button reloads the list for the typed year and keeps what was entered
    refreshed = client.post(
        "/programme/neu/", {"year": "2024", "granted_amount": "5,5", "aktualisieren": "1"}
    )
    html = refreshed.content.decode()
    assert refreshed.status_code == 200 and kim in html and 'value="5,5"' in html
    with in_tenant(kit.a.tenant):
        assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": "2026", "granted_amount": "viel"}, "granted_amount", "Betrag in Euro"),
        ({"year": "2026", "granted_amount": "1,234"}, "granted_amount", "zwei Stellen"),
        ({"year": "2026", "granted_amount": "-5,00"}, "granted_amount", "nicht negativ"),
        ({"year": "1999"}, "year", "größer oder gleich 2000"),
        ({"year": "2015", "code": "kim_baustein_1"}, "programme", "läuft im gewählten Jahr nicht"),
        ({"year": "2026", "code": ""}, "programme", "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_create_errors_appear_at_the_field_in_german(
    kit: Kit, data: dict[str, str], field: str, message: str
) -> None:
    code = data.pop("code", "griffbereit")
    post = {"programme": _programme_pk(code) if code else "", **data}
    response = kit.a.client().post("/programme/neu/", post)
    html = response.content.decode()
    assert response.status_code == 200
    errors = html.split(f'id="id_{field}_errors"', 1)
    assert len(errors) == 2 and message in errors[1].split("</ul>", 1)[0]
    assert 'aria-invalid="true"' in html
    for value in data.values():
        assert f'value="{value}"' in html or value in html  # nothing typed is lost
    with in_tenant(kit.a.tenant):
        assert not Enrolment.objects.exists() and not AuditEntry.objects.exists()


def test_the_same_programme_twice_in_a_year_is_refused_at_the_field(kit: Kit) -> None:
    _enrol(kit.a)
    post = {"year": "2026", "programme": _programme_pk("griffbereit")}
    html = kit.a.client().post("/programme/neu/", post).content.decode()
    assert "„Griffbereit“ ist für 2026 bereits eingetragen." in html
    assert 'id="id_programme_errors"' in html


def test_edit_changes_only_the_amount(kit: Kit) -> None:
    pk = _enrol(kit.a, amount="1000.00")
    client = kit.a.client()
    form = client.get(f"/programme/{pk}/bearbeiten/").content.decode()
    assert 'value="1.000,00"' in form and "Griffbereit" in form
    bad = client.post(f"/programme/{pk}/bearbeiten/", {"granted_amount": "zwölf"})
    assert bad.status_code == 200 and "Betrag in Euro" in bad.content.decode()
    ok = client.post(f"/programme/{pk}/bearbeiten/", {"granted_amount": "33.300", "year": "1999"})
    assert ok.status_code == 302
    with in_tenant(kit.a.tenant):
        enrolment = Enrolment.objects.get(pk=pk)
        assert enrolment.granted_amount == Decimal("33300.00") and enrolment.year == 2026
        entry = AuditEntry.objects.filter(action="update").get()
        assert entry.changes == {"granted_amount": ["1000.00", "33300.00"]}
    client.post(f"/programme/{pk}/bearbeiten/", {"granted_amount": ""})
    with in_tenant(kit.a.tenant):
        assert Enrolment.objects.get(pk=pk).granted_amount is None


def test_delete_asks_first_then_deletes_with_an_audit_entry(kit: Kit) -> None:
    pk = _enrol(kit.a, amount="500.00")
    client = kit.a.client()
    page = client.get(f"/programme/{pk}/loeschen/").content.decode()
    assert "Was dann passiert" in page and "Maßnahmen" in page and "500,00" in page
    with in_tenant(kit.a.tenant):
        assert Enrolment.objects.filter(pk=pk).exists()
    response = client.post(f"/programme/{pk}/loeschen/")
    assert response.status_code == 302
    with in_tenant(kit.a.tenant):
        assert not Enrolment.objects.filter(pk=pk).exists()
        assert AuditEntry.objects.filter(action="delete", object_id=pk).exists()
    assert client.get(f"/programme/{pk}/bearbeiten/").status_code == 404


@pytest.mark.parametrize("role", [Role.LESEND, Role.VERWALTUNG])
def test_readers_see_the_list_but_may_not_change(kit: Kit, role: str) -> None:
    pk = _enrol(kit.a)
    client = role_client(kit.a, role)
    html = client.get("/programme/").content.decode()
    assert rows(html) == ["Griffbereit"] and "Programm eintragen" not in html
    assert f"/programme/{pk}/bearbeiten/" not in html
    assert client.get("/programme/katalog/").status_code == 200
    for path in ("/programme/neu/", f"/programme/{pk}/bearbeiten/", f"/programme/{pk}/loeschen/"):
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 403 and "Keine Berechtigung" in response.content.decode()
    with in_tenant(kit.a.tenant):
        assert Enrolment.objects.filter(pk=pk).exists()


def test_fachkraft_may_enrol(kit: Kit) -> None:
    client = role_client(kit.a, Role.FACHKRAFT)
    post = {"year": "2026", "programme": _programme_pk("griffbereit")}
    assert client.post("/programme/neu/", post).status_code == 302


def test_anonymous_is_sent_to_login(kit: Kit) -> None:
    response = kit.a.client(login=False).get("/programme/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_other_ki_gets_404_and_sees_nothing(kit: Kit) -> None:
    pk = _enrol(kit.a, amount="777.00")
    other = kit.b.client()
    html = other.get("/programme/").content.decode()
    assert rows(html) == [] and "777" not in html and "Noch keine Programme" in html
    for path in (f"/programme/{pk}/bearbeiten/", f"/programme/{pk}/loeschen/"):
        assert other.get(path).status_code == 404
        assert other.post(path, {"granted_amount": "1"}).status_code == 404
    with in_tenant(kit.a.tenant):
        assert Enrolment.objects.get(pk=pk).granted_amount == Decimal("777.00")


def test_catalogue_lists_programmes_with_their_indicators(kit: Kit) -> None:
    html = kit.a.client().get("/programme/katalog/").content.decode()
    assert "Griffbereit" in html and "KOMM-AN NRW" in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "Was bei „Griffbereit“ gezählt wird" in html
    griffbereit = html.split('id="programm-griffbereit"', 1)[1].split("</section>", 1)[0]
    families = re.search(r'<th scope="row">Familien</th>(.*?)</tr>', griffbereit, re.S)
    assert families, "the indicator Familien of Griffbereit is listed"
    cells = [c.strip() for c in re.findall(r"<td>(.*?)</td>", families.group(1), re.S)]
    assert cells == ["Familien", "ja", "Sprache"]  # unit, counts persons, breakdown label
    with in_tenant(kit.a.tenant):
        assert not Enrolment.objects.exists()  # reading the catalogue enrols nothing


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12.500,00", "12500.00"),
        ("12500,5", "12500.5"),
        ("12.500", "12500"),
        ("1.234.567", "1234567"),
        ("12500.50", "12500.50"),
        ("12 500 €", "12500"),
        ("0,99", "0.99"),
    ],
)
def test_german_amounts_are_read_as_written(text: str, value: str) -> None:
    assert parse_euro(text) == Decimal(value)


@pytest.mark.parametrize("text", ["zwölf", "1,2,3", "NaN", "Infinity", "12,50,00"])
def test_nonsense_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_euro(text)


def test_an_amount_shown_in_english_reads_back_unchanged() -> None:
    from django.utils import translation

    from kinrw.workspace.web.admin_forms import format_euro

    with translation.override("en"):
        shown = format_euro(Decimal("12500.00"))
        assert shown == "12,500.00"
        assert parse_euro(shown) == Decimal("12500.00")
    with translation.override("de"):
        assert parse_euro(format_euro(Decimal("12500.00"))) == Decimal("12500.00")
