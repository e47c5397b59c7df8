"""Changing and removing workspace records: validated like creation, audited with the diff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace import figures
from kinrw.workspace.models import (
    AuditEntry,
    ContactPerson,
    Enrolment,
    Gremium,
    Membership,
    Role,
    Session,
)
from kinrw.workspace.roles import role_of
from kinrw.workspace.services import (
    WorkspaceError,
    agreement_create,
    agreement_delete,
    agreement_update,
    contact_create,
    contact_delete,
    contact_update,
    enrolment_create,
    enrolment_delete,
    enrolment_update,
    gremium_create,
    gremium_delete,
    gremium_update,
    measure_create,
    measure_update,
    meeting_create,
    meeting_delete,
    meeting_update,
    membership_remove,
    membership_set,
    organisation_create,
    organisation_delete,
    organisation_update,
    session_delete,
    session_record,
    session_update,
)
from tests.kit import Kit

pytestmark = pytest.mark.django_db
START = dt.date(2026, 3, 2)


@pytest.fixture
def koeln(kit: Kit):  # type: ignore[no-untyped-def]
    with in_tenant(kit.a.tenant):
        yield User.objects.get(email=kit.a.staff_email)


def _measure(actor: User, code: str = "griffbereit"):  # type: ignore[no-untyped-def]
    return measure_create(
        actor=actor,
        title="Gruppe Mitte",
        programme=Programme.objects.get(code=code),
        starts_on=START,
    )


def _updates(obj: object) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower,  # type: ignore[attr-defined]
            object_id=obj.pk,  # type: ignore[attr-defined]
            action="update",
        ).order_by("id")
    )


def test_measure_update_records_only_what_changed(koeln: User) -> None:
    measure = _measure(koeln)
    measure_update(actor=koeln, measure=measure, title="Gruppe Süd", status="laufend")
    measure_update(actor=koeln, measure=measure, title="Gruppe Süd")  # no change: no entry
    (entry,) = _updates(measure)
    assert entry.changes == {
        "title": ["Gruppe Mitte", "Gruppe Süd"],
        "status": ["geplant", "laufend"],
    }
    measure.refresh_from_db()
    assert measure.title == "Gruppe Süd" and measure.status == "laufend"


def test_measure_update_names_the_field_and_saves_nothing(koeln: User) -> None:
    measure = _measure(koeln)
    with pytest.raises(WorkspaceError) as err:
        measure_update(actor=koeln, measure=measure, title="Neu", ends_on=dt.date(2026, 1, 1))
    assert err.value.field == "ends_on" and "vor ihrem Beginn" in err.value.message
    measure.refresh_from_db()
    assert measure.title == "Gruppe Mitte" and not _updates(measure)
    bonn = Gemeinde.objects.get(ags="05314000")
    with pytest.raises(WorkspaceError) as err:
        measure_update(actor=koeln, measure=measure, gemeinden=[bonn])
    assert err.value.field == "gemeinden"


def test_measure_period_can_not_leave_sessions_outside(koeln: User) -> None:
    measure = _measure(koeln)
    session_record(actor=koeln, measure=measure, date=dt.date(2026, 3, 9), counts={})
    with pytest.raises(WorkspaceError) as err:
        measure_update(actor=koeln, measure=measure, ends_on=dt.date(2026, 3, 5))
    assert err.value.field == "ends_on"
    with pytest.raises(WorkspaceError) as err:
        measure_update(actor=koeln, measure=measure, starts_on=dt.date(2026, 3, 10))
    assert err.value.field == "starts_on"


def test_programme_is_fixed_once_figures_exist(koeln: User) -> None:
    measure = _measure(koeln)
    session_record(
        actor=koeln, measure=measure, date=dt.date(2026, 3, 9), counts={"children": {"total": 3}}
    )
    own = Programme.objects.get(code="eigene_massnahme")
    with pytest.raises(WorkspaceError) as err:
        measure_update(actor=koeln, measure=measure, programme=own)
    assert err.value.field == "programme"


def test_session_update_replaces_counts_and_delete_takes_figures_out(koeln: User) -> None:
    measure = _measure(koeln)
    session = session_record(
        actor=koeln, measure=measure, date=dt.date(2026, 3, 9), counts={"children": {"total": 3}}
    )
    session_update(
        actor=koeln, session=session, date=dt.date(2026, 4, 6), counts={"children": {"total": 5}}
    )
    children = measure.programme.indicators.get(code="children")
    assert figures.monthly_totals(indicator=children, year=2026) == {4: Decimal(5)}
    changes = [e.changes for e in _updates(session)]
    assert changes[0] == {"date": ["2026-03-09", "2026-04-06"]}
    assert changes[1] == {"counts": [{"children": "3"}, {"children": "5"}]}
    with pytest.raises(WorkspaceError) as err:
        session_update(actor=koeln, session=session, cancelled=True)
    assert err.value.field == "cancelled"
    session_delete(actor=koeln, session=session)
    assert figures.monthly_totals(indicator=children, year=2026) == {}
    assert Session.objects.get(pk=session.pk).is_deleted
    with pytest.raises(WorkspaceError):
        session_update(actor=koeln, session=session, note="x")


def test_session_update_refuses_a_clash(koeln: User) -> None:
    measure = _measure(koeln)
    session_record(actor=koeln, measure=measure, date=dt.date(2026, 3, 9))
    other = session_record(actor=koeln, measure=measure, date=dt.date(2026, 3, 16))
    with pytest.raises(WorkspaceError) as err:
        session_update(actor=koeln, session=other, date=dt.date(2026, 3, 9))
    assert err.value.field == "date"


def test_partner_records_change_and_go(koeln: User) -> None:
    org = organisation_create(actor=koeln, name="Kita Sonne", kind="kita")
    organisation_update(actor=koeln, organisation=org, postcode="50667", city="Köln")
    assert _updates(org)[0].changes == {"postcode": ["", "50667"], "city": ["", "Köln"]}
    with pytest.raises(WorkspaceError) as err:
        organisation_update(actor=koeln, organisation=org, postcode="5066")
    assert err.value.field == "postcode"

    contact = contact_create(actor=koeln, organisation=org, name="Frau Beispiel")
    with pytest.raises(WorkspaceError) as err:
        contact_update(actor=koeln, contact=contact, email="kein-mail")
    assert err.value.field == "email"
    contact_update(actor=koeln, contact=contact, role="Leitung")
    contact_delete(actor=koeln, contact=contact)
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
    deletion = AuditEntry.objects.get(
        object_type="workspace.contactperson", object_id=contact.pk, action="delete"
    )
    assert "Frau Beispiel" not in str(deletion.changes)

    agreement = agreement_create(actor=koeln, organisation=org, kind="kooperation", starts_on=START)
    with pytest.raises(WorkspaceError) as err:
        agreement_update(actor=koeln, agreement=agreement, ends_on=dt.date(2026, 1, 1))
    assert err.value.field == "ends_on"
    agreement_update(actor=koeln, agreement=agreement, status="beendet")
    agreement_delete(actor=koeln, agreement=agreement)

    gremium = gremium_create(actor=koeln, name="AK Sprache", kind="arbeitskreis", members=[org])
    other = organisation_create(actor=koeln, name="Grundschule Nord", kind="grundschule")
    gremium_update(actor=koeln, gremium=gremium, members=[org, other])
    assert _updates(gremium)[0].changes == {"members": [[org.pk], sorted([org.pk, other.pk])]}
    meeting = meeting_create(actor=koeln, gremium=gremium, held_on=START, participants=[org])
    with pytest.raises(WorkspaceError):
        gremium_delete(actor=koeln, gremium=gremium)
    meeting_update(actor=koeln, meeting=meeting, topic="Sprachkurse")
    organisation_delete(actor=koeln, organisation=other)
    with pytest.raises(WorkspaceError) as err:
        meeting_update(actor=koeln, meeting=meeting, participants=[other])
    assert err.value.field == "participants"
    meeting_delete(actor=koeln, meeting=meeting)
    gremium_delete(actor=koeln, gremium=gremium)
    assert not Gremium.objects.filter(pk=gremium.pk).exists()


def test_enrolment_amount_and_removal(koeln: User) -> None:
    enrolment = enrolment_create(
        actor=koeln, programme=Programme.objects.get(code="griffbereit"), year=2026
    )
    with pytest.raises(WorkspaceError) as err:
        enrolment_update(actor=koeln, enrolment=enrolment, granted_amount=Decimal(-1))
    assert err.value.field == "granted_amount"
    enrolment_update(actor=koeln, enrolment=enrolment, granted_amount=Decimal("12500.00"))
    assert _updates(enrolment)[0].changes == {"granted_amount": [None, "12500.00"]}
    enrolment_delete(actor=koeln, enrolment=enrolment)
    assert not Enrolment.objects.exists()


def test_membership_removal_keeps_one_leitung(kit: Kit, koeln: User) -> None:
    leitung = User.objects.get(email=kit.a.admin_email)
    with pytest.raises(WorkspaceError):
        membership_remove(actor=leitung, membership=Membership.objects.get(user=leitung))
    assert role_of(koeln) == Role.FACHKRAFT
    membership_remove(actor=leitung, membership=Membership.objects.get(user=koeln))
    assert role_of(User.objects.get(pk=koeln.pk)) is None
    membership_set(actor=leitung, user=koeln, role=Role.LESEND)
    assert role_of(koeln) == Role.LESEND  # this very account object forgets its cached role


def test_changes_stay_in_their_ki(kit: Kit, koeln: User) -> None:
    measure = _measure(koeln)
    measure_update(actor=koeln, measure=measure, title="Nur in Köln")
    with in_tenant(kit.b.tenant):
        assert not AuditEntry.objects.filter(changes__icontains="Nur in Köln").exists()


def test_deleted_members_stay_in_history_but_can_not_be_added(koeln: User) -> None:
    org = organisation_create(actor=koeln, name="Verein Brücke", kind="verein")
    gremium = gremium_create(actor=koeln, name="Netzwerk", kind="netzwerk", members=[org])
    contact = contact_create(actor=koeln, organisation=org, name="Herr Beispiel")
    organisation_delete(actor=koeln, organisation=org)
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()  # personal data goes
    gremium_update(actor=koeln, gremium=gremium, name="Netzwerk Integration")  # still a member
    assert list(gremium.members.all()) == [org]
    fresh = gremium_create(actor=koeln, name="Neu", kind="netzwerk")
    with pytest.raises(WorkspaceError) as err:
        gremium_update(actor=koeln, gremium=fresh, members=[org])
    assert err.value.field == "members"


def test_service_errors_come_in_the_active_language(koeln: User) -> None:
    measure = _measure(koeln)
    before_start = dt.date(2026, 3, 1)
    with translation.override("en"), pytest.raises(WorkspaceError) as err:
        session_record(actor=koeln, measure=measure, date=before_start)
    assert err.value.message == (
        "01.03.2026 is outside the measure’s period (02.03.2026 to open-ended)."
    )
    with translation.override("de"), pytest.raises(WorkspaceError) as err:
        session_record(actor=koeln, measure=measure, date=before_start)
    assert err.value.message == (
        "Der 01.03.2026 liegt außerhalb der Laufzeit der Maßnahme (02.03.2026 bis offen)."
    )
    programme = Programme.objects.get(code="griffbereit")
    with translation.override("en"), pytest.raises(WorkspaceError) as err:
        enrolment_create(actor=koeln, programme=programme, year=1999)
    assert err.value.message == (
        f"The programme “{programme.name}” does not run in 1999; please choose another year."
    )


def test_deleting_a_measure_deletes_its_sessions_too(koeln: User) -> None:
    measure = _measure(koeln)
    kept = session_record(actor=koeln, measure=measure, date=dt.date(2026, 3, 9))
    from kinrw.workspace.services import measure_delete

    measure_delete(actor=koeln, measure=measure)
    assert Session.objects.get(pk=kept.pk).is_deleted
    entry = (
        AuditEntry.objects.filter(object_type="workspace.measure", action="delete")
        .order_by("id")
        .last()
    )
    assert entry.changes == {"sessions": [[kept.pk], []]}
