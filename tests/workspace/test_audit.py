"""Every change in a workspace leaves an audit entry, in that KI's schema only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import AuditEntry
from kinrw.workspace.services import WorkspaceError, enrolment_create
from tests.kit import Kit

pytestmark = pytest.mark.django_db


def test_a_change_records_who_what_and_when(kit: Kit) -> None:
    programme = Programme.objects.get(code="rucksack_kita")
    with in_tenant(kit.a.tenant):
        actor = User.objects.get(email=kit.a.staff_email)
        enrolment = enrolment_create(
            programme=programme, year=2026, granted_amount=Decimal("33300.00"), actor=actor
        )
        entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.actor_label, entry.action) == (actor.pk, str(actor), "create")
    assert (entry.object_type, entry.object_id) == ("workspace.enrolment", enrolment.pk)
    assert entry.changes == {
        "programme": [None, programme.pk],
        "year": [None, 2026],
        "granted_amount": [None, "33300.00"],
    }
    assert entry.created_at is not None


def test_the_other_ki_sees_no_audit_entry(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        enrolment_create(programme=Programme.objects.get(code="griffbereit"), year=2026, actor=None)
        assert AuditEntry.objects.count() == 1
    with in_tenant(kit.b.tenant):
        assert not AuditEntry.objects.exists()


def test_a_refused_change_leaves_no_entry(kit: Kit) -> None:
    programme = Programme.objects.get(code="griffbereit")
    with in_tenant(kit.a.tenant):
        enrolment_create(programme=programme, year=2026, actor=None)
        with pytest.raises(WorkspaceError):
            enrolment_create(programme=programme, year=2026, actor=None)
        assert AuditEntry.objects.count() == 1


def test_the_label_survives_the_account(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        actor = User.objects.create_user("weg@koeln.example", full_name="Bald Weg")
        enrolment_create(
            programme=Programme.objects.get(code="griffbereit"), year=2025, actor=actor
        )
        actor.delete()
        entry = AuditEntry.objects.get()
        assert (entry.actor_id, entry.actor_label) == (None, "Bald Weg")
