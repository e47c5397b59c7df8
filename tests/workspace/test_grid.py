"""The month grid service: all rows checked first, then one bulk write; figures follow."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.catalogue.models import Indicator, Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.figures import monthly_totals
from kinrw.workspace.models import AuditEntry, Measure, Session, SessionCount
from kinrw.workspace.services import (
    GridErrors,
    GridRow,
    WorkspaceError,
    measure_create,
    measure_delete,
    session_record,
    sessions_save_month,
)
from tests.kit import Kit, KitTenant

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 2)


def _group(kt: KitTenant, title: str = "Griffbereit Süd") -> Measure:
    with in_tenant(kt.tenant):
        return measure_create(
            actor=None,
            title=title,
            starts_on=dt.date(2026, 1, 5),
            programme=Programme.objects.get(code="griffbereit"),
        )


def _indicator(code: str) -> Indicator:
    return Indicator.objects.get(programme__code="griffbereit", code=code)


def _audit_count() -> int:
    return AuditEntry.objects.filter(object_type="workspace.session").count()


def test_new_and_changed_rows_are_saved_unchanged_ones_untouched_figures_follow(
    kit: Kit,
) -> None:
    measure = _group(kit.a)
    with in_tenant(kit.a.tenant):
        staff = User.objects.get(email=kit.a.staff_email)
        a = session_record(
            actor=None, measure=measure, date=MARCH, counts={"families": {"total": 6}}
        )
        b = session_record(actor=None, measure=measure, date=MARCH + dt.timedelta(days=7))
        b_updated = Session.objects.get(pk=b.pk).updated_at
        before = _audit_count()
        result = sessions_save_month(
            actor=staff,
            measure=measure,
            year=2026,
            month=3,
            rows=[
                GridRow(session_id=a.pk, volunteers_present="2", totals={"families": "7"}),
                GridRow(session_id=b.pk, volunteers_present="", totals={"families": ""}),
                GridRow(date="2026-03-16", starts_at="16:00", totals={"children": "5"}),
                GridRow(),  # an empty row to add a date: ignored
            ],
        )
        assert (result.created, result.updated) == (1, 1)
        assert Session.objects.get(pk=b.pk).updated_at == b_updated  # not touched
        new = Session.objects.get(date=dt.date(2026, 3, 16))
        assert new.starts_at == dt.time(16, 0)
        assert Session.objects.get(pk=a.pk).volunteers_present == 2
        assert monthly_totals(indicator=_indicator("families"), year=2026) == {3: Decimal(7)}
        assert monthly_totals(indicator=_indicator("children"), year=2026) == {3: Decimal(5)}
        entries = AuditEntry.objects.filter(object_type="workspace.session").order_by("id")
        assert entries.count() == before + 2
        update = entries.get(object_id=a.pk, action="update")
        assert update.changes["counts"] == [{"families": "6"}, {"families": "7"}]
        assert update.changes["volunteers_present"] == [0, 2]
        assert update.actor == staff
        created = entries.get(object_id=new.pk)
        assert created.action == "create" and created.changes["counts"] == [None, {"children": "5"}]
    with in_tenant(kit.b.tenant):
        assert monthly_totals(indicator=_indicator("families"), year=2026) == {}


def test_every_bad_cell_is_reported_and_nothing_is_saved(kit: Kit) -> None:
    measure = _group(kit.a)
    other = _group(kit.a, title="Andere Gruppe")
    with in_tenant(kit.a.tenant):
        a = session_record(
            actor=None, measure=measure, date=MARCH, counts={"families": {"total": 6}}
        )
        foreign = session_record(actor=None, measure=other, date=MARCH)
        before = _audit_count()
        with pytest.raises(GridErrors) as caught:
            sessions_save_month(
                actor=None,
                measure=measure,
                year=2026,
                month=3,
                rows=[
                    GridRow(session_id=a.pk, volunteers_present="-1", totals={"families": "x"}),
                    GridRow(totals={"children": "3"}),
                    GridRow(date="2026-04-01", totals={"children": "2,5"}),
                    GridRow(date="2026-03-20", cancelled=True, totals={"children": "1"}),
                    GridRow(session_id=foreign.pk, totals={"families": "1"}),
                    GridRow(date="2026-03-02", totals={"families": "1"}),  # slot of session a
                    GridRow(date="2026-03-23", totals={"erfunden": "1"}),
                ],
            )
        errors = caught.value.errors
        assert errors[0] == {
            "volunteers_present": "Bitte keine negative Zahl eingeben.",
            "families": "„x“ ist keine Zahl.",
        }
        assert errors[1] == {"date": "Bitte das Datum des neuen Termins eingeben."}
        assert "nicht im März 2026" in errors[2]["date"]
        assert errors[2]["children"] == "Bitte eine ganze Zahl eingeben."
        assert "ausgefallener Termin" in errors[3]["cancelled"]
        assert "nicht (mehr)" in errors[4]["session"]
        assert "schon einen Termin" in errors[5]["date"]
        assert "kein Indikator" in errors[6]["erfunden"]
        assert "gespeichert wurde noch nichts" in caught.value.message
        assert Session.objects.filter(measure=measure).count() == 1
        assert SessionCount.objects.get(session=a).value == Decimal(6)
        assert _audit_count() == before


def test_breakdown_cells_stay_while_their_total_is_unchanged(kit: Kit) -> None:
    measure = _group(kit.a)
    children = {"total": 8, "by": {"gender": {"weiblich": 5, "maennlich": 3}}}
    with in_tenant(kit.a.tenant):
        s = session_record(actor=None, measure=measure, date=MARCH, counts={"children": children})
        sessions_save_month(
            actor=None,
            measure=measure,
            year=2026,
            month=3,
            rows=[GridRow(session_id=s.pk, volunteers_present="3", totals={"children": "8"})],
        )
        assert SessionCount.objects.filter(session=s, breakdown="gender").count() == 2
        assert Session.objects.get(pk=s.pk).volunteers_present == 3
        with pytest.raises(GridErrors) as caught:
            sessions_save_month(
                actor=None,
                measure=measure,
                year=2026,
                month=3,
                rows=[GridRow(session_id=s.pk, totals={"children": "9"})],
            )
        assert "aufgeschlüsselt (bisher 8)" in caught.value.errors[0]["children"]
        assert "Terminformular" in caught.value.errors[0]["children"]
        assert SessionCount.objects.get(session=s, breakdown="").value == Decimal(8)


def test_clearing_figures_and_cancelling_takes_the_session_out_of_the_figures(kit: Kit) -> None:
    measure = _group(kit.a)
    with in_tenant(kit.a.tenant):
        s = session_record(
            actor=None,
            measure=measure,
            date=MARCH,
            counts={"families": {"total": 6}, "children": {"total": 4}},
        )
        sessions_save_month(
            actor=None,
            measure=measure,
            year=2026,
            month=3,
            rows=[
                GridRow(session_id=s.pk, cancelled=True, totals={"families": "", "children": ""})
            ],
        )
        assert Session.objects.get(pk=s.pk).cancelled
        assert not SessionCount.objects.filter(session=s).exists()
        assert monthly_totals(indicator=_indicator("families"), year=2026) == {}


def test_deleted_measures_and_impossible_months_are_refused(kit: Kit) -> None:
    measure = _group(kit.a)
    with in_tenant(kit.a.tenant):
        with pytest.raises(WorkspaceError, match="Monat"):
            sessions_save_month(actor=None, measure=measure, year=2026, month=13, rows=[])
        measure_delete(actor=None, measure=measure)
        with pytest.raises(WorkspaceError, match="gelöscht"):
            sessions_save_month(actor=None, measure=measure, year=2026, month=3, rows=[])


def _month_of(measure: Measure, n: int) -> list[Session]:
    """n sessions in March 2026 (several a day at different times), each with a figure."""
    sessions = Session.objects.bulk_create(
        Session(measure=measure, date=dt.date(2026, 3, 1 + i % 28), starts_at=dt.time(8 + i // 28))
        for i in range(n)
    )
    families = _indicator("families")
    SessionCount.objects.bulk_create(
        SessionCount(session=s, indicator=families, value=1) for s in sessions
    )
    return sessions


def _save(measure: Measure, sessions: list[Session]) -> None:
    rows = [
        GridRow(session_id=s.pk, volunteers_present="1", totals={"families": "2", "children": "3"})
        for s in sessions
    ]
    rows += [
        GridRow(date="2026-03-30", starts_at=f"1{h}:00", totals={"sites": "1"}) for h in (0, 1)
    ]
    sessions_save_month(actor=None, measure=measure, year=2026, month=3, rows=rows)


def test_saving_costs_the_same_queries_for_5_and_50_sessions(kit: Kit) -> None:
    small, large = _group(kit.a, "Fünf"), _group(kit.a, "Fünfzig")
    with in_tenant(kit.a.tenant):
        five, fifty = _month_of(small, 5), _month_of(large, 50)
        with CaptureQueriesContext(connection) as q5:
            _save(small, five)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as q50:
            _save(large, fifty)
        elapsed = time.perf_counter() - started
        assert len(q50) == len(q5)
        assert elapsed < 2.0  # target 0.5 s; generous for shared test machines
        assert _audit_count() == 55 + 2 * 2  # one entry per changed or new session
        families = _indicator("families")
        assert SessionCount.objects.filter(indicator=families, value=2).count() == 55
        assert monthly_totals(indicator=families, year=2026) == {3: Decimal(110)}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.234,50", Decimal("1234.50")), ("2,5", Decimal("2.5")), ("1.000", Decimal(1000))],
)
def test_numbers_are_read_as_germans_type_them(kit: Kit, typed: str, stored: Decimal) -> None:
    measure = _group(kit.a)
    with in_tenant(kit.a.tenant):
        sessions_save_month(
            actor=None,
            measure=measure,
            year=2026,
            month=3,
            rows=[GridRow(date=MARCH, totals={"money_passed_on": typed})],
        )
        assert SessionCount.objects.get().value == stored
