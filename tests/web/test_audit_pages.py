"""The audit trail pages (KI-Leitung only): list with filters and export, one entry, read-only."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import AuditEntry, Membership, Role
from kinrw.workspace.services import (
    enrolment_create,
    enrolment_update,
    measure_create,
    membership_set,
    organisation_create,
    session_record,
)
from tests.kit import PASSWORD, Kit, KitTenant

pytestmark = pytest.mark.django_db


def role_client(kt: KitTenant, role: str) -> Client:
    email = f"{role}-protokoll@{kt.tenant.slug}.example"
    client = Client(HTTP_HOST=kt.host)
    with in_tenant(kt.tenant):
        user = User.objects.create_user(email, PASSWORD, full_name=f"Konto {role}")
        Membership.objects.create(user=user, role=role)
        assert client.login(username=email, password=PASSWORD)
    return client


def rows(html: str) -> list[list[str]]:
    """The table body: one list of cell texts per row."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _history(kt: KitTenant) -> dict[str, int]:
    """Three changes by the Leitung, one by the system: an enrolment, its amount, a role."""
    with in_tenant(kt.tenant):
        leitung = User.objects.get(email=kt.admin_email)
        staff = User.objects.get(email=kt.staff_email)
        enrolment = enrolment_create(
            actor=leitung,
            programme=Programme.objects.get(code="griffbereit"),
            year=2026,
            granted_amount=Decimal("1000.00"),
        )
        enrolment_update(actor=leitung, enrolment=enrolment, granted_amount=Decimal("33300.50"))
        membership_set(actor=leitung, user=staff, role=Role.VERWALTUNG)
        organisation_create(actor=None, name="Kita Sonnenschein", kind="kita")
        return {"enrolment": enrolment.pk, "staff": staff.pk, "leitung": leitung.pk}


def test_list_is_newest_first_and_readable(kit: Kit) -> None:
    _history(kit.a)
    html = kit.a.client().get("/protokoll/").content.decode()
    table = rows(html)
    assert [r[1:4] for r in table] == [
        ["System", "angelegt", "Organisation"],
        ["KI-Leitung Köln", "geändert", "Rolle im KI"],
        ["KI-Leitung Köln", "geändert", "Programmteilnahme"],
        ["KI-Leitung Köln", "angelegt", "Programmteilnahme"],
    ]
    assert "Bewilligter Betrag (Euro): 1.000,00 → 33.300,50" in table[2][5]
    assert "Rolle: Fachkraft → Verwaltung" in table[1][5]
    assert "Konto: – → Fachkraft Köln" in table[1][5]  # the account by name, not by number
    assert "Programm: – → Griffbereit" in table[3][5]
    assert table[0][5] == "Art: – → Kita; Name: – → Kita Sonnenschein"  # empty fields left out
    assert "<caption" in html and 'scope="col"' in html


def test_sessions_and_odd_values_render(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        measure = measure_create(
            actor=None,
            title="Griffbereit Mitte",
            programme=Programme.objects.get(code="griffbereit"),
            starts_on=dt.date(2026, 1, 1),
        )
        session_record(
            actor=None, measure=measure, date=dt.date(2026, 3, 3), counts={"children": {"total": 7}}
        )
        AuditEntry.objects.create(
            actor_label="Altbestand",
            action="update",
            object_type="workspace.gone",
            object_id=1,
            changes={"feld": "kein Paar", "datum": [{"a": 1}, ["x", None]]},
        )
    html = kit.a.client().get("/protokoll/").content.decode()
    table = rows(html)
    assert table[0][3] == "workspace.gone" and "Feld: – → kein Paar" in table[0][5]
    session = next(r for r in table if r[3] == "Termin")
    assert "Datum: – → 03.03.2026" in session[5] and "Zahlen: – → children: 7" in session[5]


def test_object_type_filter_uses_german_names(kit: Kit) -> None:
    _history(kit.a)
    client = kit.a.client()
    html = client.get("/protokoll/").content.decode()
    assert '<option value="workspace.enrolment">Programmteilnahme</option>' in html
    assert '<option value="workspace.membership">Rolle im KI</option>' in html
    only = rows(client.get("/protokoll/?art=workspace.enrolment").content.decode())
    assert len(only) == 2 and {r[3] for r in only} == {"Programmteilnahme"}


def test_action_account_and_search_filters(kit: Kit) -> None:
    ids = _history(kit.a)
    client = kit.a.client()
    created = rows(client.get("/protokoll/?aktion=create").content.decode())
    assert {r[2] for r in created} == {"angelegt"} and len(created) == 2
    by_leitung = rows(client.get(f"/protokoll/?konto={ids['leitung']}").content.decode())
    assert len(by_leitung) == 3 and {r[1] for r in by_leitung} == {"KI-Leitung Köln"}
    by_system = rows(client.get("/protokoll/?konto=system").content.decode())
    assert [r[1] for r in by_system] == ["System"]
    searched = rows(client.get("/protokoll/?q=syst").content.decode())
    assert [r[1] for r in searched] == ["System"]
    nothing = client.get("/protokoll/?q=niemand").content.decode()
    assert "Keine Einträge passen" in nothing and "Filter zurücksetzen" in nothing


def test_date_range_filters_by_local_day(kit: Kit) -> None:
    _history(kit.a)
    with in_tenant(kit.a.tenant):
        old = AuditEntry.objects.order_by("id").first()
        moment = timezone.make_aware(dt.datetime(2025, 3, 14, 23, 30))  # Berlin time
        AuditEntry.objects.filter(pk=old.pk).update(created_at=moment)
    client = kit.a.client()
    html = client.get("/protokoll/?von=2025-03-14&bis=14.03.2025").content.decode()
    assert len(rows(html)) == 1 and "Filter zurücksetzen" in html
    assert 'value="2025-03-14"' in html  # the date inputs keep their values
    assert len(rows(client.get("/protokoll/?von=15.03.2025").content.decode())) == 3
    assert len(rows(client.get("/protokoll/?bis=2025-03-13").content.decode())) == 0


def test_bad_dates_say_what_to_do(kit: Kit) -> None:
    _history(kit.a)
    client = kit.a.client()
    html = client.get("/protokoll/?von=gestern").content.decode()
    assert "Bitte ein Datum im Format TT.MM.JJJJ eingeben." in html
    assert 'id="audit-von_errors"' in html and len(rows(html)) == 4
    reversed_range = client.get("/protokoll/?von=2026-02-01&bis=2026-01-01").content.decode()
    assert "„Bis“ liegt vor „Von“" in reversed_range


def test_export_csv_and_xlsx(kit: Kit) -> None:
    _history(kit.a)
    client = kit.a.client()
    response = client.get("/protokoll/?export=csv&art=workspace.membership")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Zeitpunkt;Geändert von;Aktion;Art des Eintrags;Nummer;Änderungen"
    assert len(lines) == 2 and ";geändert;Rolle im KI;" in lines[1]
    assert "Rolle: Fachkraft → Verwaltung" in lines[1]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get("/protokoll/?export=xlsx").content)).active
    assert sheet.cell(1, 6).value == "Änderungen" and sheet.max_row == 5
    assert isinstance(sheet.cell(2, 1).value, dt.datetime)


def test_list_queries_do_not_grow_with_rows(kit: Kit) -> None:
    client = kit.a.client()
    with in_tenant(kit.a.tenant):
        leitung = User.objects.get(email=kit.a.admin_email)
        enrolment = enrolment_create(
            actor=leitung, programme=Programme.objects.get(code="griffbereit"), year=2026
        )
    client.get("/protokoll/")
    with CaptureQueriesContext(connection) as one:
        client.get("/protokoll/")
    with in_tenant(kit.a.tenant):
        for i in range(20):
            enrolment_update(actor=leitung, enrolment=enrolment, granted_amount=Decimal(i + 1))
    with CaptureQueriesContext(connection) as many:
        html = client.get("/protokoll/").content.decode()
    assert "21 Einträge" in html and len(many) == len(one)


def test_one_entry_shows_field_before_after(kit: Kit) -> None:
    ids = _history(kit.a)
    with in_tenant(kit.a.tenant):
        entry = AuditEntry.objects.get(object_type="workspace.membership")
    client = kit.a.client()
    html = client.get("/protokoll/").content.decode()
    assert f'href="/protokoll/{entry.pk}/"' in html
    page = client.get(f"/protokoll/{entry.pk}/").content.decode()
    assert ["Rolle", "Fachkraft", "Verwaltung"] in rows(page)
    assert ["Konto", "–", "Fachkraft Köln"] in rows(page)
    assert "Rolle im KI" in page and str(ids["staff"]) not in rows(page)[0]


def test_entries_can_not_be_changed(kit: Kit) -> None:
    _history(kit.a)
    with in_tenant(kit.a.tenant):
        entry = AuditEntry.objects.order_by("id").first()
        before = list(AuditEntry.objects.values())
    client = kit.a.client()
    for path in ("/protokoll/", f"/protokoll/{entry.pk}/"):
        assert client.post(path, {"actor_label": "Jemand"}).status_code == 405
    page = client.get(f"/protokoll/{entry.pk}/").content.decode()
    assert '<form method="post"' not in page.split("<main", 1)[1]
    with in_tenant(kit.a.tenant):
        assert list(AuditEntry.objects.values()) == before


@pytest.mark.parametrize("role", [Role.FACHKRAFT, Role.VERWALTUNG, Role.LESEND])
def test_only_the_leitung_reads_the_trail(kit: Kit, role: str) -> None:
    _history(kit.a)
    with in_tenant(kit.a.tenant):
        entry = AuditEntry.objects.order_by("id").first()
    client = role_client(kit.a, role)
    assert "/protokoll/" not in client.get("/").content.decode()  # not in the navigation
    for path in ("/protokoll/", "/protokoll/?export=csv", f"/protokoll/{entry.pk}/"):
        response = client.get(path)
        assert response.status_code == 403 and "Keine Berechtigung" in response.content.decode()
        assert b"Griffbereit" not in response.content


def test_other_ki_sees_none_of_it(kit: Kit) -> None:
    _history(kit.a)
    with in_tenant(kit.a.tenant):
        entry = AuditEntry.objects.order_by("id").first()
        AuditEntry.objects.filter(pk=entry.pk).update(id=987_654)
    with in_tenant(kit.b.tenant):
        assert not AuditEntry.objects.filter(pk=987_654).exists()
    other = kit.b.client()
    html = other.get("/protokoll/").content.decode()
    assert rows(html) == [] and "Noch keine Änderungen" in html
    assert "Griffbereit" not in other.get("/protokoll/?export=csv").content.decode("utf-8-sig")
    assert other.get("/protokoll/987654/").status_code == 404
