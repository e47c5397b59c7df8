"""Partner pages: organisations, their contacts and agreements; roles, validation, per KI."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.models import (
    AuditEntry,
    ContactPerson,
    CooperationAgreement,
    Membership,
    Organisation,
    Role,
)
from kinrw.workspace.services import (
    agreement_create,
    contact_create,
    gremium_create,
    measure_create,
    organisation_create,
)
from tests.kit import PASSWORD, Kit, KitTenant

pytestmark = pytest.mark.django_db
KOELN, BONN = "05315000", "05314000"


def role_client(kt: KitTenant, role: Role) -> Client:
    email = f"rolle-{role}@{kt.tenant.slug}.example"
    with in_tenant(kt.tenant):
        user = User.objects.create_user(email, PASSWORD, full_name=f"Konto {role}")
        Membership.objects.create(user=user, role=role)
        client = Client(HTTP_HOST=kt.host)
        assert client.login(username=email, password=PASSWORD)
    return client


def kita(
    kt: KitTenant, name: str = "Kita Sonnenblume", kind: str = "kita", **extra: object
) -> Organisation:
    with in_tenant(kt.tenant):
        return organisation_create(actor=None, name=name, kind=kind, **extra)  # type: ignore[arg-type]


def org_form(**changes: str) -> dict[str, str]:
    data = {
        "name": "Kulturverein Ehrenfeld",
        "kind": "verein",
        "street": "Venloer Str. 1",
        "postcode": "50823",
        "city": "Köln",
        "gemeinde": str(Gemeinde.objects.get(ags=KOELN).pk),
    }
    return {**data, **changes}


# --- organisations -----------------------------------------------------------------------


def test_list_shows_columns_and_searches_and_filters(kit: Kit) -> None:
    koeln = Gemeinde.objects.get(ags=KOELN)
    sun = kita(kit.a, city="Köln", gemeinde=koeln)
    kita(kit.a, name="Moschee-Verein", kind="verein", city="Porz")
    with in_tenant(kit.a.tenant):
        agreement_create(
            actor=None, organisation=sun, kind="kooperation", starts_on=dt.date(2026, 1, 1)
        )
        measure_create(
            actor=None,
            title="Gruppe",
            programme=Programme.objects.get(code="griffbereit"),
            starts_on=dt.date(2026, 1, 5),
            partner=sun,
        )
    client = kit.a.client()
    html = client.get("/partner/").content.decode()
    assert "2 Einträge" in html and "Kita Sonnenblume" in html and "Moschee-Verein" in html
    assert '<td class="num">1</td>' in html  # one measure with the Kita as partner
    assert "Porz" in client.get("/partner/?q=porz").content.decode()
    assert "Kita Sonnenblume" not in client.get("/partner/?q=porz").content.decode()
    assert "1 Eintrag" in client.get("/partner/?art=kita").content.decode()
    assert "1 Eintrag" in client.get(f"/partner/?gemeinde={koeln.pk}").content.decode()
    with_agreement = client.get("/partner/?vereinbarung=ja").content.decode()
    assert "Kita Sonnenblume" in with_agreement and "Moschee-Verein" not in with_agreement
    assert "Moschee-Verein" in client.get("/partner/?vereinbarung=nein").content.decode()
    assert "Neue Partnerorganisation" in html


def test_list_queries_do_not_grow_and_export_works(kit: Kit) -> None:
    client = kit.a.client()
    kita(kit.a, name="Kita 00", gemeinde=Gemeinde.objects.get(ags=KOELN))
    client.get("/partner/")
    with CaptureQueriesContext(connection) as one:
        client.get("/partner/")
    for i in range(1, 21):
        kita(kit.a, name=f"Kita {i:02d}", gemeinde=Gemeinde.objects.get(ags=KOELN))
    with CaptureQueriesContext(connection) as many:
        assert "21 Einträge" in client.get("/partner/").content.decode()
    assert len(many) == len(one)
    lines = client.get("/partner/?export=csv").content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Name;Art;Ort;Gemeinde;Maßnahmen;Aktive Vereinbarung"
    assert lines[1] == "Kita 00;Kita;;Köln;0;nein" and len(lines) == 22
    from openpyxl import load_workbook

    xlsx = client.get("/partner/?export=xlsx")
    assert load_workbook(io.BytesIO(xlsx.content)).active.cell(2, 1).value == "Kita 00"


def test_create_saves_through_the_service_with_audit(kit: Kit) -> None:
    response = kit.a.client().post("/partner/neu/", org_form(), follow=True)
    html = response.content.decode()
    assert "Die Organisation „Kulturverein Ehrenfeld“ ist angelegt." in html
    with in_tenant(kit.a.tenant):
        org = Organisation.objects.get()
        assert response.redirect_chain[-1][0] == f"/partner/{org.pk}/"
        assert (org.postcode, org.gemeinde.ags) == ("50823", KOELN)
        entry = AuditEntry.objects.get(object_type="workspace.organisation")
        assert entry.action == "create" and entry.actor.email == kit.a.admin_email


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"postcode": "5082"}, "Die Postleitzahl hat fünf Ziffern"),
        ({"name": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"name": "   "}, "Dieses Feld ist zwingend erforderlich."),
        ({"kind": "zoo"}, "Bitte einen Eintrag aus der Liste wählen."),
    ],
)
def test_bad_input_is_shown_at_the_field_and_nothing_saved(
    kit: Kit, changes: dict[str, str], message: str
) -> None:
    response = kit.a.client().post("/partner/neu/", org_form(**changes))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'aria-invalid="true"' in html and "Venloer Str. 1" in html  # input kept
    with in_tenant(kit.a.tenant):
        assert not Organisation.objects.exists() and not AuditEntry.objects.exists()


def test_gemeinde_of_another_ki_cannot_be_chosen(kit: Kit) -> None:
    client = kit.a.client()
    assert "Bonn" not in client.get("/partner/neu/").content.decode()
    bonn = Gemeinde.objects.get(ags=BONN)
    html = client.post("/partner/neu/", org_form(gemeinde=str(bonn.pk))).content.decode()
    assert "Bitte eine Gemeinde aus der Liste wählen." in html
    with in_tenant(kit.a.tenant):
        assert not Organisation.objects.exists()


def test_detail_shows_address_and_related_tables(kit: Kit) -> None:
    org = kita(kit.a, street="Hauptstr. 5", postcode="50667", city="Köln")
    with in_tenant(kit.a.tenant):
        contact_create(actor=None, organisation=org, name="A. Beispiel", email="a@kita.example")
        agreement_create(
            actor=None, organisation=org, kind="weiterleitung", starts_on=dt.date(2026, 2, 1)
        )
        gremium_create(actor=None, name="AK Sprache", kind="arbeitskreis", members=[org])
        measure_create(
            actor=None,
            title="Rucksack-Gruppe",
            programme=Programme.objects.get(code="griffbereit"),
            starts_on=dt.date(2026, 1, 5),
            partner=org,
        )
    html = kit.a.client().get(f"/partner/{org.pk}/").content.decode()
    for text in (
        "Hauptstr. 5",
        "50667 Köln",
        "A. Beispiel",
        "mailto:a@kita.example",
        "Weiterleitungsvertrag",
        "01.02.2026",
        "unbefristet",
        "AK Sprache",
        "Rucksack-Gruppe",
        f"/partner/{org.pk}/bearbeiten/",
    ):
        assert text in html, text


def test_edit_changes_only_what_changed(kit: Kit) -> None:
    org = kita(kit.a, city="Köln")
    client = kit.a.client()
    form = client.get(f"/partner/{org.pk}/bearbeiten/").content.decode()
    assert 'value="Kita Sonnenblume"' in form
    data = {"name": "Kita Sonnenblume", "kind": "familienzentrum", "city": "Köln"}
    response = client.post(f"/partner/{org.pk}/bearbeiten/", data)
    assert response.status_code == 302 and response["Location"] == f"/partner/{org.pk}/"
    with in_tenant(kit.a.tenant):
        org.refresh_from_db()
        assert org.kind == "familienzentrum"
        entry = AuditEntry.objects.filter(action="update").get()
        assert entry.changes == {"kind": ["kita", "familienzentrum"]}


def test_delete_asks_first_then_deletes_softly(kit: Kit) -> None:
    org = kita(kit.a)
    client = kit.a.client()
    page = client.get(f"/partner/{org.pk}/loeschen/").content.decode()
    assert "Sie sind dabei, „Kita Sonnenblume“ zu löschen." in page
    assert "bleiben unverändert erhalten" in page
    with in_tenant(kit.a.tenant):
        assert not Organisation.objects.get(pk=org.pk).is_deleted
    response = client.post(f"/partner/{org.pk}/loeschen/", follow=True)
    assert "ist gelöscht" in response.content.decode()
    with in_tenant(kit.a.tenant):
        assert Organisation.objects.get(pk=org.pk).is_deleted
    for url in ("", "bearbeiten/", "loeschen/", "ansprechpersonen/neu/"):
        assert client.get(f"/partner/{org.pk}/{url}").status_code == 404
    assert "Kita Sonnenblume" not in client.get("/partner/").content.decode()


def test_lesend_reads_but_cannot_write(kit: Kit) -> None:
    org = kita(kit.a)
    client = role_client(kit.a, Role.LESEND)
    list_html = client.get("/partner/").content.decode()
    assert "Kita Sonnenblume" in list_html and "Neue Partnerorganisation" not in list_html
    detail = client.get(f"/partner/{org.pk}/").content.decode()
    assert "Kita Sonnenblume" in detail and "/bearbeiten/" not in detail
    for url in ("neu/", f"{org.pk}/bearbeiten/", f"{org.pk}/loeschen/"):
        for method in (client.get, client.post):
            response = method(f"/partner/{url}", org_form())
            assert response.status_code == 403
            assert "Keine Berechtigung" in response.content.decode()
    with in_tenant(kit.a.tenant):
        assert Organisation.objects.get().name == "Kita Sonnenblume"
        assert not Organisation.objects.get().is_deleted


@pytest.mark.parametrize("role", [Role.VERWALTUNG, Role.FACHKRAFT])
def test_verwaltung_and_fachkraft_may_write_partners(kit: Kit, role: Role) -> None:
    client = role_client(kit.a, role)
    assert client.post("/partner/neu/", org_form()).status_code == 302
    with in_tenant(kit.a.tenant):
        assert AuditEntry.objects.get().actor.email == f"rolle-{role}@koeln.example"


def test_no_role_no_access(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        User.objects.create_user("ohne@koeln.example", PASSWORD)
        client = Client(HTTP_HOST=kit.a.host)
        assert client.login(username="ohne@koeln.example", password=PASSWORD)
    assert client.get("/partner/").status_code == 403
    assert Client(HTTP_HOST=kit.a.host).get("/partner/").status_code == 302  # to login


def test_the_other_ki_gets_404_everywhere(kit: Kit) -> None:
    org = kita(kit.a)
    with in_tenant(kit.a.tenant):
        contact = contact_create(actor=None, organisation=org, name="A. Beispiel")
        agreement = agreement_create(
            actor=None, organisation=org, kind="kooperation", starts_on=dt.date(2026, 1, 1)
        )
    other = kit.b.client()
    urls = [
        f"/partner/{org.pk}/",
        f"/partner/{org.pk}/bearbeiten/",
        f"/partner/{org.pk}/loeschen/",
        f"/partner/{org.pk}/ansprechpersonen/neu/",
        f"/partner/{org.pk}/ansprechpersonen/{contact.pk}/bearbeiten/",
        f"/partner/{org.pk}/ansprechpersonen/{contact.pk}/loeschen/",
        f"/partner/{org.pk}/vereinbarungen/neu/",
        f"/partner/{org.pk}/vereinbarungen/{agreement.pk}/bearbeiten/",
        f"/partner/{org.pk}/vereinbarungen/{agreement.pk}/loeschen/",
    ]
    for url in urls:
        assert other.get(url).status_code == 404, url
        assert other.post(url, {"name": "X", "kind": "kita"}).status_code == 404, url
    assert "Kita Sonnenblume" not in other.get("/partner/").content.decode()
    assert "Noch keine Vereinbarungen" in other.get("/partner/vereinbarungen/").content.decode()
    with in_tenant(kit.a.tenant):
        assert Organisation.objects.get().name == "Kita Sonnenblume"
        assert ContactPerson.objects.exists() and CooperationAgreement.objects.exists()


# --- contacts ----------------------------------------------------------------------------


def test_contacts_are_added_edited_and_deleted_for_good(kit: Kit) -> None:
    org = kita(kit.a)
    client = kit.a.client()
    base = f"/partner/{org.pk}/ansprechpersonen"
    bad = client.post(f"{base}/neu/", {"name": "A. Beispiel", "email": "keine-mail"})
    assert "Ungültige E-Mail-Adresse" in bad.content.decode()
    response = client.post(f"{base}/neu/", {"name": "A. Beispiel", "email": "A@Kita.example"})
    assert response["Location"] == f"/partner/{org.pk}/#ansprechpersonen"
    with in_tenant(kit.a.tenant):
        contact = ContactPerson.objects.get()
        assert contact.email == "a@kita.example"
    client.post(f"{base}/{contact.pk}/bearbeiten/", {"name": "A. Beispiel", "role": "Leitung"})
    with in_tenant(kit.a.tenant):
        contact.refresh_from_db()
        assert (contact.role, contact.email) == ("Leitung", "")
    assert "endgültig gelöscht" in client.get(f"{base}/{contact.pk}/loeschen/").content.decode()
    client.post(f"{base}/{contact.pk}/loeschen/")
    with in_tenant(kit.a.tenant):
        assert not ContactPerson.objects.exists()
        actions = list(
            AuditEntry.objects.filter(object_type="workspace.contactperson")
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions == ["create", "update", "delete"]


def test_a_contact_is_reached_only_through_its_own_organisation(kit: Kit) -> None:
    org = kita(kit.a)
    other_org = kita(kit.a, name="Kita Regenbogen")
    with in_tenant(kit.a.tenant):
        contact = contact_create(actor=None, organisation=org, name="A. Beispiel")
    client = kit.a.client()
    wrong = f"/partner/{other_org.pk}/ansprechpersonen/{contact.pk}"
    assert client.get(f"{wrong}/bearbeiten/").status_code == 404
    assert client.post(f"{wrong}/bearbeiten/", {"name": "Geändert"}).status_code == 404
    assert client.post(f"{wrong}/loeschen/").status_code == 404
    with in_tenant(kit.a.tenant):
        assert ContactPerson.objects.get().name == "A. Beispiel"


# --- agreements --------------------------------------------------------------------------


def test_agreements_are_checked_saved_and_listed(kit: Kit) -> None:
    org = kita(kit.a)
    client = kit.a.client()
    base = f"/partner/{org.pk}/vereinbarungen"
    data = {"kind": "kooperation", "status": "aktiv", "starts_on": "01.03.2026"}
    bad = client.post(f"{base}/neu/", {**data, "ends_on": "28.02.2026"}).content.decode()
    assert "Das Ende der Vereinbarung liegt vor ihrem Beginn." in bad
    assert 'id="id_ends_on_errors"' in bad  # at the field
    with in_tenant(kit.a.tenant):
        assert not CooperationAgreement.objects.exists()
    assert client.post(f"{base}/neu/", data).status_code == 302
    with in_tenant(kit.a.tenant):
        agreement = CooperationAgreement.objects.get()
        assert agreement.starts_on == dt.date(2026, 3, 1)
    client.post(f"{base}/{agreement.pk}/bearbeiten/", {**data, "status": "beendet"})
    listing = client.get("/partner/vereinbarungen/?status=beendet").content.decode()
    assert "Kita Sonnenblume" in listing and "1 Eintrag" in listing
    assert (
        "Noch keine" not in client.get("/partner/vereinbarungen/?art=kooperation").content.decode()
    )
    assert (
        "Keine Einträge passen"
        in client.get("/partner/vereinbarungen/?status=aktiv").content.decode()
    )
    csv = client.get("/partner/vereinbarungen/?export=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[1] == "Kita Sonnenblume;Kooperationsvereinbarung;beendet;01.03.2026;"
    other_org = kita(kit.a, name="Kita Regenbogen")
    wrong = f"/partner/{other_org.pk}/vereinbarungen/{agreement.pk}"
    assert client.post(f"{wrong}/loeschen/").status_code == 404
    client.post(f"{base}/{agreement.pk}/loeschen/")
    with in_tenant(kit.a.tenant):
        assert not CooperationAgreement.objects.exists()
        actions = AuditEntry.objects.filter(object_type="workspace.cooperationagreement")
        assert sorted(actions.values_list("action", flat=True)) == ["create", "delete", "update"]


def test_agreement_list_queries_do_not_grow(kit: Kit) -> None:
    client = kit.a.client()

    def add(n: int) -> None:
        for i in range(n):
            org = kita(kit.a, name=f"Kita {n}-{i}")
            with in_tenant(kit.a.tenant):
                agreement_create(
                    actor=None, organisation=org, kind="rahmen", starts_on=dt.date(2026, 1, 1)
                )

    add(1)
    client.get("/partner/vereinbarungen/")
    with CaptureQueriesContext(connection) as one:
        client.get("/partner/vereinbarungen/")
    add(20)
    with CaptureQueriesContext(connection) as many:
        client.get("/partner/vereinbarungen/")
    assert len(many) == len(one)
