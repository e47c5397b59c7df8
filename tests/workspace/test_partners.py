"""Partners and networks: validated, audited, and each KI's own."""

from __future__ import annotations

import datetime as dt

import pytest

from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.models import (
    AuditEntry,
    ContactPerson,
    CooperationAgreement,
    Gremium,
    GremiumMeeting,
    Organisation,
)
from kinrw.workspace.services import (
    WorkspaceError,
    agreement_create,
    contact_create,
    gremium_create,
    meeting_create,
    organisation_create,
    organisation_delete,
)
from tests.kit import Kit

pytestmark = pytest.mark.django_db

PARTNER_MODELS = (Organisation, ContactPerson, CooperationAgreement, Gremium, GremiumMeeting)


def _network(kit: Kit) -> dict[str, object]:
    """A Kita with a contact and an agreement, a Gremium with a meeting, in Köln."""
    koeln = Gemeinde.objects.get(ags="05315000")
    with in_tenant(kit.a.tenant):
        kita = organisation_create(
            actor=None,
            name="Kita Sonnenblume",
            kind="kita",
            postcode="50667",
            city="Köln",
            gemeinde=koeln,
        )
        verein = organisation_create(actor=None, name="Kulturverein", kind="verein")
        contact = contact_create(
            actor=None,
            organisation=kita,
            name="A. Beispiel",
            role="Leitung",
            email="Leitung@Kita.example",
        )
        agreement = agreement_create(
            actor=None, organisation=kita, kind="kooperation", starts_on=dt.date(2026, 1, 1)
        )
        gremium = gremium_create(
            actor=None, name="Lenkungsgruppe KIM", kind="lenkungsgruppe", members=[kita, verein]
        )
        meeting = meeting_create(
            actor=None,
            gremium=gremium,
            held_on=dt.date(2026, 3, 4),
            topic="Jahresplanung",
            participants=[kita],
        )
    return {
        "kita": kita,
        "verein": verein,
        "contact": contact,
        "agreement": agreement,
        "gremium": gremium,
        "meeting": meeting,
    }


def test_a_network_is_recorded_and_audited(kit: Kit) -> None:
    made = _network(kit)
    with in_tenant(kit.a.tenant):
        assert list(made["gremium"].members.order_by("name").values_list("name", flat=True)) == [
            "Kita Sonnenblume",
            "Kulturverein",
        ]
        assert list(made["meeting"].participants.values_list("name", flat=True)) == [
            "Kita Sonnenblume"
        ]
        assert ContactPerson.objects.get().email == "leitung@kita.example"
        entries = AuditEntry.objects.order_by("id")
        assert [e.object_type for e in entries] == [
            "workspace.organisation",
            "workspace.organisation",
            "workspace.contactperson",
            "workspace.cooperationagreement",
            "workspace.gremium",
            "workspace.gremiummeeting",
        ]
        gremium_entry = entries.get(object_type="workspace.gremium")
        assert gremium_entry.changes["members"] == [
            None,
            sorted([made["kita"].pk, made["verein"].pk]),
        ]


def test_the_other_ki_sees_none_of_it(kit: Kit) -> None:
    _network(kit)
    with in_tenant(kit.b.tenant):
        for model in PARTNER_MODELS:
            assert not model.objects.exists(), model.__name__
        assert not AuditEntry.objects.exists()


def test_a_gemeinde_outside_the_ki_area_is_refused(kit: Kit) -> None:
    bonn = Gemeinde.objects.get(ags="05314000")
    with in_tenant(kit.a.tenant):
        with pytest.raises(WorkspaceError, match="nicht im Gebiet dieses KI"):
            organisation_create(actor=None, name="Kita", kind="kita", gemeinde=bonn)
        with pytest.raises(WorkspaceError, match="nicht im Gebiet dieses KI"):
            gremium_create(
                actor=None, name="Integrationsrat", kind="integrationsrat", gemeinde=bonn
            )
        assert not Organisation.objects.exists() and not Gremium.objects.exists()
        assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " ", "kind": "kita"}, "Namen der Organisation"),
        ({"name": "X", "kind": "zoo"}, "Unbekannte Art der Organisation"),
        ({"name": "X", "kind": "kita", "postcode": "5066"}, "fünf Ziffern"),
    ],
)
def test_bad_organisations_are_refused(kit: Kit, kwargs: dict[str, str], message: str) -> None:
    with in_tenant(kit.a.tenant):
        with pytest.raises(WorkspaceError, match=message):
            organisation_create(actor=None, **kwargs)
        assert not Organisation.objects.exists()


def test_agreement_period_and_contact_email_are_checked(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        kita = organisation_create(actor=None, name="Kita", kind="kita")
        with pytest.raises(WorkspaceError, match="vor ihrem Beginn"):
            agreement_create(
                actor=None,
                organisation=kita,
                kind="kooperation",
                starts_on=dt.date(2026, 2, 1),
                ends_on=dt.date(2026, 1, 1),
            )
        with pytest.raises(WorkspaceError, match="Ungültige E-Mail-Adresse"):
            contact_create(actor=None, organisation=kita, name="B", email="keine-mail")
        assert not CooperationAgreement.objects.exists()
        assert not ContactPerson.objects.exists()


def test_deleting_an_organisation_is_soft_and_audited(kit: Kit) -> None:
    made = _network(kit)
    with in_tenant(kit.a.tenant):
        organisation_delete(actor=None, organisation=made["kita"])
        kita = Organisation.objects.get(pk=made["kita"].pk)
        assert kita.is_deleted
        assert made["meeting"].participants.filter(pk=kita.pk).exists()  # history kept
        last = AuditEntry.objects.order_by("-id").first()
        assert (last.action, last.changes) == ("delete", {"is_deleted": [False, True]})
