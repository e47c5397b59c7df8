"""Measures and enrolments through the API: written by the services, audited, validated."""

from __future__ import annotations

import pytest

from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import AuditEntry, Enrolment, Measure
from tests.api.conftest import records
from tests.kit import Kit

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Griffbereit-Gruppe Regenbogen",
    "programme": "griffbereit",
    "starts_on": "2026-02-02",
    "target_groups": ["eltern", "kinder"],
    "gemeinden": ["05315000"],
    "languages": ["arabisch"],
    "status": "laufend",
}


def test_measure_crud(kit: Kit, api) -> None:
    client = api()
    created = client.post("measures/", NEW)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["programme"] == "griffbereit"
    assert body["handlungsfeld"] == "bildung_erziehung_betreuung"  # from the programme
    assert body["gemeinden"] == ["05315000"]
    pk = body["id"]
    with in_tenant(kit.a.tenant):
        entry = AuditEntry.objects.get(object_type="workspace.measure", object_id=pk)
        assert entry.actor.email == kit.a.admin_email and entry.action == "create"

    assert client.get(f"measures/{pk}/").json()["title"] == NEW["title"]
    changed = client.patch(f"measures/{pk}/", {"status": "abgeschlossen", "venue": "Aula"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["status"] == "abgeschlossen" and changed.json()["venue"] == "Aula"
    assert changed.json()["title"] == NEW["title"]  # partial: the rest stays

    assert client.delete(f"measures/{pk}/").status_code == 204
    assert client.get(f"measures/{pk}/").status_code == 404
    assert client.get("measures/").json()["count"] == 0
    with in_tenant(kit.a.tenant):
        assert Measure.objects.get(pk=pk).is_deleted  # soft delete: figures stay explainable
        assert AuditEntry.objects.filter(object_id=pk, action="delete").count() == 1


def test_put_replaces_the_given_fields(kit: Kit, api) -> None:
    client = api()
    pk = client.post("measures/", NEW).json()["id"]
    response = client.put(
        f"measures/{pk}/", {**NEW, "title": "Neuer Titel", "target_groups": ["frauen"]}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["target_groups"] == ["frauen"]
    assert response.json()["title"] == "Neuer Titel"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": "   "}, "title", "nicht leer"),
        ({"ends_on": "2026-01-01"}, "ends_on", "vor ihrem Beginn"),
        ({"languages": ["klingonisch"]}, "languages", "Unbekannte Sprache"),
        ({"gemeinden": ["05314000"]}, "gemeinden", "nicht im Gebiet dieses KI"),  # Bonn's
        ({"programme": "gibtsnicht"}, "programme", "existiert nicht"),
        ({"starts_on": "2. Februar"}, "starts_on", "Datum"),
    ],
)
def test_validation_errors_are_german_and_at_the_field(
    kit: Kit, api, change: dict, field: str, words: str
) -> None:
    response = api().post("measures/", {**NEW, **change})
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field], errors
    assert words in errors[field][0], errors
    with in_tenant(kit.a.tenant):
        assert not Measure.objects.exists() and not AuditEntry.objects.exists()


def test_an_error_of_the_whole_entry_is_a_non_field_error(kit: Kit, api) -> None:
    client = api()
    assert client.post("enrolments/", {"programme": "griffbereit", "year": 2026}).status_code == 201
    again = client.post("enrolments/", {"programme": "griffbereit", "year": 2026})
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["„Griffbereit“ ist für 2026 bereits eingetragen."]}


def test_enrolment_crud_and_programme_and_year_stay(kit: Kit, api) -> None:
    client = api()
    created = client.post(
        "enrolments/", {"programme": "griffbereit", "year": 2026, "granted_amount": "1200.50"}
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["programme_name"] == "Griffbereit"
    changed = client.patch(
        f"enrolments/{pk}/", {"granted_amount": "99.00", "year": 2030, "programme": "x"}
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["granted_amount"] == "99.00"
    assert changed.json()["year"] == 2026 and changed.json()["programme"] == "griffbereit"
    negative = client.patch(f"enrolments/{pk}/", {"granted_amount": "-1"})
    assert negative.status_code == 400 and "granted_amount" in negative.json()
    assert client.get("enrolments/", {"year": 2026}).json()["count"] == 1
    assert client.get("enrolments/", {"year": 2025}).json()["count"] == 0
    assert client.delete(f"enrolments/{pk}/").status_code == 204
    with in_tenant(kit.a.tenant):
        assert not Enrolment.objects.exists()


def test_measure_refers_to_partner_and_staff_of_its_own_ki_only(kit: Kit, api) -> None:
    theirs = records(kit.b, "Bonn")
    response = api().post("measures/", {**NEW, "partner": theirs["org"].pk})
    with in_tenant(kit.a.tenant):
        exists_here = Measure.objects.filter(partner_id=theirs["org"].pk).exists()
    assert response.status_code == 400 and "partner" in response.json()
    assert not exists_here


def test_not_found_and_bad_json_answer_in_german(kit: Kit, api) -> None:
    client = api()
    missing = client.get("measures/999999/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Nicht gefunden."}
    broken = client.client.post("/api/v1/measures/", "{kaputt", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {"detail": "Der Inhalt der Anfrage ist kein gültiges JSON."}
