"""Pages of the session import: upload, preview, confirm, discard, template; roles; isolation."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import (
    AuditEntry,
    ImportStatus,
    Membership,
    Role,
    Session,
    SessionImport,
)
from tests.kit import PASSWORD, Kit, KitTenant
from tests.workspace.test_imports import csv_file, group, xlsx_file

pytestmark = pytest.mark.django_db
URL = "/termine/import/"
GOOD = [["Maßnahme", "Datum", "Kinder"], ["Griffbereit Nord", "12.01.2026", "4"]]


def role_client(kt: KitTenant, role: str) -> Client:
    client = Client(HTTP_HOST=kt.host)
    with in_tenant(kt.tenant):
        email = f"{role}@{kt.tenant.slug}.example"
        user = User.objects.create_user(email, PASSWORD, full_name=f"Konto {role}")
        Membership.objects.create(user=user, role=role)
        assert client.login(username=email, password=PASSWORD)
    return client


def staff_client(kt: KitTenant) -> Client:
    client = Client(HTTP_HOST=kt.host)
    with in_tenant(kt.tenant):
        assert client.login(username=kt.staff_email, password=PASSWORD)
    return client


def upload(client: Client, data: bytes, name: str = "termine.csv") -> object:
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def draft_of(kt: KitTenant) -> SessionImport:
    with in_tenant(kt.tenant):
        return SessionImport.objects.get()


def test_upload_page_renders_with_labels_and_template_form(kit: Kit) -> None:
    html = kit.a.client().get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_file">Datei (CSV oder Excel)' in html
    assert 'accept=".csv,.xlsx' in html and 'aria-describedby="id_file_help"' in html
    assert 'action="/termine/import/vorlage/"' in html and '<label for="id_programm">' in html
    assert 'aria-current="page"' in html  # the navigation marks the import
    assert "Sie haben noch nichts importiert" in html


def test_upload_preview_confirm_and_confirm_again(kit: Kit) -> None:
    group(kit.a)
    client = kit.a.client()
    response = upload(client, csv_file(GOOD))
    draft = draft_of(kit.a)
    assert response.status_code == 302 and response["Location"] == f"{URL}{draft.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "Diese Termine werden importiert" in html and "neuer Termin" in html
    assert "12.01.2026" in html and "Kinder 4" in html
    assert f'action="{URL}{draft.pk}/importieren/"' in html
    with in_tenant(kit.a.tenant):
        assert not Session.objects.exists()  # nothing before the confirmation
    response = client.post(f"{URL}{draft.pk}/importieren/", follow=True)
    html = response.content.decode()
    assert "Import abgeschlossen. Neue Termine: 1, aktualisierte Termine: 0." in html
    assert "importiert" in html and "Importieren</button>" not in html
    with in_tenant(kit.a.tenant):
        assert Session.objects.count() == 1
        assert AuditEntry.objects.filter(object_type="workspace.session").count() == 1
        entries = AuditEntry.objects.count()
    again = client.post(f"{URL}{draft.pk}/importieren/", follow=True).content.decode()
    assert "schon importiert; es wurde nichts doppelt angelegt" in again
    with in_tenant(kit.a.tenant):
        assert Session.objects.count() == 1 and AuditEntry.objects.count() == entries
    assert "termine.csv" in client.get(URL).content.decode()  # in "Ihre letzten Importe"


def test_preview_lists_errors_per_row_and_offers_no_import(kit: Kit) -> None:
    group(kit.a)
    client = kit.a.client()
    data = xlsx_file(
        [*GOOD, ["Griffbereit Nord", dt.date(2026, 1, 13), "viele"], ["Unbekannt", "14.01.2026", 1]]
    )
    upload(client, data, name="liste.xlsx")
    html = client.get(f"{URL}{draft_of(kit.a).pk}/").content.decode()
    assert "Die Datei enthält 2 Fehler." in html and "Fehler je Zeile" in html
    assert '<th scope="row" class="num">3</th>' in html and "Kinder (Spalte C)" in html
    assert "„viele“ ist keine Zahl" in html
    assert "Es gibt keine Maßnahme „Unbekannt“" in html
    assert "Importieren</button>" not in html and "Verwerfen</button>" in html
    response = client.post(f"{URL}{draft_of(kit.a).pk}/importieren/", follow=True)
    assert "noch Fehler" in response.content.decode()
    with in_tenant(kit.a.tenant):
        assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("liste.txt", b"Datum;Nr.\r\n", "Bitte eine CSV- oder Excel-Datei"),
        ("liste.csv", b"Name;Wert\r\nA;1\r\n", "keine Kopfzeile"),
        ("liste.xlsx", b"PK kaputt", "Excel-Datei lässt sich nicht lesen"),
    ],
)
def test_bad_files_come_back_at_the_file_field(
    kit: Kit, name: str, data: bytes, message: str
) -> None:
    response = upload(kit.a.client(), data, name=name)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_errors"' in html and message in html and 'aria-invalid="true"' in html
    with in_tenant(kit.a.tenant):
        assert not SessionImport.objects.exists()


def test_missing_and_too_large_files(kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    client = kit.a.client()
    assert "Bitte eine Datei auswählen." in client.post(URL, {}).content.decode()
    monkeypatch.setattr("kinrw.workspace.web.imports.MAX_BYTES", 10)
    html = upload(client, csv_file(GOOD)).content.decode()
    assert "größer als 5 MB" in html


def test_discard_removes_the_rows_and_nothing_is_imported(kit: Kit) -> None:
    group(kit.a)
    client = kit.a.client()
    upload(client, csv_file(GOOD))
    pk = draft_of(kit.a).pk
    response = client.post(f"{URL}{pk}/verwerfen/", follow=True)
    assert "Die Vorschau ist verworfen" in response.content.decode()
    draft = draft_of(kit.a)
    assert draft.status == ImportStatus.DISCARDED and draft.rows == []
    assert "verworfen" in client.post(f"{URL}{pk}/importieren/", follow=True).content.decode()
    with in_tenant(kit.a.tenant):
        assert not Session.objects.exists()


def test_confirm_and_discard_take_post_only(kit: Kit) -> None:
    group(kit.a)
    client = kit.a.client()
    upload(client, csv_file(GOOD))
    pk = draft_of(kit.a).pk
    assert client.get(f"{URL}{pk}/importieren/").status_code == 405
    assert client.get(f"{URL}{pk}/verwerfen/").status_code == 405


@pytest.mark.parametrize("role", [Role.LESEND, Role.VERWALTUNG])
def test_roles_without_session_writing_get_403(kit: Kit, role: str) -> None:
    group(kit.a)
    kit.a.client().post(URL, {"file": SimpleUploadedFile("t.csv", csv_file(GOOD))})
    pk = draft_of(kit.a).pk
    client = role_client(kit.a, role)
    for response in (
        client.get(URL),
        client.post(URL, {"file": SimpleUploadedFile("t.csv", csv_file(GOOD))}),
        client.get(f"{URL}vorlage/?programm=griffbereit&format=csv"),
        client.get(f"{URL}{pk}/"),
        client.post(f"{URL}{pk}/importieren/"),
        client.post(f"{URL}{pk}/verwerfen/"),
    ):
        assert response.status_code == 403
        assert "Keine Berechtigung" in response.content.decode()
    with in_tenant(kit.a.tenant):
        assert SessionImport.objects.count() == 1 and not Session.objects.exists()
    assert 'href="/termine/import/"' not in client.get("/").content.decode()


def test_fachkraft_imports_but_not_someone_elses_draft(kit: Kit) -> None:
    group(kit.a)
    upload(kit.a.client(), csv_file(GOOD))
    pk = draft_of(kit.a).pk
    staff = staff_client(kit.a)
    assert staff.get(URL).status_code == 200
    assert staff.get(f"{URL}{pk}/").status_code == 404
    assert staff.post(f"{URL}{pk}/importieren/").status_code == 404
    assert staff.post(f"{URL}{pk}/verwerfen/").status_code == 404
    assert draft_of(kit.a).status == ImportStatus.DRAFT
    with in_tenant(kit.a.tenant):
        assert not Session.objects.exists()


def test_other_ki_gets_404_for_the_import_and_the_measure_template(kit: Kit) -> None:
    measure = group(kit.a)
    upload(kit.a.client(), csv_file(GOOD))
    pk = draft_of(kit.a).pk
    bonn = kit.b.client()
    assert bonn.get(f"{URL}{pk}/").status_code == 404
    assert bonn.post(f"{URL}{pk}/importieren/").status_code == 404
    assert bonn.post(f"{URL}{pk}/verwerfen/").status_code == 404
    assert bonn.get(f"{URL}vorlage/?massnahme={measure.pk}&format=csv").status_code == 404
    assert draft_of(kit.a).status == ImportStatus.DRAFT
    with in_tenant(kit.b.tenant):
        assert not SessionImport.objects.exists()


def test_templates_per_programme_and_per_measure(kit: Kit) -> None:
    from openpyxl import load_workbook

    measure = group(kit.a)
    client = kit.a.client()
    response = client.get(f"{URL}vorlage/?programm=griffbereit&format=xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="vorlage-griffbereit')
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert headers[:3] == ["Nr.", "Maßnahme", "Datum"] and "Kinder – weiblich" in headers
    upload(client, csv_file(GOOD))
    client.post(f"{URL}{draft_of(kit.a).pk}/importieren/")
    response = client.get(f"{URL}vorlage/?massnahme={measure.pk}&format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith(f"{measure.pk};Griffbereit Nord;12.01.2026;")
    missing = client.get(f"{URL}vorlage/?format=csv")
    assert missing.status_code == 200
    assert "Bitte ein Programm oder die Nr. einer Maßnahme angeben." in missing.content.decode()
    assert client.get(f"{URL}vorlage/?programm=erfunden&format=csv").status_code == 200


def test_preview_queries_do_not_grow_with_rows(kit: Kit) -> None:
    group(kit.a)
    client = kit.a.client()
    rows = [["Griffbereit Nord", f"{day:02d}.01.2026", "3"] for day in range(6, 27)]
    upload(client, csv_file([GOOD[0], rows[0]]))
    upload(client, csv_file([GOOD[0], *rows]))
    with in_tenant(kit.a.tenant):
        one, many = SessionImport.objects.order_by("pk")
    assert len(many.rows) == 21
    client.get(f"{URL}{one.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{URL}{one.pk}/")
    with CaptureQueriesContext(connection) as more:
        client.get(f"{URL}{many.pk}/")
    assert len(more) == len(few)
