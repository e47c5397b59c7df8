"""Organisations, contacts, agreements, Gremien and meetings through the API."""

from __future__ import annotations

import pytest

from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import (
    AuditEntry,
    ContactPerson,
    CooperationAgreement,
    Gremium,
    GremiumMeeting,
    Organisation,
)
from tests.kit import Kit

pytestmark = pytest.mark.django_db


def test_organisation_crud_soft_delete(kit: Kit, api) -> None:
    client = api()
    created = client.post(
        "organisations/",
        {"name": " Kita Regenbogen ", "kind": "kita", "postcode": "50667", "gemeinde": "05315000"},
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["name"] == "Kita Regenbogen" and created.json()["gemeinde"] == "05315000"
    changed = client.patch(f"organisations/{pk}/", {"city": "Köln"})
    assert changed.status_code == 200 and changed.json()["city"] == "Köln"
    bad = client.patch(f"organisations/{pk}/", {"postcode": "5066"})
    assert bad.status_code == 400 and "fünf Ziffern" in bad.json()["postcode"][0]
    outside = client.patch(f"organisations/{pk}/", {"gemeinde": "05314000"})  # Bonn
    assert outside.status_code == 400 and "gemeinde" in outside.json()
    assert client.get("organisations/", {"kind": "kita"}).json()["count"] == 1
    assert client.get("organisations/", {"search": "regenbogen"}).json()["count"] == 1
    assert client.delete(f"organisations/{pk}/").status_code == 204
    assert client.get(f"organisations/{pk}/").status_code == 404
    with in_tenant(kit.a.tenant):
        assert Organisation.objects.get(pk=pk).is_deleted
        assert (
            AuditEntry.objects.filter(object_id=pk, object_type="workspace.organisation").count()
            == 3
        )


def test_contact_crud_stays_with_its_organisation(kit: Kit, api) -> None:
    client = api()
    org = client.post("organisations/", {"name": "Jobcenter", "kind": "jobcenter"}).json()["id"]
    other = client.post("organisations/", {"name": "Schulamt", "kind": "schulamt"}).json()["id"]
    created = client.post(
        "contacts/", {"organisation": org, "name": "Frau Beispiel", "email": "Info@Example.ORG"}
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    bad = client.patch(f"contacts/{pk}/", {"email": "keine-adresse"})
    assert bad.status_code == 400 and list(bad.json()) == ["email"]
    changed = client.patch(f"contacts/{pk}/", {"role": "Teamleitung", "organisation": other})
    assert changed.status_code == 200
    assert changed.json()["organisation"] == org and changed.json()["role"] == "Teamleitung"
    assert client.get("contacts/", {"organisation": org}).json()["count"] == 1
    assert client.delete(f"contacts/{pk}/").status_code == 204
    with in_tenant(kit.a.tenant):
        assert not ContactPerson.objects.exists()  # personal data: removed for good


def test_agreement_crud(kit: Kit, api) -> None:
    client = api()
    org = client.post("organisations/", {"name": "Verein", "kind": "verein"}).json()["id"]
    created = client.post(
        "agreements/", {"organisation": org, "kind": "kooperation", "starts_on": "2026-01-01"}
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "aktiv"
    bad = client.patch(f"agreements/{pk}/", {"ends_on": "2025-12-31"})
    assert bad.status_code == 400 and "vor ihrem Beginn" in bad.json()["ends_on"][0]
    unknown = client.patch(f"agreements/{pk}/", {"status": "vielleicht"})
    assert unknown.status_code == 400 and list(unknown.json()) == ["status"]
    assert client.patch(f"agreements/{pk}/", {"status": "beendet"}).json()["status"] == "beendet"
    listed = client.get("agreements/", {"starts_on_after": "2026-01-01", "status": "beendet"})
    assert listed.json()["count"] == 1
    assert client.delete(f"agreements/{pk}/").status_code == 204
    with in_tenant(kit.a.tenant):
        assert not CooperationAgreement.objects.exists()


def test_gremium_and_meeting_crud(kit: Kit, api) -> None:
    client = api()
    org = client.post("organisations/", {"name": "MSO", "kind": "migrantenselbstorganisation"})
    org_pk = org.json()["id"]
    gremium = client.post(
        "gremien/", {"name": "Arbeitskreis Sprache", "kind": "arbeitskreis", "members": [org_pk]}
    )
    assert gremium.status_code == 201, gremium.json()
    g_pk = gremium.json()["id"]
    assert gremium.json()["members"] == [org_pk]
    meeting = client.post(
        "meetings/",
        {"gremium": g_pk, "held_on": "2026-03-04", "topic": "Start", "participants": [org_pk]},
    )
    assert meeting.status_code == 201, meeting.json()
    m_pk = meeting.json()["id"]
    assert client.patch(f"meetings/{m_pk}/", {"topic": "Planung"}).json()["topic"] == "Planung"
    assert client.get("meetings/", {"gremium": g_pk}).json()["count"] == 1

    blocked = client.delete(f"gremien/{g_pk}/")
    assert blocked.status_code == 400
    assert "zuerst die Sitzungen löschen" in blocked.json()["non_field_errors"][0]
    assert client.delete(f"meetings/{m_pk}/").status_code == 204
    assert client.patch(f"gremien/{g_pk}/", {"members": []}).json()["members"] == []
    assert client.delete(f"gremien/{g_pk}/").status_code == 204
    with in_tenant(kit.a.tenant):
        assert not Gremium.objects.exists() and not GremiumMeeting.objects.exists()


def test_a_deleted_organisation_can_not_be_referred_to(kit: Kit, api) -> None:
    client = api()
    org = client.post("organisations/", {"name": "Alt", "kind": "verein"}).json()["id"]
    assert client.delete(f"organisations/{org}/").status_code == 204
    response = client.post("gremien/", {"name": "AK", "kind": "netzwerk", "members": [org]})
    assert response.status_code == 400 and list(response.json()) == ["members"]
