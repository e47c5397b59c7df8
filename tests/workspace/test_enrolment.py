"""Programme enrolment: per KI, checked against the catalogue, invisible to other KIs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import Enrolment
from kinrw.workspace.selectors import enrolment_list
from kinrw.workspace.services import WorkspaceError, enrolment_create
from tests.kit import Kit

pytestmark = pytest.mark.django_db


def _programme(code: str = "griffbereit") -> Programme:
    return Programme.objects.get(code=code)


def test_enrolment_is_seen_by_its_ki_only(kit: Kit) -> None:
    griffbereit = _programme()
    with in_tenant(kit.a.tenant):
        enrolment_create(
            programme=griffbereit, year=2026, granted_amount=Decimal("33300.00"), actor=None
        )
        assert [(e.programme.code, e.year) for e in enrolment_list()] == [("griffbereit", 2026)]
    with in_tenant(kit.b.tenant):
        assert list(enrolment_list()) == []
        assert not Enrolment.objects.exists()


def test_each_ki_may_enrol_in_the_same_programme_and_year(kit: Kit) -> None:
    for kt in kit:
        with in_tenant(kt.tenant):
            enrolment_create(programme=_programme(), year=2026, actor=None)
    for kt in kit:
        with in_tenant(kt.tenant):
            assert Enrolment.objects.filter(year=2026).count() == 1


def test_twice_the_same_programme_and_year_is_refused(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        enrolment_create(programme=_programme(), year=2026, actor=None)
        with pytest.raises(WorkspaceError, match="bereits eingetragen"):
            enrolment_create(programme=_programme(), year=2026, actor=None)
        assert Enrolment.objects.count() == 1


def test_a_year_the_programme_does_not_run_is_refused(kit: Kit) -> None:
    programme = _programme()
    with in_tenant(kit.a.tenant), pytest.raises(WorkspaceError, match="läuft"):
        enrolment_create(programme=programme, year=programme.active_from - 1, actor=None)


def test_negative_amount_is_refused(kit: Kit) -> None:
    with in_tenant(kit.a.tenant), pytest.raises(WorkspaceError, match="negativ"):
        enrolment_create(
            programme=_programme(), year=2026, granted_amount=Decimal("-1"), actor=None
        )


def test_the_database_keeps_a_referenced_programme(kit: Kit) -> None:
    """The KI table's foreign key into the public catalogue is a real constraint."""
    from django.db import connection

    with in_tenant(kit.a.tenant):
        enrolment_create(programme=_programme(), year=2026, actor=None)
    programme_id = _programme().pk
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DELETE FROM catalogue_indicator WHERE programme_id = %s", [programme_id])
        with pytest.raises(IntegrityError, match="workspace_enrolment"), transaction.atomic():
            cursor.execute("DELETE FROM catalogue_programme WHERE id = %s", [programme_id])
