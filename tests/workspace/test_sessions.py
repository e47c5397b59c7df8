"""Sessions and counts: validated figures (no names), weekly series, and the one figures module."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kinrw.catalogue.models import Indicator, Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.figures import monthly_breakdown, monthly_totals
from kinrw.workspace.models import AuditEntry, Measure, Session, SessionCount
from kinrw.workspace.services import (
    WorkspaceError,
    measure_create,
    measure_delete,
    session_record,
    sessions_generate_weekly,
    weekly_dates,
)
from tests.kit import Kit, KitTenant

pytestmark = pytest.mark.django_db
CHILDREN = {"total": 8, "by": {"gender": {"weiblich": 5, "maennlich": 3}}}


def _group(kt: KitTenant, title: str = "Griffbereit Nord") -> Measure:
    with in_tenant(kt.tenant):
        return measure_create(
            actor=None,
            title=title,
            starts_on=dt.date(2026, 1, 5),
            programme=Programme.objects.get(code="griffbereit"),
        )


def _indicator(code: str) -> Indicator:
    return Indicator.objects.get(programme__code="griffbereit", code=code)


def test_a_session_stores_totals_and_breakdown_cells(kit: Kit) -> None:
    measure = _group(kit.a)
    with in_tenant(kit.a.tenant):
        session = session_record(
            actor=None,
            measure=measure,
            date=dt.date(2026, 1, 12),
            counts={"children": CHILDREN, "families": {"total": 6}},
            volunteers_present=2,
        )
        cells = {
            (c.indicator.code, c.breakdown, c.value_code): c.value
            for c in SessionCount.objects.filter(session=session).select_related("indicator")
        }
        assert cells == {
            ("children", "", ""): Decimal(8),
            ("children", "gender", "weiblich"): Decimal(5),
            ("children", "gender", "maennlich"): Decimal(3),
            ("families", "", ""): Decimal(6),
        }
        assert AuditEntry.objects.filter(object_type="workspace.session").count() == 1


def test_recording_the_same_session_again_replaces_its_counts(kit: Kit) -> None:
    measure = _group(kit.a)
    day = dt.date(2026, 1, 12)
    with in_tenant(kit.a.tenant):
        session_record(actor=None, measure=measure, date=day, counts={"families": {"total": 6}})
        session_record(actor=None, measure=measure, date=day, counts={"families": {"total": 7}})
        assert Session.objects.count() == 1
        assert list(SessionCount.objects.values_list("value", flat=True)) == [Decimal(7)]
        assert list(
            AuditEntry.objects.filter(object_type="workspace.session")
            .order_by("id")
            .values_list("action", flat=True)
        ) == ["create", "update"]


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"teilnehmende": {"total": 1}}, "kein Indikator des Programms"),
        ({"children": {"by": {"gender": {"weiblich": 1}}}}, "bitte die Summe angeben"),
        ({"children": {"total": -1}}, "nicht negativ"),
        ({"children": {"total": "2,5"}}, "keine Zahl"),
        ({"children": {"total": "2.5"}}, "ganze Zahl"),
        ({"families": {"total": 2, "by": {"gender": {"weiblich": 2}}}}, "keine Aufschlüsselung"),
        ({"children": {"total": 2, "by": {"gender": {"x": 2}}}}, "unbekannte Ausprägung"),
        (
            {"children": {"total": 9, "by": {"gender": {"weiblich": 5, "maennlich": 3}}}},
            "ergibt 8, die Summe ist 9",
        ),
    ],
)
def test_bad_counts_are_refused_and_nothing_is_written(
    kit: Kit, counts: dict[str, object], message: str
) -> None:
    measure = _group(kit.a)
    with in_tenant(kit.a.tenant):
        with pytest.raises(WorkspaceError, match=message):
            session_record(actor=None, measure=measure, date=dt.date(2026, 1, 12), counts=counts)
        assert not Session.objects.exists() and not SessionCount.objects.exists()


def test_dates_outside_the_measure_and_counts_on_cancelled_sessions_are_refused(kit: Kit) -> None:
    measure = _group(kit.a)
    with in_tenant(kit.a.tenant):
        with pytest.raises(WorkspaceError, match="außerhalb der Laufzeit"):
            session_record(actor=None, measure=measure, date=dt.date(2025, 12, 1))
        with pytest.raises(WorkspaceError, match="ausgefallener Termin"):
            session_record(
                actor=None,
                measure=measure,
                date=dt.date(2026, 1, 12),
                cancelled=True,
                counts={"families": {"total": 1}},
            )


def test_weekly_dates_skip_nrw_holidays_and_given_dates() -> None:
    dates = weekly_dates(
        first=dt.date(2026, 3, 30),
        last=dt.date(2026, 4, 20),
        weekday=0,
        skip_dates=[dt.date(2026, 4, 13)],
    )
    # 6 April 2026 is Ostermontag
    assert dates == [dt.date(2026, 3, 30), dt.date(2026, 4, 20)]
    assert (
        len(
            weekly_dates(
                first=dt.date(2026, 3, 30),
                last=dt.date(2026, 4, 20),
                weekday=0,
                skip_public_holidays=False,
            )
        )
        == 4
    )
    with pytest.raises(WorkspaceError, match="Wochentag"):
        weekly_dates(first=dt.date(2026, 1, 1), last=dt.date(2026, 2, 1), weekday=7)


def test_weekly_series_creates_missing_sessions_once(kit: Kit) -> None:
    measure = _group(kit.a)
    with in_tenant(kit.a.tenant):
        made = sessions_generate_weekly(
            actor=None,
            measure=measure,
            first=dt.date(2026, 3, 2),
            last=dt.date(2026, 3, 30),
            weekday=0,
        )
        assert [s.date.day for s in made] == [2, 9, 16, 23, 30]
        again = sessions_generate_weekly(
            actor=None,
            measure=measure,
            first=dt.date(2026, 3, 2),
            last=dt.date(2026, 3, 30),
            weekday=0,
        )
        assert again == [] and Session.objects.count() == 5


def test_figures_by_month_against_hand_computed_values(kit: Kit) -> None:
    """Jan: 8 + 4 children; Feb: 6; a cancelled and a deleted measure's session do not count."""
    group, other = _group(kit.a), _group(kit.a, "Griffbereit Süd")
    with in_tenant(kit.a.tenant):
        session_record(
            actor=None, measure=group, date=dt.date(2026, 1, 12), counts={"children": CHILDREN}
        )
        session_record(
            actor=None,
            measure=group,
            date=dt.date(2026, 1, 19),
            counts={"children": {"total": 4, "by": {"gender": {"weiblich": 4}}}},
        )
        session_record(
            actor=None, measure=group, date=dt.date(2026, 2, 2), counts={"children": {"total": 6}}
        )
        session_record(actor=None, measure=group, date=dt.date(2026, 2, 9), cancelled=True)
        session_record(
            actor=None, measure=other, date=dt.date(2026, 2, 9), counts={"children": {"total": 100}}
        )
        measure_delete(actor=None, measure=other)
        children = _indicator("children")
        assert monthly_totals(indicator=children, year=2026) == {1: Decimal(12), 2: Decimal(6)}
        assert monthly_breakdown(indicator=children, year=2026, breakdown="gender") == {
            (1, "maennlich"): Decimal(3),
            (1, "weiblich"): Decimal(9),
        }
        assert monthly_totals(indicator=children, year=2025) == {}
    with in_tenant(kit.b.tenant):  # the other KI's figures know nothing of it
        assert monthly_totals(indicator=children, year=2026) == {}
