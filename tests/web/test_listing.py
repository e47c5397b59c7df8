"""The generic list page: search, filters, sorting, pagination, export, empty states, queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import MeasureStatus
from kinrw.workspace.services import measure_create
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
    import re

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
