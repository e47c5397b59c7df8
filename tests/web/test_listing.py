"""The generic list page: search, filters, sorting, pagination, export, empty states, queries."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import Measure, MeasureStatus, Session
from kinrw.workspace.selectors import session_months
from kinrw.workspace.services import (
    measure_create,
    measure_delete,
    organisation_create,
    session_delete,
    session_record,
)
from tests.kit import Kit

pytestmark = pytest.mark.django_db


def _measures(kit: Kit, n: int, prefix: str = "Gruppe") -> None:
    with in_tenant(kit.a.tenant):
        own = Programme.objects.get(code="eigene_massnahme")
        for i in range(n):
            measure_create(
                actor=None,
                title=f"{prefix} {i:02d}",
                programme=own,
                starts_on=dt.date(2026, 1, 1) + dt.timedelta(days=i),
                status=MeasureStatus.LAUFEND if i % 2 else MeasureStatus.GEPLANT,
            )


def _titles(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)


def test_sort_search_filter_and_pages(kit: Kit) -> None:
    _measures(kit, 30)
    client = kit.a.client()
    html = client.get("/massnahmen/").content.decode()
    assert "30 Einträge" in html
    assert _titles(html)[0] == "Gruppe 29"  # newest first by default
    assert len(_titles(html)) == 25 and "Seite 1 von 2" in html
    page2 = client.get("/massnahmen/?seite=2").content.decode()
    assert _titles(page2) == [f"Gruppe {i:02d}" for i in range(4, -1, -1)]
    by_title = client.get("/massnahmen/?sortierung=titel").content.decode()
    assert _titles(by_title)[:2] == ["Gruppe 00", "Gruppe 01"]
    assert 'aria-sort="ascending"' in by_title
    found = client.get("/massnahmen/?q=gruppe+07").content.decode()
    assert _titles(found) == ["Gruppe 07"] and "Filter zurücksetzen" in found
    running = client.get("/massnahmen/?status=laufend").content.decode()
    assert "15 Einträge" in running
    bogus = client.get("/massnahmen/?status=erfunden&sortierung=passwort&seite=x")
    assert bogus.status_code == 200 and "30 Einträge" in bogus.content.decode()


def test_empty_states_differ(kit: Kit) -> None:
    client = kit.a.client()
    assert "Noch keine Maßnahmen" in client.get("/massnahmen/").content.decode()
    _measures(kit, 1)
    assert "Keine Einträge passen" in client.get("/massnahmen/?q=nichtda").content.decode()


def test_csv_export_german_and_formula_safe(kit: Kit) -> None:
    _measures(kit, 2, prefix="=HYPERLINK(1)")
    response = kit.a.client().get("/massnahmen/?export=csv&sortierung=titel")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Titel;Programm;Status;Beginn")
    assert lines[1].startswith("'=HYPERLINK(1) 00;")
    assert ";01.01.2026;" in lines[1]


def test_xlsx_export_keeps_text_as_text(kit: Kit) -> None:
    from openpyxl import load_workbook

    _measures(kit, 2, prefix="=1+1")
    response = kit.a.client().get("/massnahmen/?export=xlsx&sortierung=titel")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "Titel"
    assert sheet.cell(2, 1).value == "=1+1 00" and sheet.cell(2, 1).data_type == "s"
    assert sheet.cell(2, 4).value == dt.datetime(2026, 1, 1)


def test_list_queries_do_not_grow_with_rows(kit: Kit) -> None:
    client = kit.a.client()
    _measures(kit, 1)
    client.get("/massnahmen/")
    with CaptureQueriesContext(connection) as one:
        client.get("/massnahmen/")
    _measures(kit, 20, prefix="Mehr")
    with CaptureQueriesContext(connection) as many:
        client.get("/massnahmen/")
    assert len(many) == len(one)


def test_other_ki_sees_none_of_it(kit: Kit) -> None:
    _measures(kit, 3, prefix="Nur-Köln")
    html = kit.b.client().get("/massnahmen/").content.decode()
    assert "Nur-Köln" not in html and "Noch keine Maßnahmen" in html


# --- at volume: pages keys first, exact months, searches without joins ---


def _partnered(kit: Kit, n: int) -> None:
    """Measures with a partner each, so a page shows a loaded relation."""
    with in_tenant(kit.a.tenant):
        own = Programme.objects.get(code="eigene_massnahme")
        for i in range(n):
            partner = organisation_create(actor=None, name=f"Partner {i:02d}", kind="verein")
            measure_create(
                actor=None,
                title=f"Kurs {(i * 7) % n:02d}",  # titles not in the order of creation
                programme=own,
                starts_on=dt.date(2026, 1, 1),
                partner=partner,
            )


def test_every_page_keeps_the_order_and_costs_the_same(kit: Kit) -> None:
    _partnered(kit, 60)
    client = kit.a.client()
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/massnahmen/?sortierung=titel&seite={page}").content.decode()
        seen += _titles(html)
        assert "Partner " in html
    assert seen == [f"Kurs {i:02d}" for i in range(60)]
    backwards = client.get("/massnahmen/?sortierung=-titel&seite=3").content.decode()
    assert _titles(backwards) == [f"Kurs {i:02d}" for i in range(9, -1, -1)]

    def queries(page: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/massnahmen/?sortierung=titel&seite={page}")
        return len(captured)

    queries(1)  # warm
    assert queries(3) == queries(1)


def _sessions_of(kit: Kit, title: str, days: list[tuple[dt.date, int | None]], note: str = ""):
    with in_tenant(kit.a.tenant):
        measure = measure_create(
            actor=None,
            title=title,
            programme=Programme.objects.get(code="eigene_massnahme"),
            starts_on=dt.date(2025, 1, 1),
        )
        for day, hour in days:
            session_record(
                actor=None,
                measure=measure,
                date=day,
                starts_at=None if hour is None else dt.time(hour),
                note=note,
            )
    return measure


def _session_rows(html: str) -> list[str]:
    return re.findall(
        r'<th scope="row"><a href="/termine/\d+/">([^<]+)</a></th>\s*<td>([^<]*)<', html
    )


def test_sessions_sort_by_date_then_start(kit: Kit) -> None:
    day = dt.date(2026, 3, 4)
    _sessions_of(kit, "Sprachcafé", [(day, 14), (day, 9), (day - dt.timedelta(days=1), 18)])
    client = kit.a.client()
    oldest = client.get("/termine/?sortierung=datum").content.decode()
    assert _session_rows(oldest) == [
        ("03.03.2026", "18:00"),
        ("04.03.2026", "09:00"),
        ("04.03.2026", "14:00"),
    ]
    newest = client.get("/termine/").content.decode()  # newest first by default
    assert [t for _, t in _session_rows(newest)] == ["14:00", "09:00", "18:00"]


def test_month_choices_are_the_months_with_sessions_newest_first(kit: Kit) -> None:
    measure = _sessions_of(
        kit,
        "Sprachcafé",
        [(dt.date(2025, 11, 30), 9), (dt.date(2026, 1, 1), 9), (dt.date(2026, 3, 31), None)],
    )
    other = _sessions_of(kit, "Elterncafé", [(dt.date(2026, 5, 5), 9), (dt.date(2026, 3, 2), 9)])
    with in_tenant(kit.a.tenant):
        later = session_record(actor=None, measure=measure, date=dt.date(2026, 7, 1))
        session_delete(actor=None, session=later)
        assert session_months() == [
            dt.date(2026, 5, 1),
            dt.date(2026, 3, 1),
            dt.date(2026, 1, 1),
            dt.date(2025, 11, 1),
        ]  # no gaps filled in, no deleted session's month
        assert session_months(measure=measure) == [
            dt.date(2026, 3, 1),
            dt.date(2026, 1, 1),
            dt.date(2025, 11, 1),
        ]
        measure_delete(actor=None, measure=other)
        assert session_months()[0] == dt.date(2026, 3, 1)
    html = kit.a.client().get("/termine/").content.decode()
    assert '<option value="2026-03">März 2026</option>' in html
    assert 'value="2026-02"' not in html and 'value="2026-05"' not in html
    with in_tenant(kit.b.tenant):
        assert session_months() == []
    assert 'value="2026-03"' not in kit.b.client().get("/termine/").content.decode()


def test_session_search_finds_measure_titles_and_notes(kit: Kit) -> None:
    day = dt.date(2026, 3, 4)
    _sessions_of(kit, "Griffbereit Porz", [(day, 9), (day, 10)])
    _sessions_of(kit, "Sprachcafé", [(day, 11)], note="Mit Porzellanmalerei")
    gone = _sessions_of(kit, "Porz alt", [(day, 12)])
    with in_tenant(kit.a.tenant):
        measure_delete(actor=None, measure=gone)
    client = kit.a.client()
    assert "3 Einträge" in client.get("/termine/?q=PORZ").content.decode()
    assert "1 Eintrag" in client.get("/termine/?q=malerei").content.decode()
    everything = client.get("/termine/").content.decode()
    assert "3 Einträge" in everything and "Porz alt" not in everything
    bonn = kit.b.client().get("/termine/?q=porz").content.decode()
    assert "Keine Einträge passen" in bonn and "Griffbereit Porz" not in bonn


def test_migration_marks_the_sessions_of_measures_deleted_before(kit: Kit) -> None:
    from django.db import connection as conn

    migration = importlib.import_module("kinrw.workspace.migrations.0011_list_indexes_not_deleted")
    gone = _sessions_of(kit, "Alt gelöscht", [(dt.date(2026, 3, 4), 9)])
    kept = _sessions_of(kit, "Bleibt", [(dt.date(2026, 3, 4), 9)])
    with in_tenant(kit.a.tenant):
        Measure.objects.filter(pk=gone.pk).update(is_deleted=True)  # as before measure_delete
        with conn.cursor() as cursor:
            cursor.execute(migration.MARK_SESSIONS_OF_DELETED_MEASURES)
        assert list(Session.objects.filter(is_deleted=False).values_list("measure", flat=True)) == [
            kept.pk
        ]
