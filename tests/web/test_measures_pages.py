"""Measure pages: detail, create, edit, delete; roles, validation, audit, other KI, queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.models import AuditEntry, Measure, Membership, Role, Session
from kinrw.workspace.services import (
    measure_create,
    organisation_create,
    organisation_delete,
    session_record,
)
from tests.kit import PASSWORD, Kit, KitTenant

pytestmark = pytest.mark.django_db
KOELN, BONN = "05315000", "05314000"


def _measure(kt: KitTenant, title: str = "Griffbereit Ehrenfeld", **extra: object) -> Measure:
    with in_tenant(kt.tenant):
        return measure_create(
            actor=None,
            title=title,
            programme=Programme.objects.get(code="griffbereit"),
            starts_on=dt.date(2026, 1, 5),
            **extra,
        )


def _client(kt: KitTenant, role: Role) -> Client:
    email = f"{role}-konto@{kt.tenant.slug}.example"
    with in_tenant(kt.tenant):
        user = User.objects.create_user(email, PASSWORD, full_name=f"Konto {role}")
        Membership.objects.create(user=user, role=role)
        client = Client(HTTP_HOST=kt.host)
        assert client.login(username=email, password=PASSWORD)
    return client


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Sprachcafé Kalk",
        "programme": Programme.objects.get(code="eigene_massnahme").pk,
        "handlungsfeld": "",
        "description": "Jeden Dienstag",
        "target_groups": ["eltern", "frauen"],
        "gemeinden": [Gemeinde.objects.get(ags=KOELN).pk],
        "venue": "Bürgerhaus Kalk",
        "partner": "",
        "starts_on": "01.02.2026",
        "ends_on": "",
        "status": "laufend",
        "responsible": [],
        "languages": ["arabisch"],
    }
    data.update(changes)
    return data


def test_detail_shows_fields_sessions_and_this_measures_figures(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        kita = organisation_create(actor=None, name="Kita Sonnenschein", kind="kita")
    measure = _measure(
        kit.a,
        partner=kita,
        target_groups=["eltern"],
        languages=["tuerkisch"],
        gemeinden=[Gemeinde.objects.get(ags=KOELN)],
    )
    other = _measure(kit.a, title="Andere Gruppe")
    with in_tenant(kit.a.tenant):
        session_record(
            actor=None,
            measure=measure,
            date=dt.date(2026, 3, 2),
            counts={"families": {"total": 6}},
            note="Frühlingsfest",
        )
        session_record(
            actor=None, measure=other, date=dt.date(2026, 3, 3), counts={"families": {"total": 40}}
        )
    html = kit.a.client().get(f"/massnahmen/{measure.pk}/?jahr=2026").content.decode()
    for text in ("Griffbereit Ehrenfeld", "Kita Sonnenschein", "Eltern und Familien", "Türkisch"):
        assert text in html
    assert "Köln" in html and "05.01.2026" in html and "Frühlingsfest" in html
    assert "Familien: 6" in html  # the session's figures in the table
    row = re.search(r"<th scope=\"row\">Familien.*?</tr>", html, re.S)
    assert row is not None and ">6<" in row.group(0) and "40" not in row.group(0)
    assert f"/massnahmen/{measure.pk}/monat/" in html
    assert f"/massnahmen/{measure.pk}/bearbeiten/" in html


def test_detail_sessions_have_a_month_filter_pages_and_export(kit: Kit) -> None:
    measure = _measure(kit.a)
    with in_tenant(kit.a.tenant):
        for day in (dt.date(2026, 2, 2), dt.date(2026, 3, 2), dt.date(2026, 3, 9)):
            session_record(actor=None, measure=measure, date=day)
    client = kit.a.client()
    html = client.get(f"/massnahmen/{measure.pk}/?monat=2026-03").content.decode()
    assert "2 Einträge" in html and '<option value="2026-02">Februar 2026</option>' in html
    csv = client.get(f"/massnahmen/{measure.pk}/?export=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Datum;Beginn;Dauer (Minuten);ausgefallen")
    assert len(csv.splitlines()) == 4


def test_detail_queries_do_not_grow_with_sessions(kit: Kit) -> None:
    measure = _measure(kit.a)
    client = kit.a.client()
    with in_tenant(kit.a.tenant):
        session_record(
            actor=None, measure=measure, date=dt.date(2026, 2, 2), counts={"families": {"total": 1}}
        )
    client.get(f"/massnahmen/{measure.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/massnahmen/{measure.pk}/")
    with in_tenant(kit.a.tenant):
        for i in range(20):
            session_record(
                actor=None,
                measure=measure,
                date=dt.date(2026, 3, 1) + dt.timedelta(days=i),
                counts={"families": {"total": 2}, "children": {"total": 3}},
            )
    client.get(f"/massnahmen/{measure.pk}/")  # same warm state as before the first count
    with CaptureQueriesContext(connection) as many:
        client.get(f"/massnahmen/{measure.pk}/")
    assert len(many) == len(one)


def test_create_saves_through_the_service_with_an_audit_entry(kit: Kit) -> None:
    client = kit.a.client()
    form = client.get("/massnahmen/neu/").content.decode()
    assert 'name="target_groups"' in form and "<legend>Zielgruppen" in form
    assert "Köln" in form and "Bonn" not in form  # only the KI's own Gemeinden
    response = client.post("/massnahmen/neu/", _form())
    with in_tenant(kit.a.tenant):
        measure = Measure.objects.get(title="Sprachcafé Kalk")
        assert response.status_code == 302 and response["Location"] == f"/massnahmen/{measure.pk}/"
        assert measure.target_groups == ["eltern", "frauen"] and measure.languages == ["arabisch"]
        assert measure.handlungsfeld == measure.programme.handlungsfeld  # "wie beim Programm"
        entry = AuditEntry.objects.get(object_type="workspace.measure", object_id=measure.pk)
        assert entry.action == "create" and entry.actor.email == kit.a.admin_email
    assert "ist angelegt" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Dieses Feld ist zwingend erforderlich."),
        ({"starts_on": "31.02.2026"}, "starts_on", "gültiges Datum"),
        ({"ends_on": "01.01.2026"}, "ends_on", "Das Ende liegt vor dem Beginn"),
        ({"gemeinden": ["bonn"]}, "gemeinden", "Bitte Gemeinden aus der Liste wählen."),
        (
            {"programme": "griffbereit", "starts_on": "01.02.2012"},
            "programme",
            "läuft im Jahr des Beginns nicht",
        ),
    ],
)
def test_bad_input_shows_at_the_field_in_german_and_saves_nothing(
    kit: Kit, changes: dict[str, object], field: str, message: str
) -> None:
    if changes.get("gemeinden") == ["bonn"]:
        changes["gemeinden"] = [Gemeinde.objects.get(ags=BONN).pk]
    if changes.get("programme") == "griffbereit":
        changes["programme"] = Programme.objects.get(code="griffbereit").pk
    response = kit.a.client().post("/massnahmen/neu/", _form(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    errors = re.search(rf'<ul class="errorlist" id="id_{field}_errors">(.*?)</ul>', html, re.S)
    assert errors is not None and message in errors.group(1)
    assert "Bürgerhaus Kalk" in html  # nothing typed is lost
    with in_tenant(kit.a.tenant):
        assert not Measure.objects.exists() and not AuditEntry.objects.exists()


def test_edit_is_prefilled_and_saves_only_what_changed(kit: Kit) -> None:
    measure = _measure(kit.a, target_groups=["kinder"], status="laufend")
    client = kit.a.client()
    html = client.get(f"/massnahmen/{measure.pk}/bearbeiten/").content.decode()
    assert 'value="Griffbereit Ehrenfeld"' in html
    assert re.search(
        r'<input type="checkbox" name="target_groups" value="kinder"[^>]* checked', html
    )
    assert not re.search(r'name="target_groups" value="eltern"[^>]* checked', html)
    data = _form(
        title="Griffbereit Ehrenfeld II",
        programme=measure.programme_id,
        starts_on="05.01.2026",
        target_groups=["kinder"],
        gemeinden=[],
        languages=[],
        venue="",
        description="",
    )
    response = client.post(f"/massnahmen/{measure.pk}/bearbeiten/", data)
    assert response.status_code == 302
    with in_tenant(kit.a.tenant):
        measure.refresh_from_db()
        assert measure.title == "Griffbereit Ehrenfeld II"
        entry = AuditEntry.objects.filter(object_type="workspace.measure", action="update").get()
        assert entry.changes["title"] == ["Griffbereit Ehrenfeld", "Griffbereit Ehrenfeld II"]
        assert "target_groups" not in entry.changes


def test_delete_confirms_explains_and_soft_deletes(kit: Kit) -> None:
    measure = _measure(kit.a)
    with in_tenant(kit.a.tenant):
        session_record(
            actor=None, measure=measure, date=dt.date(2026, 2, 2), counts={"families": {"total": 3}}
        )
    client = kit.a.client()
    page = client.get(f"/massnahmen/{measure.pk}/loeschen/").content.decode()
    assert "Die Zahlen von 1 Termin zählen danach nicht mehr" in page
    with in_tenant(kit.a.tenant):
        assert not Measure.objects.get(pk=measure.pk).is_deleted  # GET changes nothing
    response = client.post(f"/massnahmen/{measure.pk}/loeschen/")
    assert response.status_code == 302 and response["Location"] == "/massnahmen/"
    with in_tenant(kit.a.tenant):
        assert Measure.objects.get(pk=measure.pk).is_deleted
        assert AuditEntry.objects.filter(object_type="workspace.measure", action="delete").exists()
    for url in ("", "bearbeiten/", "loeschen/", "monat/2026/2/"):
        assert client.get(f"/massnahmen/{measure.pk}/{url}").status_code == 404


@pytest.mark.parametrize("role", [Role.LESEND, Role.VERWALTUNG])
def test_reading_roles_see_but_cannot_change(kit: Kit, role: Role) -> None:
    measure = _measure(kit.a)
    client = _client(kit.a, role)
    html = client.get(f"/massnahmen/{measure.pk}/").content.decode()
    assert "Griffbereit Ehrenfeld" in html and "/bearbeiten/" not in html
    assert "Termin anlegen" not in html
    for url in ("/massnahmen/neu/", f"/massnahmen/{measure.pk}/bearbeiten/"):
        assert client.get(url).status_code == 403
    response = client.post(f"/massnahmen/{measure.pk}/loeschen/")
    assert response.status_code == 403 and "Berechtigung" in response.content.decode()
    with in_tenant(kit.a.tenant):
        assert not Measure.objects.get(pk=measure.pk).is_deleted


def test_fachkraft_may_create(kit: Kit) -> None:
    client = _client(kit.a, Role.FACHKRAFT)
    assert client.post("/massnahmen/neu/", _form()).status_code == 302


def test_the_other_ki_gets_404_everywhere(kit: Kit) -> None:
    measure = _measure(kit.a)
    bonn = kit.b.client()
    for url in ("", "bearbeiten/", "loeschen/", "monat/2026/3/"):
        assert bonn.get(f"/massnahmen/{measure.pk}/{url}").status_code == 404
        assert bonn.post(f"/massnahmen/{measure.pk}/{url}", _form()).status_code == 404
    with in_tenant(kit.a.tenant):
        assert Measure.objects.get(pk=measure.pk).title == "Griffbereit Ehrenfeld"
        assert not Measure.objects.get(pk=measure.pk).is_deleted
        assert not Session.objects.exists()


def test_a_partner_deleted_since_stays_until_replaced(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        verein = organisation_create(actor=None, name="Verein Brücke", kind="verein")
    measure = _measure(kit.a, partner=verein)
    with in_tenant(kit.a.tenant):
        organisation_delete(actor=None, organisation=verein)
    client = kit.a.client()
    form = client.get(f"/massnahmen/{measure.pk}/bearbeiten/").content.decode()
    assert f'<option value="{verein.pk}" selected>Verein Brücke</option>' in form
    data = _form(
        title="Neuer Titel",
        programme=measure.programme_id,
        starts_on="05.01.2026",
        partner=str(verein.pk),
        target_groups=[],
        gemeinden=[],
        languages=[],
        venue="",
        description="",
        status="geplant",
    )
    response = client.post(f"/massnahmen/{measure.pk}/bearbeiten/", data)
    assert response.status_code == 302  # what was valid when chosen stays
    with in_tenant(kit.a.tenant):
        measure.refresh_from_db()
        assert measure.title == "Neuer Titel" and measure.partner_id == verein.pk
    response = client.post(f"/massnahmen/{measure.pk}/bearbeiten/", {**data, "partner": ""})
    assert response.status_code == 302
    with in_tenant(kit.a.tenant):
        measure.refresh_from_db()
        assert measure.partner_id is None
    form = client.get(f"/massnahmen/{measure.pk}/bearbeiten/").content.decode()
    assert "Verein Brücke" not in form  # gone from the choices once replaced
