"""Measures: checked against catalogue, area, partners and staff; audited; per KI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.models import AuditEntry, Measure
from kinrw.workspace.selectors import measure_list
from kinrw.workspace.services import (
    WorkspaceError,
    measure_create,
    measure_delete,
    organisation_create,
    organisation_delete,
)
from tests.kit import Kit

pytestmark = pytest.mark.django_db
START = dt.date(2026, 2, 2)


def _griffbereit_group(kit: Kit, **extra: object) -> Measure:
    with in_tenant(kit.a.tenant):
        staff = User.objects.get(email=kit.a.staff_email)
        kita = organisation_create(actor=staff, name="Kita Regenbogen", kind="kita")
        return measure_create(
            actor=staff,
            title="Griffbereit-Gruppe Regenbogen",
            programme=Programme.objects.get(code="griffbereit"),
            starts_on=START,
            target_groups=["eltern", "kinder"],
            gemeinden=[Gemeinde.objects.get(ags="05315000")],
            partner=kita,
            responsible=[staff],
            languages=["arabisch", "tuerkisch"],
            status="laufend",
            **extra,
        )


def test_a_measure_is_recorded_with_its_defaults_and_audited(kit: Kit) -> None:
    measure = _griffbereit_group(kit)
    with in_tenant(kit.a.tenant):
        assert measure.handlungsfeld == "bildung_erziehung_betreuung"  # from the programme
        assert [g.name for g in measure.gemeinden.all()] == ["Köln"]
        entry = AuditEntry.objects.get(object_type="workspace.measure")
        assert entry.changes["title"] == [None, "Griffbereit-Gruppe Regenbogen"]
        assert entry.changes["gemeinden"] == [None, [Gemeinde.objects.get(ags="05315000").pk]]
        assert entry.actor.email == kit.a.staff_email


def test_the_other_ki_sees_no_measure(kit: Kit) -> None:
    _griffbereit_group(kit)
    with in_tenant(kit.b.tenant):
        assert not Measure.objects.exists()
        assert list(measure_list()) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": " "}, "Titel"),
        ({"starts_on": dt.date(1999, 1, 1)}, "läuft 1999 nicht"),
        ({"handlungsfeld": "astronomie"}, "Unbekanntes Handlungsfeld"),
        ({"target_groups": ["astronauten"]}, "Unbekannte Zielgruppe"),
        ({"ends_on": dt.date(2026, 1, 1)}, "vor ihrem Beginn"),
        ({"status": "vielleicht"}, "Unbekannter Status"),
        ({"languages": ["klingonisch"]}, "Unbekannte Sprache"),
        ({"gemeinden": "bonn"}, "nicht im Gebiet dieses KI"),
    ],
)
def test_bad_measures_are_refused_and_nothing_is_written(
    kit: Kit, change: dict[str, object], message: str
) -> None:
    if change.get("gemeinden") == "bonn":
        change = {"gemeinden": [Gemeinde.objects.get(ags="05314000")]}
    base: dict[str, object] = {
        "title": "Sprachcafé",
        "programme": Programme.objects.get(code="eigene_massnahme"),
        "starts_on": START,
    }
    with in_tenant(kit.a.tenant):
        with pytest.raises(WorkspaceError, match=message):
            measure_create(actor=None, **{**base, **change})
        assert not Measure.objects.exists()
        assert not AuditEntry.objects.exists()


def test_a_deleted_partner_and_an_inactive_account_are_refused(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        verein = organisation_create(actor=None, name="Verein", kind="verein")
        organisation_delete(actor=None, organisation=verein)
        programme = Programme.objects.get(code="eigene_massnahme")
        with pytest.raises(WorkspaceError, match="gelöscht"):
            measure_create(
                actor=None, title="X", programme=programme, starts_on=START, partner=verein
            )
        gone = User.objects.create_user("weg@koeln.example", is_active=False)
        with pytest.raises(WorkspaceError, match="deaktiviert"):
            measure_create(
                actor=None, title="X", programme=programme, starts_on=START, responsible=[gone]
            )


def test_list_filters_search_and_soft_delete(kit: Kit) -> None:
    measure = _griffbereit_group(kit)
    with in_tenant(kit.a.tenant):
        measure_create(
            actor=None,
            title="Sprachcafé",
            starts_on=dt.date(2024, 5, 1),
            programme=Programme.objects.get(code="eigene_massnahme"),
            ends_on=dt.date(2024, 12, 31),
            status="abgeschlossen",
        )
        assert [m.title for m in measure_list(search="regenbogen")] == [measure.title]
        assert [m.title for m in measure_list(status="abgeschlossen")] == ["Sprachcafé"]
        assert [m.title for m in measure_list(programme_code="griffbereit")] == [measure.title]
        assert [m.title for m in measure_list(year=2024)] == ["Sprachcafé"]
        measure_delete(actor=None, measure=measure)
        assert [m.title for m in measure_list()] == ["Sprachcafé"]
        assert Measure.objects.filter(pk=measure.pk, is_deleted=True).exists()


def test_the_list_costs_the_same_queries_for_1_and_20_measures(kit: Kit) -> None:
    from django.db import connection

    programme = Programme.objects.get(code="eigene_massnahme")
    koeln = Gemeinde.objects.get(ags="05315000")

    def count_list_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            for m in measure_list():
                _ = (
                    m.programme.name,
                    m.partner,
                    [g.name for g in m.gemeinden.all()],
                    [str(u) for u in m.responsible.all()],
                )
        return len(queries)

    with in_tenant(kit.a.tenant):
        staff = User.objects.get(email=kit.a.staff_email)
        measure_create(
            actor=None,
            title="M0",
            programme=programme,
            starts_on=START,
            gemeinden=[koeln],
            responsible=[staff],
        )
        one = count_list_queries()
        for i in range(1, 20):
            measure_create(
                actor=None,
                title=f"M{i}",
                programme=programme,
                starts_on=START,
                gemeinden=[koeln],
                responsible=[staff],
            )
        assert count_list_queries() == one
