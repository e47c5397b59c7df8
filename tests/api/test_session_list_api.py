"""The sessions list of the API at volume: pages fetched keys first, search, deleted measures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import Measure
from kinrw.workspace.services import measure_create, measure_delete, session_record
from tests.api.conftest import START, records
from tests.kit import Kit, KitTenant

pytestmark = pytest.mark.django_db


def _measure(kt: KitTenant, title: str) -> Measure:
    with in_tenant(kt.tenant):
        return measure_create(
            actor=None,
            title=title,
            programme=Programme.objects.get(code="griffbereit"),
            starts_on=START,
        )


def _sessions(kt: KitTenant, measure: Measure) -> None:
    """Seven sessions, recorded out of order; two days with two start times each."""
    day = START + dt.timedelta(days=7)
    with in_tenant(kt.tenant):
        for offset, hour, note in [
            (3, 9, ""),
            (0, 14, "Raum 2"),
            (0, 9, ""),
            (5, None, "Elterncafé im Anschluss"),
            (3, 8, ""),
            (1, 10, ""),
            (2, 10, ""),
        ]:
            session_record(
                actor=None,
                measure=measure,
                date=day + dt.timedelta(days=offset),
                starts_at=None if hour is None else dt.time(hour),
                note=note,
                counts={"children": {"total": offset + 1}},
            )


def _pages(client, **params: object) -> list[list[tuple[str, str | None]]]:
    pages, number = [], 1
    while True:
        body = client.get("sessions/", {"page_size": 2, "page": number, **params}).json()
        assert body["count"] == 7
        pages.append([(s["date"], s["starts_at"]) for s in body["results"]])
        if body["next"] is None:
            return pages
        number += 1


def test_every_page_in_order_with_its_counts_and_the_same_queries(kit: Kit, api) -> None:
    _sessions(kit.a, _measure(kit.a, "Griffbereit Porz"))
    client = api()
    pages = _pages(client)
    rows = [row for page in pages for row in page]
    assert len(pages) == 4 and len(rows) == 7
    assert rows == sorted(rows, key=lambda r: (r[0], r[1] or "99"))  # date, then time
    assert rows[:2] == [("2026-02-09", "09:00:00"), ("2026-02-09", "14:00:00")]
    newest = [row for page in _pages(client, ordering="-date") for row in page]
    assert [d for d, _ in newest] == sorted((d for d, _ in rows), reverse=True)
    last = client.get("sessions/", {"page_size": 2, "page": 4}).json()["results"]
    assert last[0]["counts"] == {"children": {"total": 6}}  # relations loaded with the row

    def queries(page: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("sessions/", {"page_size": 2, "page": page}).status_code == 200
        return len(captured)

    queries(1)  # warm
    assert queries(4) == queries(1)


def test_search_matches_measure_titles_and_notes_of_this_ki_only(kit: Kit, api) -> None:
    _sessions(kit.a, _measure(kit.a, "Griffbereit Porz"))
    _sessions(kit.a, _measure(kit.a, "Sprachcafé Kalk"))
    _sessions(kit.b, _measure(kit.b, "Rucksack Bonn"))
    client = api()

    def found(term: str) -> int:
        return int(client.get("sessions/", {"search": term}).json()["count"])

    assert found("porz") == 7 and found("KALK") == 7
    assert found("elterncafé") == 2  # the note, in both measures
    assert found("raum 2") == 2  # every word: "raum" and "2"
    assert found("porz elterncafé") == 1  # every word, in title or note
    assert found("bonn") == 0  # the other KI's measure
    bonn = api(kt=kit.b).get("sessions/", {"search": "porz"}).json()
    assert bonn["count"] == 0 and bonn["results"] == []


def test_sessions_of_a_deleted_measure_are_not_listed(kit: Kit, api) -> None:
    gone = _measure(kit.a, "Wird gelöscht")
    _sessions(kit.a, gone)
    kept = records(kit.a)["measure"]
    with in_tenant(kit.a.tenant):
        session_record(actor=None, measure=kept, date=START)
        measure_delete(actor=None, measure=gone)
    client = api()
    body = client.get("sessions/").json()
    assert body["count"] == 1 and body["results"][0]["measure"] == kept.pk
    assert client.get("sessions/", {"search": "gelöscht"}).json()["count"] == 0
