"""The other KI's records do not exist on this KI's host: 404 for read, change and delete."""

from __future__ import annotations

import datetime as dt

import pytest

from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import (
    AuditEntry,
    ContactPerson,
    CooperationAgreement,
    Enrolment,
    Gremium,
    GremiumMeeting,
    Measure,
    Membership,
    Organisation,
    Session,
)
from kinrw.workspace.services import (
    agreement_create,
    contact_create,
    enrolment_create,
    session_record,
)
from tests.api.conftest import member, records
from tests.kit import Kit

pytestmark = pytest.mark.django_db
MARKER = "BONNMARKER"


def _bonn(kit: Kit) -> dict[str, tuple[type, int]]:
    made = records(kit.b, MARKER)
    member(kit.b, "lesend")
    with in_tenant(kit.b.tenant):
        leitung, org = made["leitung"], made["org"]
        enrolment = enrolment_create(
            actor=leitung, programme=Programme.objects.get(code="griffbereit"), year=2026
        )
        session = session_record(
            actor=leitung, measure=made["measure"], date=dt.date(2026, 3, 3), note=MARKER
        )
        contact = contact_create(actor=leitung, organisation=org, name=MARKER)
        agreement = agreement_create(
            actor=leitung, organisation=org, kind="kooperation", starts_on=dt.date(2026, 1, 1)
        )
        membership = Membership.objects.get(user__email="lesend@bonn.example")
        audit = AuditEntry.objects.latest("id")
    return {
        "enrolments": (Enrolment, enrolment.pk),
        "measures": (Measure, made["measure"].pk),
        "sessions": (Session, session.pk),
        "organisations": (Organisation, org.pk),
        "contacts": (ContactPerson, contact.pk),
        "agreements": (CooperationAgreement, agreement.pk),
        "gremien": (Gremium, made["gremium"].pk),
        "meetings": (GremiumMeeting, made["meeting"].pk),
        "memberships": (Membership, membership.pk),
        "audit": (AuditEntry, audit.pk),
    }


def test_the_other_kis_records_are_404(kit: Kit, api) -> None:
    theirs = _bonn(kit)
    with in_tenant(kit.a.tenant):  # the same numbers must not exist here, or 404 proves nothing
        clashes = [r for r, (model, pk) in theirs.items() if model.objects.filter(pk=pk).exists()]
    assert not clashes
    client = api()
    for resource, (_model, pk) in theirs.items():
        url = f"{resource}/{pk}/"
        assert client.get(url).status_code == 404, resource
        for method in ("patch", "put"):
            response = getattr(client, method)(url, {"name": "x", "title": "x", "note": "x"})
            assert response.status_code in (404, 405), (resource, method)
        assert client.delete(url).status_code in (404, 405), resource
    with in_tenant(kit.b.tenant):
        for resource, (model, pk) in theirs.items():
            obj = model.objects.get(pk=pk)
            assert not getattr(obj, "is_deleted", False), resource
        assert Measure.objects.get(pk=theirs["measures"][1]).title.endswith(MARKER)


def test_lists_show_nothing_of_the_other_ki(kit: Kit, api) -> None:
    _bonn(kit)
    client = api()
    for resource in (
        "enrolments",
        "measures",
        "sessions",
        "organisations",
        "contacts",
        "agreements",
        "gremien",
        "meetings",
        "memberships",
        "audit",
    ):
        response = client.get(f"{resource}/", {"page_size": 200})
        assert response.status_code == 200
        assert MARKER not in response.content.decode(), resource
        assert "bonn" not in response.content.decode().lower(), resource
    assert client.get("enrolments/").json()["count"] == 0


def test_gemeinden_are_the_kis_own(kit: Kit, api) -> None:
    koeln = api().get("gemeinden/").json()
    assert [g["ags"] for g in koeln["results"]] == ["05315000"]
    bonn = api(kt=kit.b).get("gemeinden/").json()
    assert [g["name"] for g in bonn["results"]] == ["Bonn"]


def test_writes_can_not_point_at_the_other_kis_records(kit: Kit, api) -> None:
    theirs = _bonn(kit)
    client = api()
    cases = [
        ("sessions/", {"measure": theirs["measures"][1], "date": "2026-03-03"}, "measure"),
        ("contacts/", {"organisation": theirs["organisations"][1], "name": "x"}, "organisation"),
        ("meetings/", {"gremium": theirs["gremien"][1], "held_on": "2026-03-03"}, "gremium"),
        (
            "gremien/",
            {"name": "x", "kind": "netzwerk", "members": [theirs["organisations"][1]]},
            "members",
        ),
    ]
    for path, data, field in cases:
        response = client.post(path, data)
        assert response.status_code == 400 and field in response.json(), (path, response.json())
