"""The role table, applied to every resource: read = GET, write = POST/PUT/PATCH/DELETE."""

from __future__ import annotations

import pytest

from kinrw.accounts.models import User
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import Measure, Organisation, Role
from tests.api.conftest import records
from tests.kit import Kit

pytestmark = pytest.mark.django_db

WORK = {
    "enrolments": "programmes",
    "measures": "measures",
    "sessions": "sessions",
    "organisations": "partners",
    "contacts": "partners",
    "agreements": "partners",
    "gremien": "partners",
    "meetings": "partners",
}
LEITUNG_ONLY = ["memberships", "audit"]
REFERENCE = ["programmes", "gemeinden"]
WRITES = {
    "leitung": set(WORK.values()),
    "fachkraft": set(WORK.values()),
    "verwaltung": {"partners"},
    "lesend": set(),
}
ROLES = list(WRITES)


@pytest.mark.parametrize("role", ROLES)
def test_reading(kit: Kit, api, role: str) -> None:
    client = api(role)
    for resource in [*WORK, *REFERENCE]:
        assert client.get(f"{resource}/").status_code == 200, (role, resource)
    for resource in LEITUNG_ONLY:
        expected = 200 if role == "leitung" else 403
        assert client.get(f"{resource}/").status_code == expected, (role, resource)


@pytest.mark.parametrize("role", ROLES)
def test_writing(kit: Kit, api, role: str) -> None:
    """Allowed: the input is checked (400 for an empty entry); not allowed: 403 first."""
    client = api(role)
    for resource, area in WORK.items():
        response = client.post(f"{resource}/", {})
        expected = 400 if area in WRITES[role] else 403
        assert response.status_code == expected, (role, resource, response.content)
        if expected == 403:
            assert "Berechtigung" in response.json()["detail"]
    for resource in [*LEITUNG_ONLY, *REFERENCE]:
        response = client.post(f"{resource}/", {})
        assert response.status_code in (403, 405), (role, resource)
        assert response.status_code == 405 or role != "leitung"


@pytest.mark.parametrize("role", ROLES)
def test_changing_and_deleting(kit: Kit, api, role: str) -> None:
    mine = records(kit.a)
    client = api(role)
    may_measures, may_partners = (
        "measures" in WRITES[role],
        "partners" in WRITES[role],
    )
    measure, org = mine["measure"].pk, mine["org"].pk
    assert client.patch(f"measures/{measure}/", {"venue": "Aula"}).status_code == (
        200 if may_measures else 403
    )
    assert client.patch(f"organisations/{org}/", {"city": "Köln"}).status_code == (
        200 if may_partners else 403
    )
    assert client.delete(f"measures/{measure}/").status_code == (204 if may_measures else 403)
    with in_tenant(kit.a.tenant):
        assert Measure.objects.get(pk=measure).is_deleted is may_measures
    assert client.delete(f"organisations/{org}/").status_code == (204 if may_partners else 403)
    with in_tenant(kit.a.tenant):
        assert Organisation.objects.get(pk=org).is_deleted is may_partners


def test_memberships_and_audit_show_the_kis_staff_and_history(kit: Kit, api) -> None:
    records(kit.a)
    client = api()
    staff = client.get("memberships/").json()
    assert {m["email"] for m in staff["results"]} == {kit.a.admin_email, kit.a.staff_email}
    assert client.get("memberships/", {"role": "fachkraft"}).json()["count"] == 1
    audit = client.get("audit/", {"object_type": "workspace.measure"}).json()
    assert audit["count"] == 1 and audit["results"][0]["action"] == "create"
    assert audit["results"][0]["actor_label"]


def test_colleagues_give_every_reader_the_numbers_for_responsible(kit: Kit, api) -> None:
    client = api(Role.LESEND)
    names = {c["full_name"]: c["id"] for c in client.get("colleagues/").json()["results"]}
    with in_tenant(kit.a.tenant):
        staff = User.objects.get(email=kit.a.staff_email)
    assert names[staff.full_name] == staff.pk
    assert set(client.get("colleagues/").json()["results"][0]) == {"id", "full_name"}
    bonn = api(Role.LESEND, kt=kit.b).get("colleagues/").json()["results"]
    assert staff.full_name not in {c["full_name"] for c in bonn}
    assert api().post("colleagues/", {}).status_code == 405  # read-only, also for the Leitung
