"""Gremium pages: list, detail, forms with member checkboxes, delete rules, meetings; per KI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.models import (
    AuditEntry,
    Gremium,
    GremiumMeeting,
    Membership,
    Organisation,
    Role,
)
from kinrw.workspace.services import (
    gremium_create,
    meeting_create,
    organisation_create,
    organisation_delete,
)
from tests.kit import PASSWORD, Kit, KitTenant

pytestmark = pytest.mark.django_db


def role_client(kt: KitTenant, role: Role) -> Client:
    email = f"rolle-{role}@{kt.tenant.slug}.example"
    with in_tenant(kt.tenant):
        user = User.objects.create_user(email, PASSWORD, full_name=f"Konto {role}")
        Membership.objects.create(user=user, role=role)
        client = Client(HTTP_HOST=kt.host)
        assert client.login(username=email, password=PASSWORD)
    return client


@dataclass
class Network:
    kita: Organisation
    verein: Organisation
    gremium: Gremium
    meetings: list[GremiumMeeting]


def network(kt: KitTenant, *, meetings: int = 1) -> Network:
    """A Lenkungsgruppe with a Kita and a Verein as members and ``meetings`` meetings."""
    with in_tenant(kt.tenant):
        kita = organisation_create(actor=None, name="Kita Sonnenblume", kind="kita")
        verein = organisation_create(actor=None, name="Kulturverein", kind="verein")
        gremium = gremium_create(
            actor=None, name="Lenkungsgruppe KIM", kind="lenkungsgruppe", members=[kita, verein]
        )
        made = [
            meeting_create(
                actor=None,
                gremium=gremium,
                held_on=dt.date(2026, 3, 4 + i),
                topic=f"Jahresplanung {i}",
                participants=[kita, verein],
            )
            for i in range(meetings)
        ]
    return Network(kita=kita, verein=verein, gremium=gremium, meetings=made)


def test_list_counts_searches_filters_and_exports(kit: Kit) -> None:
    network(kit.a, meetings=2)
    with in_tenant(kit.a.tenant):
        gremium_create(actor=None, name="Integrationsrat", kind="integrationsrat")
    client = kit.a.client()
    html = client.get("/gremien/").content.decode()
    assert "2 Einträge" in html and "Neues Gremium" in html
    assert '<td class="num">2</td>' in html and "05.03.2026" in html  # members, last meeting
    assert "1 Eintrag" in client.get("/gremien/?q=lenkung").content.decode()
    assert "Integrationsrat" in client.get("/gremien/?art=integrationsrat").content.decode()
    csv = client.get("/gremien/?export=csv").content.decode("utf-8-sig").splitlines()
    assert csv[0] == "Name;Art;Gemeinde;Mitglieder;Sitzungen;Letzte Sitzung"
    assert csv[2] == "Lenkungsgruppe KIM;Lenkungsgruppe;;2;2;05.03.2026"


def test_list_queries_do_not_grow(kit: Kit) -> None:
    client = kit.a.client()
    network(kit.a)
    client.get("/gremien/")
    with CaptureQueriesContext(connection) as one:
        client.get("/gremien/")
    with in_tenant(kit.a.tenant):
        for i in range(20):
            gremium_create(actor=None, name=f"AK {i:02d}", kind="arbeitskreis")
    with CaptureQueriesContext(connection) as many:
        assert "21 Einträge" in client.get("/gremien/").content.decode()
    assert len(many) == len(one)


def test_create_with_member_checkboxes_only_offers_live_organisations(kit: Kit) -> None:
    made = network(kit.a, meetings=0)
    with in_tenant(kit.a.tenant):
        gone = organisation_create(actor=None, name="Alter Verein", kind="verein")
        organisation_delete(actor=None, organisation=gone)
    client = kit.a.client()
    form = client.get("/gremien/neu/").content.decode()
    assert "<legend>Mitglieder</legend>" in form and 'type="checkbox"' in form
    assert "Kita Sonnenblume" in form and "Alter Verein" not in form
    koeln = Gemeinde.objects.get(ags="05315000")
    data = {"name": "AK Sprache", "kind": "arbeitskreis", "gemeinde": str(koeln.pk)}
    refused = client.post("/gremien/neu/", {**data, "members": [str(gone.pk)]}).content.decode()
    assert "nicht (mehr) auswählbar" in refused and 'value="AK Sprache"' in refused
    with in_tenant(kit.a.tenant):
        assert Gremium.objects.count() == 1
    members = [str(made.kita.pk), str(made.verein.pk)]
    response = client.post("/gremien/neu/", {**data, "members": members}, follow=True)
    assert "Das Gremium „AK Sprache“ ist angelegt." in response.content.decode()
    with in_tenant(kit.a.tenant):
        gremium = Gremium.objects.get(name="AK Sprache")
        assert gremium.members.count() == 2 and gremium.gemeinde == koeln
        entry = AuditEntry.objects.get(object_type="workspace.gremium", object_id=gremium.pk)
        assert entry.actor.email == kit.a.admin_email


def test_bad_input_is_shown_at_the_field(kit: Kit) -> None:
    html = kit.a.client().post("/gremien/neu/", {"name": "", "kind": "zoo"}).content.decode()
    assert 'id="id_name_errors"' in html and 'id="id_kind_errors"' in html
    assert "Dieses Feld ist zwingend erforderlich." in html
    with in_tenant(kit.a.tenant):
        assert not Gremium.objects.exists()


def test_detail_shows_members_and_meetings(kit: Kit) -> None:
    made = network(kit.a)
    gremium = made.gremium
    with in_tenant(kit.a.tenant):
        organisation_delete(actor=None, organisation=made.verein)
    html = kit.a.client().get(f"/gremien/{gremium.pk}/").content.decode()
    assert "Kita Sonnenblume" in html and 'Kulturverein <span class="muted">(gelöscht)' in html
    assert "04.03.2026" in html and "Jahresplanung 0" in html
    assert '<td class="num">2</td>' in html  # participants of the meeting
    assert "Sitzung eintragen" in html


def test_edit_changes_members_with_audit(kit: Kit) -> None:
    made = network(kit.a, meetings=0)
    gremium = made.gremium
    client = kit.a.client()
    url = f"/gremien/{gremium.pk}/bearbeiten/"
    form = client.get(url).content.decode()
    assert form.count("checked") == 2
    data = {"name": "Lenkungsgruppe KIM", "kind": "lenkungsgruppe"}
    response = client.post(url, {**data, "members": [str(made.kita.pk)]})
    assert response.status_code == 302
    with in_tenant(kit.a.tenant):
        assert [o.name for o in gremium.members.all()] == ["Kita Sonnenblume"]
        entry = AuditEntry.objects.get(action="update")
        assert list(entry.changes) == ["members"]


def test_delete_is_refused_while_meetings_exist(kit: Kit) -> None:
    made = network(kit.a)
    gremium = made.gremium
    client = kit.a.client()
    url = f"/gremien/{gremium.pk}/loeschen/"
    page = client.get(url).content.decode()
    assert "Das Gremium hat 1 Sitzung." in page and "Ja, löschen" not in page
    refused = client.post(url).content.decode()
    assert "hat Sitzungen; bitte zuerst die Sitzungen löschen" in refused
    with in_tenant(kit.a.tenant):
        assert Gremium.objects.exists()
        meeting = GremiumMeeting.objects.get()
    client.post(f"/gremien/{gremium.pk}/sitzungen/{meeting.pk}/loeschen/")
    assert "Ja, löschen" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "ist gelöscht" in response.content.decode()
    with in_tenant(kit.a.tenant):
        assert not Gremium.objects.exists() and not GremiumMeeting.objects.exists()
        assert AuditEntry.objects.filter(action="delete").count() == 2
    assert client.get(f"/gremien/{gremium.pk}/").status_code == 404


def test_meetings_are_added_edited_and_shown(kit: Kit) -> None:
    made = network(kit.a, meetings=0)
    gremium = made.gremium
    client = kit.a.client()
    base = f"/gremien/{gremium.pk}/sitzungen"
    form = client.get(f"{base}/neu/").content.decode()
    assert form.count("checked") == 2  # the members are preselected
    assert (
        "Bitte korrigieren"
        in client.post(f"{base}/neu/", {"held_on": "31.02.2026"}).content.decode()
    )
    data = {
        "held_on": "12.05.2026",
        "topic": "Sprachförderung",
        "participants": [str(made.kita.pk)],
    }
    response = client.post(f"{base}/neu/", data)
    assert response["Location"] == f"/gremien/{gremium.pk}/#sitzungen"
    with in_tenant(kit.a.tenant):
        meeting = GremiumMeeting.objects.get()
        assert meeting.held_on == dt.date(2026, 5, 12)
        assert [o.name for o in meeting.participants.all()] == ["Kita Sonnenblume"]
    detail = client.get(f"{base}/{meeting.pk}/").content.decode()
    assert "Sitzung am 12.05.2026" in detail and "Sprachförderung" in detail
    edit = {**data, "topic": "Sprachförderung II"}
    assert client.post(f"{base}/{meeting.pk}/bearbeiten/", edit).status_code == 302
    with in_tenant(kit.a.tenant):
        meeting.refresh_from_db()
        assert meeting.topic == "Sprachförderung II"
        assert AuditEntry.objects.filter(object_type="workspace.gremiummeeting").count() == 2


def test_a_meeting_is_reached_only_through_its_own_gremium(kit: Kit) -> None:
    made = network(kit.a)
    meeting = made.meetings[0]
    with in_tenant(kit.a.tenant):
        other = gremium_create(actor=None, name="AK", kind="arbeitskreis")
    client = kit.a.client()
    for suffix in ("", "bearbeiten/", "loeschen/"):
        url = f"/gremien/{other.pk}/sitzungen/{meeting.pk}/{suffix}"
        assert client.get(url).status_code == 404
        assert client.post(url, {"held_on": "01.01.2026"}).status_code == 404
    with in_tenant(kit.a.tenant):
        assert GremiumMeeting.objects.get().topic == "Jahresplanung 0"


def test_lesend_reads_and_verwaltung_writes(kit: Kit) -> None:
    made = network(kit.a)
    gremium, meeting = made.gremium, made.meetings[0]
    reader = role_client(kit.a, Role.LESEND)
    detail = reader.get(f"/gremien/{gremium.pk}/").content.decode()
    assert "Jahresplanung 0" in detail and "Sitzung eintragen" not in detail
    assert "Neues Gremium" not in reader.get("/gremien/").content.decode()
    writes = [
        "/gremien/neu/",
        f"/gremien/{gremium.pk}/bearbeiten/",
        f"/gremien/{gremium.pk}/loeschen/",
        f"/gremien/{gremium.pk}/sitzungen/neu/",
        f"/gremien/{gremium.pk}/sitzungen/{meeting.pk}/bearbeiten/",
        f"/gremien/{gremium.pk}/sitzungen/{meeting.pk}/loeschen/",
    ]
    for url in writes:
        assert reader.get(url).status_code == 403, url
        assert reader.post(url, {"name": "X", "kind": "netzwerk"}).status_code == 403, url
    writer = role_client(kit.a, Role.VERWALTUNG)
    response = writer.post("/gremien/neu/", {"name": "Netzwerk", "kind": "netzwerk"})
    assert response.status_code == 302
    with in_tenant(kit.a.tenant):
        assert Gremium.objects.count() == 2 and GremiumMeeting.objects.count() == 1


def test_the_other_ki_gets_404_everywhere(kit: Kit) -> None:
    made = network(kit.a)
    gremium, meeting = made.gremium, made.meetings[0]
    other = kit.b.client()
    urls = [
        f"/gremien/{gremium.pk}/",
        f"/gremien/{gremium.pk}/bearbeiten/",
        f"/gremien/{gremium.pk}/loeschen/",
        f"/gremien/{gremium.pk}/sitzungen/neu/",
        f"/gremien/{gremium.pk}/sitzungen/{meeting.pk}/",
        f"/gremien/{gremium.pk}/sitzungen/{meeting.pk}/bearbeiten/",
        f"/gremien/{gremium.pk}/sitzungen/{meeting.pk}/loeschen/",
    ]
    for url in urls:
        assert other.get(url).status_code == 404, url
        assert other.post(url, {"name": "X", "kind": "netzwerk"}).status_code == 404, url
    assert "Noch keine Gremien" in other.get("/gremien/").content.decode()
    with in_tenant(kit.a.tenant):
        assert Gremium.objects.get().name == "Lenkungsgruppe KIM"
        assert GremiumMeeting.objects.count() == 1


def test_editing_with_a_deleted_participant_says_it_is_removed(kit: Kit) -> None:
    made = network(kit.a)
    meeting = made.meetings[0]
    with in_tenant(kit.a.tenant):
        organisation_delete(actor=None, organisation=made.verein)
    client = kit.a.client()
    url = f"/gremien/{made.gremium.pk}/sitzungen/{meeting.pk}/bearbeiten/"
    form = client.get(url).content.decode()
    assert "Gelöscht und darum nicht mehr auswählbar: „Kulturverein“" in form
    data = {"held_on": "04.03.2026", "topic": "Neu", "participants": [str(made.kita.pk)]}
    assert client.post(url, data).status_code == 302
    with in_tenant(kit.a.tenant):
        meeting.refresh_from_db()
        assert meeting.topic == "Neu"
        assert [o.name for o in meeting.participants.all()] == ["Kita Sonnenblume"]
